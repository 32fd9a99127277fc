import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether a `redis-server` binary is installed here. */
export const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0;

/** A redis-server owned by one test file, on its own port: it may be killed, frozen and started again. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Kills it outright (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing). */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing answers. `thaw` undoes it. */
  freeze(): void;
  thaw(): void;
  /** Kills it for good (afterAll). */
  close(): Promise<void>;
}

/** Starts a private `redis-server` on a free port (never the machine's shared one). */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}: ${out}`)), 10_000);
      const read = (data: Buffer) => {
        out += data;
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', read); // kept reading, so a full pipe never blocks the server
      proc.stderr!.on('data', read);
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code ?? signal}): ${out}`));
      });
    });

  const kill = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
    child = null;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async close() {
      await kill();
      process.off('exit', killOnExit);
    },
  };
}

/** How many Redis connections listen on each channel (PUBSUB NUMSUB), asked on a short-lived connection. */
export async function channelListeners(url: string, channels: string[]): Promise<number[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const reply = (await redis.call('pubsub', 'numsub', ...channels)) as Array<string | number>;
    return channels.map((_, i) => Number(reply[i * 2 + 1]));
  } finally {
    redis.disconnect();
  }
}
