import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';

/** A server started as its own OS process, so the load driver never shares its event loop. */
export interface ServerProcess {
  name: string;
  pid: number;
  /** Its HTTP base, e.g. http://127.0.0.1:41234 */
  base: string;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Resident memory in bytes, from /proc. */
  rss(): number;
  /** CPU time used so far (user + system, all threads), in milliseconds, from /proc. */
  cpu(): number;
  /**
   * Collects garbage and reports its memory (processes started with `probe: true`): rss and heapUsed in bytes.
   */
  memory(): Promise<{ rss: number; heapUsed: number }>;
}

/** Kernel clock ticks per second (USER_HZ), the unit of /proc/<pid>/stat times; 100 on Linux. */
const CLOCK_TICKS = 100;

const live = new Set<ChildProcess>();
// Never leave a server behind, whatever way the bench ends.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts `node [nodeArgs] script [args]` and waits for the first output line that `ready` turns into the server's
 * port (a number).
 */
export async function startProcess(options: {
  name: string;
  script: string;
  args?: string[];
  nodeArgs?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Preloads probe.cjs: SIGUSR2 makes the process collect garbage and print its memory. */
  probe?: boolean;
  /** Turns an output line into the port it listens on, or: the port given it, and a path that answers 200 when ready. */
  ready: ((line: string) => number | null) | { port: number; path: string };
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const probe = options.probe ? ['--expose-gc', '--require', new URL('./servers/probe.cjs', import.meta.url).pathname] : [];
  const child = spawn(process.execPath, [...probe, ...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const memoryWaiters: Array<(m: { rss: number; heapUsed: number }) => void> = [];
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${output.slice(-4000)}`)), options.timeoutMs ?? 60_000);
    let pending = '';
    const read = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-200_000);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const probed = /^\{"probe":(\{.*\})\}$/.exec(line.trim());
        if (probed) {
          memoryWaiters.shift()?.(JSON.parse(probed[1]));
          continue;
        }
        const found = typeof options.ready === 'function' ? options.ready(line) : null;
        if (found !== null) {
          clearTimeout(timer);
          resolve(found);
        }
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code ?? signal}) before it was ready:\n${output.slice(-4000)}`));
    });
    if (typeof options.ready === 'object') {
      const { port, path } = options.ready;
      const poll = () =>
        get({ host: '127.0.0.1', port, path }, (res) => {
          res.resume();
          if (res.statusCode === 200) {
            clearTimeout(timer);
            resolve(port);
          } else setTimeout(poll, 100);
        }).on('error', () => setTimeout(poll, 100));
      poll();
    }
  });
  return {
    name: options.name,
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    cpu: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    },
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    memory: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${options.name} did not report its memory`)), 10_000);
        memoryWaiters.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
        child.kill('SIGUSR2');
      }),
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port nobody listens on now (the OS picks it; the process started next binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A ready line printed by the bench's own servers: `{"ready":<port>}`. */
export const benchReady = (line: string): number | null => {
  const m = /^\{"ready":(\d+)\}$/.exec(line.trim());
  return m ? Number(m[1]) : null;
};
