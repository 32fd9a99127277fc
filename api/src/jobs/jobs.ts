import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import PgBoss from 'pg-boss';
import type { Config } from '../config.js';
import type { Logger } from '../server/logger.js';
import type { LivePublisher } from '../shared/live.js';
import { emExecutor } from './executor.js';
import { JOB_QUEUES, JOB_SCHEMA, type JobName } from './queues.js';

// The job queue's small API (docs/ARCHITECTURE.md, "Jobs"): `enqueue` inside the transaction of the change that
// causes the job, `unschedule` to drop a job that has not started, `registerWorker` to say what a job does.

export interface EnqueueOptions {
  /** While a job of this name and key waits to start, enqueueing another with the same key does nothing. */
  singletonKey?: string;
  /** Not before this time (default: now). */
  startAfter?: Date;
}

/** Only builds pg-boss's SQL for `enqueue`; it never connects (each call brings its transaction's executor). */
const sender = new PgBoss({ db: { executeSql: () => Promise.reject(new Error('no connection')) }, schema: JOB_SCHEMA } as never);

/**
 * Puts a job on the queue through `em`: called inside `em.transactional(...)`, the job exists if and only if the
 * transaction commits. Returns the job's id, or null when a job with the same singletonKey is already waiting.
 * Payloads are JSON: keep them to ids and the facts the worker needs.
 */
export function enqueue<P extends object>(em: EntityManager, name: JobName, payload: P, options: EnqueueOptions = {}): Promise<string | null> {
  return sendJob(em, name, payload, options, WAKE_DELAY_MS);
}

async function sendJob(em: EntityManager, name: JobName, payload: object, options: EnqueueOptions, wakeAfterMs: number): Promise<string | null> {
  const id = await sender.send(name, payload, {
    db: emExecutor(em),
    // The queues use pg-boss's "short" policy: one waiting job per key. Jobs without a key get a key of their own.
    singletonKey: options.singletonKey ?? `~${randomUUID()}`,
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
  } as never);
  if (id) wakeLocalWorkers(name, wakeAfterMs);
  return id;
}

/** Many jobs of one name in one statement (e.g. every reminder of a batch of events), in `em`'s transaction. */
export async function enqueueMany<P extends object>(em: EntityManager, name: JobName, jobs: Array<{ payload: P } & EnqueueOptions>): Promise<void> {
  if (jobs.length === 0) return;
  await sender.insert(
    jobs.map((j) => ({ name, data: j.payload, singletonKey: j.singletonKey ?? `~${randomUUID()}`, ...(j.startAfter ? { startAfter: j.startAfter.toISOString() } : {}) })),
    { db: emExecutor(em) } as never,
  );
  wakeLocalWorkers(name, WAKE_DELAY_MS);
}

/** How many items one waiting job gathers (enqueueOrAppend); past that, a cause gets a job of its own. */
const GATHER_LIMIT = 200;

/**
 * Gathers a burst of causes into one job: appends `item` to the `items` list of the job of `name` with
 * `singletonKey` that waits to start, or enqueues `payload` with `items: [item]` when none waits (or the waiting one
 * is full), in `em`'s transaction. The append updates the waiting row, and the runner fetches with
 * `FOR UPDATE SKIP LOCKED`: the job cannot start before this transaction commits, so it sees every item appended
 * to it; once it has started, the next cause enqueues a new one. This process's worker looks `gatherMs` later.
 */
export async function enqueueOrAppend<P extends object>(
  em: EntityManager,
  name: JobName,
  singletonKey: string,
  item: string,
  payload: P,
  gatherMs: number,
): Promise<void> {
  const job = { ...payload, items: [item] };
  for (let attempt = 0; attempt < 2; attempt++) {
    const appended = await em.execute(
      `update ${JOB_SCHEMA}.job set data = jsonb_set(data, '{items}', (data -> 'items') || to_jsonb(?::text))
       where name = ? and singleton_key = ? and state = 'created' and jsonb_array_length(data -> 'items') < ? returning id`,
      [item, name, singletonKey, GATHER_LIMIT],
    );
    if (appended.length > 0) return;
    // None waits (or it just started): enqueue one. Null: another transaction's job committed in between, or the waiting one is full.
    if (await sendJob(em, name, job, { singletonKey }, gatherMs)) return;
  }
  await sendJob(em, name, job, {}, gatherMs);
}

/** Drops the waiting (not yet started) jobs of `name` with `singletonKey`, in `em`'s transaction; returns how many. */
export async function unschedule(em: EntityManager, name: JobName, singletonKey: string): Promise<number> {
  const rows = await em.execute(`delete from ${JOB_SCHEMA}.job where name = ? and singleton_key = ? and state in ('created', 'retry') returning id`, [
    name,
    singletonKey,
  ]);
  return rows.length;
}

/** What a worker gets besides its payload. */
export interface JobContext {
  /** A fresh EntityManager fork for this run. */
  em: EntityManager;
  orm: MikroORM;
  config: Config;
  log: Logger;
  /** The live bus: publish after your transaction commits. */
  live: LivePublisher;
  /** The job's id and how many times it was retried before. */
  job: { id: string; retryCount: number };
}

/**
 * A job handler. It may run more than once for one job (a retry after a crash, two processes around an expiry):
 * make its effect idempotent, e.g. with a unique key and `on conflict do nothing`. Throwing retries it with backoff.
 */
export type JobHandler<P> = (payload: P, ctx: JobContext) => Promise<void>;

const handlers = new Map<JobName, JobHandler<any>>();

/** Says what jobs of `name` do; every API process that imports the module works them. One handler per name. */
export function registerWorker<P>(name: JobName, handler: JobHandler<P>): void {
  if (!(name in JOB_QUEUES)) throw new Error(`job queue ${name} is not listed in jobs/queues.ts`);
  if (handlers.has(name) && handlers.get(name) !== handler) throw new Error(`job ${name} already has a worker`);
  handlers.set(name, handler);
}

export function handlerOf(name: JobName): JobHandler<any> | undefined {
  return handlers.get(name);
}

export function registeredJobs(): JobName[] {
  return [...handlers.keys()];
}

/** After a local enqueue, how long the worker waits for its transaction to commit before polling. */
const WAKE_DELAY_MS = 50;

const wakers = new Set<(name: JobName, afterMs: number) => void>();

/** Runners of this process poll `afterMs` from now (a little after the enqueueing transaction commits) instead of waiting. */
function wakeLocalWorkers(name: JobName, afterMs: number) {
  for (const wake of wakers) wake(name, afterMs);
}

export function onEnqueue(wake: (name: JobName, afterMs: number) => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}
