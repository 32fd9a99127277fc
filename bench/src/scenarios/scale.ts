import pg from 'pg';
import { ensureDataset } from '../dataset/database.js';
import { loadFixtures, type Fixtures } from '../fixtures.js';
import { problem, send } from '../load/http-load.js';
import { cycle, firstOfCycle } from '../load/mix.js';
import { interleaved, type LoadTarget } from '../load/rounds.js';
import { databaseFor, scaled, type BenchOptions } from '../options.js';
import type { ServerProcess } from '../processes.js';
import type { Check } from '../results.js';
import { startGather } from '../servers/start.js';
import { pages } from './pages.js';

// How Gather's cost grows with the data and with the number of API processes, on the page mix (eventPage,
// groupPage, exploreGroups; scenarios/pages.ts). Gather alone: the ceilings and the peer are measured by the pages
// scenario. Each setup is a server of its own, all running at once and measured in alternating rounds, so a change
// in the machine's load falls on all of them alike.

/** The pages measured here. */
export const SCALE_PAGES = ['eventPage', 'groupPage', 'exploreGroups'] as const;

/** One page on one setup: Gather at a data scale, or with a number of API processes. */
export interface ScaleRow {
  page: string;
  /** The dataset as a fraction of the full one. */
  scale: number;
  processes: number;
  requests: number;
  errors: number;
  firstError: string | null;
  throughput: number;
  p50: number | null;
  p99: number | null;
  /** Server CPU per request, summed over the primary and every API process. */
  cpuMsPerRequest: number | null;
  /** Resident memory after the measurement, summed the same way (MiB). */
  rssMiB: number;
}

export interface ScaleResult {
  rows: ScaleRow[];
  checks: Check[];
}

/** Requests of each page's mix sent one at a time to every setup before it is measured (as scenarios/pages.ts checks). */
const FIRST = 24;

/**
 * Waits until `server` (all its processes) is idle: each API process builds its place index and starts its job worker
 * after it listens, which on a busy machine takes several seconds of CPU, and would otherwise fall into the first
 * measurement, the more the more processes (at most a minute).
 */
async function settled(server: ServerProcess, log: (m: string) => void): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const before = server.cpu();
    await new Promise((r) => setTimeout(r, 1000));
    const used = server.cpu() - before;
    if (used < 50) return;
    if (Date.now() > deadline) return log(`  ${server.name} still busy without load (${used} ms CPU a second); measuring anyway`);
  }
}

/**
 * Fewer connections than the pages scenario (50): still more than enough to keep 2 cores busy (4 per process with 4
 * processes), with latencies well under a round, which keeps the count of requests that fit a round fair (below).
 */
const CONNECTIONS = 16;

/**
 * Rounds of at least 5 s: a request counts only when it starts and ends inside a round, so at the latencies of a busy
 * machine (a second and more at 50 connections) short rounds would drop most requests and inflate CPU per request.
 */
const roundsOf = (options: BenchOptions) => Math.max(1, Math.min(options.rounds, Math.floor(options.seconds / 5)));

/**
 * Measures each page on every server of `setups` in alternating rounds. Before that, each server answers the first
 * requests of the page's mix one at a time (checked for errors, and a warm-up of every code path; the load's own
 * warm-up then reaches every process).
 */
async function measure(
  options: BenchOptions,
  scenario: string,
  setups: Array<{ key: string; scale: number; processes: number; server: ServerProcess; fixtures: Fixtures }>,
  log: (m: string) => void,
): Promise<ScaleResult> {
  const rows: ScaleRow[] = [];
  const checks: Check[] = [];
  for (const s of setups) await settled(s.server, log);
  for (const page of SCALE_PAGES) {
    const itemsOf = (f: Fixtures) => pages(f).find((p) => p.scenario === page)!.items;
    for (const s of setups) {
      const items = itemsOf(s.fixtures);
      let failure: string | null = null;
      for (const { index, signedIn, item } of firstOfCycle(items, Math.min(FIRST, 2 * items.length))) {
        const found = await send(s.server.base, item('gather', signedIn)).then(({ status, body }) => problem(status, body), String);
        if (found) failure ??= `item ${index}${signedIn ? ' signed in' : ''}: ${found}`;
      }
      checks.push({ scenario, what: `Gather (${s.key}) answers the first requests of the ${page} mix without errors`, ok: !failure, detail: failure ?? undefined });
    }
    const targets: Array<LoadTarget<string>> = setups.map((s) => ({
      key: s.key,
      server: s.server,
      connections: CONNECTIONS,
      next: cycle(itemsOf(s.fixtures), 'gather'),
    }));
    const results = await interleaved(targets, { ...options, rounds: roundsOf(options) });
    for (const s of setups) {
      const r = results[s.key];
      const row: ScaleRow = {
        page,
        scale: s.scale,
        processes: s.processes,
        requests: r.requests,
        errors: r.errors,
        firstError: r.firstError,
        throughput: r.throughput,
        p50: r.latency.p50,
        p99: r.latency.p99,
        cpuMsPerRequest: r.cpuMsPerRequest,
        rssMiB: Math.round(s.server.rss() / 2 ** 20),
      };
      log(`  ${page} ${s.key}: ${row.throughput} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.cpuMsPerRequest} ms CPU per request, ${row.rssMiB} MiB${row.errors ? `, ${row.errors} errors: ${row.firstError}` : ''}`);
      rows.push(row);
      checks.push({ scenario, what: `Gather (${s.key}) answers the ${page} mix under load without errors`, ok: r.errors === 0, detail: r.firstError ?? undefined });
      if (r.errors) log(`  ${s.server.name}'s last output:\n${s.server.output().slice(-2000)}`);
    }
  }
  return { rows, checks };
}

