import { AsyncLocalStorage } from 'node:async_hooks';
import type { MikroORM } from '@mikro-orm/postgresql';
import PgBoss from 'pg-boss';
import type { Config } from '../config.js';
import type { Logger } from '../server/logger.js';
import { emExecutor } from './executor.js';
import { handlerOf, onEnqueue, registeredJobs, type JobContext } from './jobs.js';
import { JOB_QUEUES, JOB_SCHEMA, type JobName } from './queues.js';

/** Jobs fetched per poll of one queue; a full batch polls again at once. */
const BATCH = 10;

/**
 * Installs (or upgrades) pg-boss's schema and creates every queue of jobs/queues.ts that is missing. Runs right after
 * the migrations, before anything can enqueue; safe when several processes start at once (pg-boss takes an advisory
 * lock, `create_queue` skips existing queues).
 */
export async function installJobQueues(orm: MikroORM): Promise<void> {
  const boss = new PgBoss({ db: emExecutor(orm.em.fork()), schema: JOB_SCHEMA, supervise: false, schedule: false, migrate: true } as never);
  boss.on('error', () => {});
  await boss.start();
  for (const [name, options] of Object.entries(JOB_QUEUES)) await boss.createQueue(name, { ...options, policy: 'short' } as never);
  await boss.stop({ graceful: false, close: false, wait: true });
}

export interface JobRunnerDeps {
  orm: MikroORM;
  config: Config;
  log: Logger;
  live: JobContext['live'];
  /** Embedded database: share the app's connection instead of opening a pool. */
  embedded: boolean;
}

/** Lets the I/O that is waiting (requests, live fan-out) run before the next job: background work goes second. */
export const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Set while the job runner works (polling, maintenance, handlers): statements counted for a request leave it out. */
export const jobWork = new AsyncLocalStorage<true>();

/**
 * Works every registered queue in this process. On PostgreSQL pg-boss has a small pool of its own; on the embedded
 * database it runs on the app's single connection. Jobs are fetched with FOR UPDATE SKIP LOCKED, so several
 * processes share the work; a failed job is retried with exponential backoff, a crashed one after it expires.
 */
export class JobRunner {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Map<JobName, () => void>();
  private readonly stopWaking: () => void;

  private constructor(
    private readonly boss: PgBoss,
    private readonly deps: JobRunnerDeps,
  ) {
    this.stopWaking = onEnqueue((name, afterMs) => setTimeout(() => this.wakers.get(name)?.(), afterMs).unref());
  }

  static async start(deps: JobRunnerDeps): Promise<JobRunner> {
    const { config, orm, log } = deps;
    const db = deps.embedded || !config.DATABASE_URL ? { db: emExecutor(orm.em.fork()) } : { connectionString: config.DATABASE_URL, max: 2 };
    const boss = new PgBoss({ ...db, schema: JOB_SCHEMA, migrate: false, schedule: false, supervise: config.JOBS_WORK, application_name: 'gather-jobs' } as never);
    boss.on('error', (error) => log.warn({ err: error }, 'job queue maintenance failed'));
    await jobWork.run(true, () => boss.start());
    const runner = new JobRunner(boss, deps);
    if (config.JOBS_WORK) for (const name of registeredJobs()) runner.loops.push(jobWork.run(true, () => runner.work(name)));
    return runner;
  }

  /** Runs `name`'s handler on `payload` now, outside the queue (tests: a job that runs twice). */
  runNow(name: JobName, payload: object, jobId = 'manual'): Promise<void> {
    return this.run(name, payload, { id: jobId, retryCount: 0 });
  }

  private async run(name: JobName, payload: object, job: JobContext['job']): Promise<void> {
    const handler = handlerOf(name);
    if (!handler) throw new Error(`no worker for job ${name}`);
    const { orm, config, log, live } = this.deps;
    await handler(payload, { em: orm.em.fork(), orm, config, log: log.child({ job: name, jobId: job.id }), live, job });
  }

  private async work(name: JobName): Promise<void> {
    while (!this.stopped) {
      const jobs = (await this.boss.fetch(name, { batchSize: BATCH, includeMetadata: true }).catch(() => null)) ?? [];
      for (const job of jobs as Array<PgBoss.JobWithMetadata<object>>) {
        if (this.stopped) break; // not run: it expires and is retried by a live process
        try {
          await this.run(name, job.data, { id: job.id, retryCount: job.retryCount });
          await this.boss.complete(name, job.id);
        } catch (error) {
          this.deps.log.warn({ err: error, job: name, jobId: job.id, retryCount: job.retryCount }, 'job failed; it will be retried');
          await this.boss.fail(name, job.id, { message: String((error as Error)?.message ?? error) }).catch(() => {});
        }
        await yieldToRequests();
      }
      if (jobs.length < BATCH) await this.pause(name);
    }
  }

  private pause(name: JobName): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.deps.config.JOBS_POLL_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakers.set(name, done);
    });
  }

  /** Stops fetching, lets the jobs being run finish, and closes pg-boss's pool (never the app's). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWaking();
    for (const wake of this.wakers.values()) wake();
    await Promise.all(this.loops);
    await this.boss.stop({ graceful: false, wait: true });
  }
}
