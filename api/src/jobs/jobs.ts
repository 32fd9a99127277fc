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
export async function enqueue<P extends object>(em: EntityManager, name: JobName, payload: P, options: EnqueueOptions = {}): Promise<string | null> {
  const id = await sender.send(name, payload, {
    db: emExecutor(em),
    // The queues use pg-boss's "short" policy: one waiting job per key. Jobs without a key get a key of their own.
    singletonKey: options.singletonKey ?? `~${randomUUID()}`,
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
  } as never);
  wakeLocalWorkers(name);
  return id;
}

/** Many jobs of one name in one statement (e.g. every reminder of a batch of events), in `em`'s transaction. */
export async function enqueueMany<P extends object>(em: EntityManager, name: JobName, jobs: Array<{ payload: P } & EnqueueOptions>): Promise<void> {
  if (jobs.length === 0) return;
  await sender.insert(
    jobs.map((j) => ({ name, data: j.payload, singletonKey: j.singletonKey ?? `~${randomUUID()}`, ...(j.startAfter ? { startAfter: j.startAfter.toISOString() } : {}) })),
    { db: emExecutor(em) } as never,
  );
  wakeLocalWorkers(name);
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

const wakers = new Set<(name: JobName) => void>();

/** Runners of this process poll at once (a little after the enqueueing transaction commits) instead of waiting. */
function wakeLocalWorkers(name: JobName) {
  for (const wake of wakers) wake(name);
}

export function onEnqueue(wake: (name: JobName) => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}