/**
 * `scaling`: Gather on the dataset at options.scaling.small and .large (full run: 0.1 and 1, i.e. 1× and 10×), each
 * in its own database (made or reused; the run's own is already there), one API process each.
 */
export async function runScaling(options: BenchOptions, log: (m: string) => void): Promise<ScaleResult> {
  const setups: Array<{ key: string; scale: number; processes: number; server: ServerProcess; fixtures: Fixtures }> = [];
  try {
    for (const scale of [options.scaling.small, options.scaling.large]) {
      const databaseUrl = databaseFor(options, scale);
      const at = { ...options, databaseUrl, size: scaled(scale), fresh: scale === options.scale && options.fresh };
      const dataset = await ensureDataset(at, log);
      log(`scaling: dataset at ${scale} ready in ${dataset.seconds} s`);
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      const fixtures = await loadFixtures(pool, { members: options.connections, spreadEvents: options.connections }).finally(() => pool.end());
      setups.push({ key: `scale ${scale}`, scale, processes: 1, server: await startGather(at), fixtures });
    }
    return await measure(options, 'scaling', setups, log);
  } finally {
    await Promise.all(setups.map((s) => s.server.stop()));
  }
}

/**
 * `processes`: Gather on the run's dataset with each of options.processCounts API processes behind one port (all on
 * Redis, the 1-process setup too, so that only the count changes; the pool of 20 split between them).
 */
export async function runProcesses(options: BenchOptions, fixtures: Fixtures, redisUrl: string, log: (m: string) => void): Promise<ScaleResult> {
  const setups: Array<{ key: string; scale: number; processes: number; server: ServerProcess; fixtures: Fixtures }> = [];
  try {
    for (const processes of options.processCounts) {
      const server = await startGather(options, { processes, redisUrl });
      setups.push({ key: `${processes} process${processes === 1 ? '' : 'es'}`, scale: options.scale, processes, server, fixtures });
    }
    return await measure(options, 'processes', setups, log);
  } finally {
    await Promise.all(setups.map((s) => s.server.stop()));
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b !== 0 ? (a / b).toFixed(2) : '—');

/**
 * The rows as a Markdown table: each setup's throughput, p50/p99, CPU per request and memory, and each as a ratio of
 * the first setup of its page (1× data, or 1 process).
 */
export function renderScale(title: string, rows: ScaleRow[], by: 'scale' | 'processes'): string {
  const base = new Map<string, ScaleRow>();
  for (const r of rows) if (!base.has(r.page)) base.set(r.page, r);
  const body = rows.map((r) => {
    const b = base.get(r.page)!;
    return [
      r.page,
      by === 'scale' ? `${r.scale} (${+(r.scale / b.scale).toFixed(2)}×)` : String(r.processes),
      `${r.throughput} (${ratio(r.throughput, b.throughput)})`,
      `${r.p50} / ${r.p99} (${ratio(r.p99, b.p99)})`,
      `${r.cpuMsPerRequest ?? '?'} (${ratio(r.cpuMsPerRequest, b.cpuMsPerRequest)})`,
      String(r.rssMiB),
    ];
  });
  const head = [title, by === 'scale' ? 'data (× full)' : 'API processes', 'req/s (× first)', 'p50 / p99 ms (p99 × first)', 'CPU ms/req (× first)', 'RSS MiB'];
  return table(head, body);
}
