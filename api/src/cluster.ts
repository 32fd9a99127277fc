import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { createLogger } from './server/logger.js';

// API_PROCESSES=n > 1: this process (the primary) serves nothing itself; it starts n API processes that share its
// port (node:cluster hands each new connection to the next process in turn), replaces one that dies, and on SIGTERM
// stops them all, each draining as a single process would. The processes share what the API keeps between requests
// already: sessions and data in PostgreSQL, live updates and rate limits in Redis (README, "Scale it out").

/** The environment variable a worker reads its slot from (1..n), and the response header that names it. */
const SLOT_ENV = 'GATHER_PROCESS';
export const PROCESS_HEADER = 'x-gather-process';

/** This process's slot when it is one of several API processes, else null. */
export function processSlot(): { slot: number; of: number } | null {
  if (!cluster.isWorker) return null;
  return { slot: Number(process.env[SLOT_ENV]), of: Number(process.env.API_PROCESSES) };
}

/**
 * Why `config` cannot run several processes, or null. Without REDIS_URL each process would keep its own live bus
 * and rate limits: an RSVP through one would never reach subscribers connected to another, a log-out would not close
 * the sockets other processes hold, and every limit would allow n times its count. That is wrong without a sign, so
 * the primary refuses to start rather than warn. The embedded database lives inside one process and cannot be shared.
 */
export function clusterProblem(config: Config): string | null {
  if (!config.DATABASE_URL) return `API_PROCESSES=${config.API_PROCESSES} needs DATABASE_URL: the embedded database serves one process`;
  if (!config.REDIS_URL) {
    return `API_PROCESSES=${config.API_PROCESSES} needs REDIS_URL: live updates, log-outs and rate limits cross processes through Redis`;
  }
  return null;
}

/**
 * The primary: starts process 1 alone (it applies pending migrations), then the others together once it listens;
 * logs "Gather API listening" when all of them do. A process that dies after it was ready is replaced; one that dies
 * while starting ends the whole API with status 1 (a replacement would only fail the same way). SIGTERM or SIGINT
 * stops every process (each drains its requests in flight and closes, see index.ts) and exits once all have exited:
 * 0 when all closed cleanly.
 */
export async function runPrimary(config: Config): Promise<void> {
  const log = createLogger(config).child({ primary: process.pid });
  const problem = clusterProblem(config);
  if (problem) {
    log.fatal(problem);
    process.exit(1);
  }
  const n = config.API_PROCESSES;
  const workers = new Map<number, Worker>();
  let stopping = false;
  let failed = false;

  /** Forks the process of `slot`; resolves with the port it listens on. */
  const start = (slot: number) =>
    new Promise<number>((resolve, reject) => {
      const worker = cluster.fork({ [SLOT_ENV]: String(slot) });
      workers.set(slot, worker);
      let ready = false;
      worker.once('listening', (address) => {
        ready = true;
        resolve(address.port);
      });
      worker.once('exit', (code, signal) => {
        if (workers.get(slot) === worker) workers.delete(slot);
        if (stopping) return;
        if (!ready) return reject(new Error(`API process ${slot} exited (${signal ?? code}) before it listened`));
        log.error({ process: slot, pid: worker.process.pid, code, signal }, `API process ${slot} died; starting another`);
        start(slot).catch((error) => fail(error));
      });
    });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ processes: workers.size }, `${signal}: stopping the API processes`);
    // Each process drains within SHUTDOWN_TIMEOUT_MS and then exits anyway; this is the primary's own backstop.
    setTimeout(() => {
      log.error('API processes did not exit in time; killing them');
      for (const w of workers.values()) w.process.kill('SIGKILL');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 5_000).unref();
    const exits = [...workers.values()].map(
      (w) =>
        new Promise<boolean>((resolve) => {
          if (w.process.exitCode !== null || w.process.signalCode !== null) return resolve(w.process.exitCode === 0);
          w.once('exit', (code) => resolve(code === 0));
          w.process.kill('SIGTERM');
        }),
    );
    void Promise.all(exits).then((clean) => {
      const ok = !failed && clean.every(Boolean);
      log[ok ? 'info' : 'error'](ok ? 'all API processes shut down cleanly' : 'an API process did not shut down cleanly');
      process.exit(ok ? 0 : 1);
    });
  };
  const fail = (error: unknown) => {
    log.fatal({ err: error }, 'an API process failed to start; stopping all');
    failed = true;
    stop('SIGTERM');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop(signal));

  try {
    const port = await start(1);
    await Promise.all(Array.from({ length: n - 1 }, (_, i) => start(i + 2)));
    log.info({ graphql: `http://localhost:${port}/graphql`, processes: n, pids: [...workers.values()].map((w) => w.process.pid) }, 'Gather API listening');
  } catch (error) {
    fail(error);
  }
}
