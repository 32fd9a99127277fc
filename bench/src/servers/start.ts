import { mkdirSync } from 'node:fs';
import { apiDir, apiEntry } from '../api-bridge.js';
import type { BenchOptions } from '../options.js';
import { benchReady, freePort, startProcess, type ServerProcess } from '../processes.js';

/** High enough that no benchmark request is ever rate-limited (the limits themselves are not what is measured). */
const UNLIMITED = '1000000000/1s';

/**
 * The API under test: `node api/dist/index.js` on the benchmark database, in production mode, silent, with the
 * bench's pool size and rate limits out of the way; under --cpu-prof when profiling.
 */
export async function startGather(
  options: BenchOptions,
  extra: { probe?: boolean; profileName?: string; nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  const nodeArgs: string[] = [...(extra.nodeArgs ?? [])];
  if (options.profileDir && extra.profileName) {
    mkdirSync(options.profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.profileDir, '--cpu-prof-name', `${extra.profileName}.cpuprofile`);
  }
  const port = await freePort();
  return startProcess({
    name: 'Gather API',
    script: apiEntry,
    cwd: apiDir,
    nodeArgs,
    probe: extra.probe,
    env: {
      DATABASE_URL: options.databaseUrl,
      DB_POOL_MAX: String(options.poolSize),
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
      REDIS_URL: '',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: UNLIMITED,
      RATE_LIMIT_LOGIN_PER_ADDRESS: UNLIMITED,
      RATE_LIMIT_SIGNUP_PER_ADDRESS: UNLIMITED,
      RATE_LIMIT_MESSAGES_PER_USER: UNLIMITED,
      RATE_LIMIT_RSVPS_PER_USER: UNLIMITED,
    },
    ready: { port, path: '/readyz' },
  });
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
