import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { RunningApi } from '../server/app.js';
import type { GqlResult, TestApi } from './api.js';
import { freshDatabase } from './database.js';
import { startPrivateRedis, type PrivateRedis } from './redis-server.js';

const apiDir = fileURLToPath(new URL('../../', import.meta.url));
const entry = join(apiDir, 'dist/index.js');

/** Newest modification time of the API's build inputs (tests and test helpers excluded). */
function newestSource(dir = join(apiDir, 'src')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test') newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Whether `dist/index.js` exists and is newer than every source. */
function upToDate(): boolean {
  try {
    return statSync(entry).mtimeMs >= newestSource();
  } catch {
    return false; // not built yet
  }
}

/** Held (an atomic mkdir) by the one test process building dist/: test files run in parallel workers. */
const buildLock = join(apiDir, 'dist/.build-lock');

/**
 * Builds `dist/` (tsc) when `dist/index.js` is missing or older than a source file. Only one test process
 * builds at a time; the others wait for it, so none starts `node dist/index.js` from a half-written dist/.
 */
export async function ensureBuilt(): Promise<void> {
  for (;;) {
    if (upToDate()) return;
    try {
      mkdirSync(join(apiDir, 'dist'), { recursive: true });
      mkdirSync(buildLock);
    } catch {
      // Someone else is building; a lock older than two minutes was left by a process that died.
      const age = Date.now() - (statSync(buildLock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(buildLock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      if (!upToDate()) await build();
    } finally {
      rmSync(buildLock, { recursive: true, force: true });
    }
    return;
  }
}

async function build(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const proc = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: apiDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    proc.once('exit', (code) => resolve({ code, output }));
  });
  // tsc still emits on type errors elsewhere in the tree; the processes' start-up shows whether the build runs.
  if (code !== 0) console.warn(`tsc -p tsconfig.build.json exited ${code}:\n${output}`);
  // A source saved while tsc ran (several people in one tree) leaves dist a little behind: worth a word, not a failure.
  if (statSync(entry).mtimeMs < newestSource()) console.warn('dist/index.js is older than a source changed during the build');
}

/** An API started as its own OS process (`node dist/index.js`). */
export interface ApiProcess {
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** Everything it printed, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
  /** Sends `signal` to the process (SIGTERM to drain, SIGKILL to crash it). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node dist/index.js` on a free port with `env` added, and waits for its "listening" line. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const proc: ChildProcess = spawn(process.execPath, [entry], {
    cwd: apiDir,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', PASSWORD_SCRYPT_LOG_N: '10', SEED_DEMO_DATA: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API process did not start:\n${output}`)), 30_000);
    const read = (data: Buffer) => {
      output += data;
      const match = /"graphql":"https?:\/\/[^:"]+:(\d+)\/graphql"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    proc.stdout!.on('data', read);
    proc.stderr!.on('data', read);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API process exited (${code}) before listening:\n${output}`));
    });
  });
  const port = await listening.catch((error) => {
    proc.kill('SIGKILL');
    process.off('exit', killOnExit);
    throw error;
  });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    output: () => output,
    kill: (signal) => proc.kill(signal),
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
    },
  };
}

/** A GraphQL-over-HTTP client for `url`, as TestApi's `gql`. */
export function gqlClient(url: string): TestApi['gql'] {
  return async (query, variables = {}, token) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as GqlResult<any>;
    return { ...body, status: res.status, headers: res.headers };
  };
}

/**
 * The factories' view (`gql`, and `api.db`/`api.url` for SQL checks) of an API this test did not start
 * with startTestApi: another process at `url`, or a second in-process API. Closing it is the caller's job.
 */
export function apiAt(url: string, db: Database, config: Config, running?: RunningApi): TestApi {
  const api = running ?? ({ url, db } as RunningApi); // a remote process: only url and db exist
  return { api, config, gql: gqlClient(url), close: async () => {} };
}

/** What `/readyz` of the API at `graphqlUrl` answers. */
export async function readiness(graphqlUrl: string): Promise<{ status: number; body: any }> {
  const res = await fetch(graphqlUrl.replace(/\/graphql$/, '/readyz'));
  return { status: res.status, body: await res.json() };
}

/** Polls `check` every 20 ms until it returns true (or throws `message` after `timeoutMs`). */
export async function waitUntil(check: () => boolean | Promise<boolean>, message: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs every clean-up step in order even when one fails (so no process or database is left behind), then throws the first failure. */
export async function closeAll(...steps: Array<() => Promise<unknown> | undefined>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw failures[0];
}

/**
 * What a test of several API processes starts from: the API built, a Redis (REDIS_URL, else a private server the
 * test closes) and a fresh PostgreSQL database.
 */
export async function processesWorld(): Promise<{ redis: PrivateRedis | null; redisUrl: string; fresh: Awaited<ReturnType<typeof freshDatabase>> }> {
  const built = ensureBuilt();
  const redis = process.env.REDIS_URL ? null : await startPrivateRedis();
  const redisUrl = process.env.REDIS_URL ?? redis!.url;
  const fresh = await freshDatabase();
  await built;
  return { redis, redisUrl, fresh };
}
