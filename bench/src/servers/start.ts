import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { apiDir, apiEntry } from '../api-bridge.js';
import type { BenchOptions } from '../options.js';
import { benchReady, freePort, startProcess, type ServerProcess } from '../processes.js';

/** High enough that no benchmark request is ever rate-limited (the limits themselves are not what is measured). */
const UNLIMITED = '1000000000/1s';

/**
 * The API under test: `node api/dist/index.js` on the benchmark database, in production mode, silent, with the
 * bench's pool size and rate limits out of the way; under --cpu-prof when profiling. With `processes` > 1 it runs that
 * many API processes on one port (API_PROCESSES, api/src/cluster.ts) on Redis at `redisUrl`, the pool split between
 * them (the same total); its CPU and memory are then those of the primary and all its processes.
 */
export async function startGather(
  options: BenchOptions,
  extra: { probe?: boolean; profileName?: string; nodeArgs?: string[]; processes?: number; redisUrl?: string } = {},
): Promise<ServerProcess> {
  const processes = extra.processes ?? 1;
  const nodeArgs: string[] = [...(extra.nodeArgs ?? [])];
  if (options.profileDir && extra.profileName) {
    mkdirSync(options.profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.profileDir, '--cpu-prof-name', `${extra.profileName}.cpuprofile`);
  }
  const port = await freePort();
  const server = await startProcess({
    name: processes > 1 ? `Gather API (${processes} processes)` : 'Gather API',
    script: apiEntry,
    cwd: apiDir,
    nodeArgs,
    probe: extra.probe,
    env: {
      DATABASE_URL: options.databaseUrl,
      DB_POOL_MAX: String(Math.ceil(options.poolSize / processes)),
      API_PROCESSES: String(processes),
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
      REDIS_URL: extra.redisUrl ?? '',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: UNLIMITED,
      RATE_LIMIT_LOGIN_PER_ADDRESS: UNLIMITED,
      RATE_LIMIT_SIGNUP_PER_ADDRESS: UNLIMITED,
      RATE_LIMIT_MESSAGES_PER_USER: UNLIMITED,
      RATE_LIMIT_RSVPS_PER_USER: UNLIMITED,
    },
    ready: { port, path: '/readyz' },
    timeoutMs: 60_000 * processes,
  });
  if (processes === 1 && !extra.redisUrl) return server;
  await everyProcessAnswers(port, processes);
  return { ...server, cpu: () => treeCpu(server.pid), rss: () => treeRss(server.pid) };
}

/**
 * Waits until each of `n` API processes has answered on the shared port (its x-gather-process header), one new
 * connection at a time: /readyz answers as soon as the first is up.
 */
async function everyProcessAnswers(port: number, n: number): Promise<void> {
  if (n === 1) return;
  const seen = new Set<string>();
  const deadline = Date.now() + 60_000 * n;
  while (seen.size < n) {
    if (Date.now() > deadline) throw new Error(`only ${seen.size} of ${n} API processes answered`);
    const slot = await new Promise<string | undefined>((resolve) =>
      get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
        res.resume();
        resolve(res.headers['x-gather-process'] as string | undefined);
      }).on('error', () => resolve(undefined)),
    );
    if (slot) seen.add(slot);
    else await new Promise((r) => setTimeout(r, 100));
  }
}

/** `pid` and every process under it, from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** CPU time (user + system, ms) of `pid` and every process under it, as ServerProcess.cpu is for one. */
function treeCpu(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks * 10; // 100 ticks a second (USER_HZ)
}

/** Resident memory (bytes) of `pid` and every process under it. */
function treeRss(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb * 1024;
}

const benchServer = (name: string, file: string, options: BenchOptions, probe = false) =>
  startProcess({
    name,
    script: new URL(file, import.meta.url).pathname,
    probe,
    env: { DATABASE_URL: options.databaseUrl, DB_POOL_MAX: String(options.poolSize), NODE_ENV: 'production' },
    ready: benchReady,
  });

/** The ceiling: node:http + hand-written SQL, and a raw ws server (servers/ceiling.ts). */
export const startCeiling = (options: BenchOptions, probe = false) => benchServer('ceiling', './ceiling.js', options, probe);

/** The peer: PostGraphile 4 (servers/peer.ts). */
export const startPeer = (options: BenchOptions) => benchServer('PostGraphile', './peer.js', options);

/** The one-statement ceiling: node:http + one SQL statement per page that builds the JSON answer (servers/ceiling-sql.ts). */
export const startOneStatement = (options: BenchOptions) => benchServer('one-statement ceiling', './ceiling-sql.js', options);
