import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { cycle, type MixItem } from './src/load/mix.js';
import { databaseFor, readOptions } from './src/options.js';
import { renderScale, type ScaleRow } from './src/scenarios/scale.js';

// The bench's smoke test: `npm run bench -- --smoke` end to end on tiny data (every scenario, a second each) against a
// real PostgreSQL server, then a look at bench/results.json's shape: each scenario measured on Gather and its ceiling
// (and the one-statement ceiling and PostGraphile for the pages, over the mix), with samples and no errors, and every
// correctness check held — both ceilings' data equal to Gather's on at least 20 requests of each page's mix, and no
// oversell or drifting count after the RSVP runs. No timing is asserted: speed is the bench's to report.

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(benchDir, '..');
const server = new URL(process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
const database = `gather_bench_smoke_${process.pid}`;
const adminUrl = Object.assign(new URL(server), { pathname: '/postgres' }).toString();

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const available = await reachable();
if (!available) {
  if (process.env.REQUIRE_ALL === '1') throw new Error(`REQUIRE_ALL=1, but no PostgreSQL server answers at ${server.host}`);
  console.warn(`[skipped] the bench needs a real PostgreSQL server; none answers at ${server.host}`);
}

/** Newest modification time of the .ts files under `dir` (tests left out). */
function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) time = Math.max(time, newest(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) time = Math.max(time, statSync(path).mtimeMs);
  }
  return time;
}

/** Builds a workspace with tsc when `entry` is missing or older than its sources. */
function ensureBuilt(workspace: string, entry: string) {
  let built = 0;
  try {
    built = statSync(join(repoRoot, workspace, entry)).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= newest(join(repoRoot, workspace, 'src'))) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: join(repoRoot, workspace), encoding: 'utf8' });
  if (run.status !== 0) console.warn(`tsc in ${workspace} exited ${run.status}:\n${run.stdout}${run.stderr}`);
}

interface Results {
  fixtures: { mix: { events: number; groups: number; searches: number } };
  measurements: Array<{ scenario: string; target: string; samples: number; errors: number; firstError: string | null; metrics: Record<string, number | null> }>;
  checks: Array<{ scenario: string; what: string; ok: boolean; detail?: string }>;
  targets: Array<{ scenario: string; metric: string; versus: string | null; ratio: number | null; pass: boolean | null }>;
}

/** Whether a Redis server answers at BENCH_REDIS_URL (default 127.0.0.1:6379): the processes scenario needs one. */
const redisUrl = new URL(process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379');
const redis = await new Promise<boolean>((resolve) => {
  const socket = connect(Number(redisUrl.port || 6379), redisUrl.hostname);
  socket.setTimeout(2000, () => (socket.destroy(), resolve(false)));
  socket.once('connect', () => (socket.end(), resolve(true)));
  socket.once('error', () => resolve(false));
});
if (available && !redis) {
  if (process.env.REQUIRE_ALL === '1') throw new Error(`REQUIRE_ALL=1, but no Redis server answers at ${redisUrl.host}`);
  console.warn(`[skipped] the bench's processes scenario needs Redis; none answers at ${redisUrl.host}`);
}

describe.skipIf(!available)('npm run bench -- --smoke', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gather-bench-'));
  let results: Results;
  let exit: { code: number | null; output: string };

  beforeAll(async () => {
    ensureBuilt('api', 'dist/index.js');
    ensureBuilt('bench', 'dist/run.js');
    const url = Object.assign(new URL(server), { pathname: `/${database}` }).toString();
    exit = await new Promise((resolve) => {
      const child = spawn(process.execPath, [join(benchDir, 'dist/run.js'), '--smoke', '--out', join(dir, 'results.json')], {
        cwd: benchDir,
        env: { ...process.env, BENCH_DATABASE_URL: url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.once('exit', (code) => resolve({ code, output }));
    });
    results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  }, 230_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists ${database} with (force)`);
    await client.query(`drop database if exists ${database}_s0_03 with (force)`); // the scaling scenario's second size
    await client.end();
  });

  it('runs every scenario on Gather and its ceiling, and the pages on PostGraphile, with samples and no errors', () => {
    expect(exit.code, exit.output.slice(-3000)).toBe(0);
    const measured = (scenario: string) => results.measurements.filter((m) => m.scenario === scenario).map((m) => m.target).sort();
    for (const page of ['eventPage', 'eventPageHot', 'groupPage', 'exploreGroups']) {
      expect(measured(page)).toEqual(['ceiling', 'gather', 'oneStatement', 'peer']);
    }
    for (const scenario of ['rsvpHot', 'rsvpSpread', 'chat', 'fanout']) expect(measured(scenario)).toEqual(['ceiling', 'gather']);
    for (const m of results.measurements) {
      expect(m.samples, `${m.scenario} on ${m.target}`).toBeGreaterThan(0);
      expect({ scenario: m.scenario, target: m.target, errors: m.errors, first: m.firstError }).toMatchObject({ errors: 0 });
    }
    const fanout = results.measurements.filter((m) => m.scenario === 'fanout');
    for (const m of fanout) expect(m.metrics.rssPerSubscriber).not.toBeNull();
    // CPU per RSVP with the web's EventAttendance against a counts-only document, on Gather only (issue 10).
    expect(measured('fanoutCpu')).toEqual(['gather']);
    expect(results.targets.find((t) => t.scenario === 'fanoutCpu' && t.metric === 'cpuRatio')?.ratio).toBeGreaterThan(0);
    // Every page's ratio against both ceilings and PostGraphile from the same run, and the CPU per EventPage.
    for (const page of ['eventPage', 'groupPage', 'exploreGroups']) {
      const against = results.targets.filter((t) => t.scenario === page && t.metric === 'throughput');
      expect(against.map((t) => t.versus).sort()).toEqual(['ceiling', 'oneStatement', 'peer']);
      for (const t of against) expect(t.ratio, `${page} against ${t.versus}`).toBeGreaterThan(0);
    }
    expect(results.targets.find((t) => t.scenario === 'eventPage' && t.metric === 'cpuMsPerRequest')?.ratio).toBeGreaterThan(0);
    expect(results.targets.find((t) => t.scenario === 'rsvpSpread')?.versus).toBe('ceiling');
  });

  it('measures the pages over a mix: many events, groups and searches; the hot event alone', () => {
    expect(results.fixtures.mix.events).toBeGreaterThanOrEqual(100);
    expect(results.fixtures.mix.groups).toBeGreaterThanOrEqual(20);
    expect(results.fixtures.mix.searches).toBeGreaterThanOrEqual(100);
    const items = (scenario: string) => results.measurements.find((m) => m.scenario === scenario && m.target === 'gather')?.metrics.mixItems;
    expect(items('eventPage')).toBe(results.fixtures.mix.events);
    expect(items('groupPage')).toBe(results.fixtures.mix.groups);
    expect(items('exploreGroups')).toBe(results.fixtures.mix.searches);
    expect(items('eventPageHot')).toBe(1);
  });

  it('answers the same data as the ceiling and keeps every attendance invariant after the RSVP runs (no oversell)', () => {
    const failed = results.checks.filter((c) => !c.ok);
    expect(failed).toEqual([]);
    const same = results.checks.filter((c) => c.what.includes('same data'));
    expect(same.map((c) => c.scenario).sort()).toEqual(
      ['eventPage', 'eventPageHot', 'exploreGroups', 'groupPage'].flatMap((page) => [page, page]),
    );
    for (const page of ['eventPage', 'groupPage', 'exploreGroups']) {
      for (const ceiling of ['the ceiling', 'the one-statement ceiling']) {
        const check = same.find((c) => c.scenario === page && c.what.includes(`Gather and ${ceiling} answer`));
        // "… on 24 requests of the mix (24 items, 12 signed in)": at least 20 different items, signed in and anonymous.
        const [, requests, items, signedIn] = /on (\d+) requests of the mix \((\d+) items, (\d+) signed in\)/.exec(check?.what ?? '') ?? [];
        expect(Number(items), `${page}: ${check?.what}`).toBeGreaterThanOrEqual(20);
        expect(Number(signedIn)).toBeGreaterThan(0);
        expect(Number(signedIn)).toBeLessThan(Number(requests));
      }
    }
    const invariants = results.checks.filter((c) => c.scenario.startsWith('rsvp') && c.what.includes('invariant'));
    expect(invariants).toHaveLength(4);
    for (const m of results.measurements.filter((m) => m.scenario.startsWith('rsvp'))) expect(m.metrics.oversold).toBe(0);
  });

  it.skipIf(!redis)('measures the page mix at two data scales and with 1 and 2 API processes (--only scaling,processes)', async () => {
    const url = Object.assign(new URL(server), { pathname: `/${database}` }).toString();
    const out = join(dir, 'scale.json');
    const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [join(benchDir, 'dist/run.js'), '--smoke', '--only', 'scaling,processes', '--seconds', '0.5', '--out', out], {
        cwd: benchDir,
        env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_REDIS_URL: redisUrl.toString() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.once('exit', (code) => resolve({ code, output }));
    });
    expect(run.code, run.output.slice(-3000)).toBe(0);
    const scale = JSON.parse(readFileSync(out, 'utf8')) as Results & { scaling: { rows: ScaleRow[] }; processes: { rows: ScaleRow[] } };
    expect(scale.measurements).toEqual([]);
    const setups = (rows: ScaleRow[]) => rows.map((r) => `${r.page} ${r.scale} ${r.processes}`);
    const pages = ['eventPage', 'groupPage', 'exploreGroups'];
    expect(setups(scale.scaling.rows)).toEqual(pages.flatMap((p) => [`${p} 0.015 1`, `${p} 0.03 1`]));
    expect(setups(scale.processes.rows)).toEqual(pages.flatMap((p) => [`${p} 0.015 1`, `${p} 0.015 2`]));
    for (const row of [...scale.scaling.rows, ...scale.processes.rows]) {
      expect(row.errors, `${row.page} ${row.scale} ${row.processes}: ${row.firstError}`).toBe(0);
      expect(row.rssMiB).toBeGreaterThan(0);
    }
    // No sample count is asserted (half a second on a busy machine may hold none); the checks below say that every
    // setup, the two processes behind one port among them, answered the first requests of each mix without errors.
    expect(scale.checks.filter((c) => c.what.includes('2 processes') && c.what.includes('first requests'))).toHaveLength(3);
    expect(scale.checks.filter((c) => !c.ok)).toEqual([]);
    expect(run.output).toContain('| processes');
  }, 300_000);
});

describe('the mix a load run cycles through', () => {
  const items: Array<MixItem<'a' | 'b'>> = Array.from({ length: 4 }, (_, i) => (key, signedIn) => ({ path: `/${key}/${i}`, body: String(signedIn) }));

  it('asks for every item in turn, each signed in and anonymous, in the same order for every target', () => {
    const a = cycle(items, 'a');
    const b = cycle(items, 'b');
    const seen = Array.from({ length: 8 }, () => a());
    expect(seen.map((r) => `${r.path} ${r.body}`)).toEqual([
      '/a/0 true', '/a/1 false', '/a/2 true', '/a/3 false',
      '/a/0 false', '/a/1 true', '/a/2 false', '/a/3 true',
    ]);
    expect(Array.from({ length: 8 }, () => b().path.replace('/b/', '/a/'))).toEqual(seen.map((r) => r.path));
  });
});

describe('the bench options', () => {
  const read = (...argv: string[]) => readOptions(argv, {}, '/tmp/results.json');

  it('sizes the dataset with --scale (full = 1, --quick = 0.1), each size in a database of its own', () => {
    expect(read()).toMatchObject({ mode: 'full', scale: 1, databaseUrl: 'postgresql://postgres@127.0.0.1:5432/gather_bench' });
    expect(read('--quick')).toMatchObject({ mode: 'quick', scale: 0.1, size: { users: 10_000, events: 2_000 } });
    expect(read('--quick').databaseUrl).toMatch(/\/gather_bench_s0_1$/);
    expect(read('--scale', '0.5')).toMatchObject({ mode: 'full', scale: 0.5, size: { users: 50_000, rsvps: 500_000 } });
    expect(read('--scale', '0.5').databaseUrl).toMatch(/\/gather_bench_s0_5$/);
    expect(() => read('--scale', '0')).toThrow(/--scale/);
  });

  it('compares a tenth of the run\'s data with all of it in the scaling scenario, the other size beside the run\'s database', () => {
    const full = read();
    expect(full.scaling).toEqual({ small: 0.1, large: 1 });
    expect(databaseFor(full, 0.1)).toMatch(/\/gather_bench_s0_1$/);
    expect(read('--quick').scaling).toEqual({ small: 0.01, large: 0.1 });
    const named = readOptions(['--smoke'], { BENCH_DATABASE_URL: 'postgresql://x@h:5432/mine' }, '/tmp/r.json');
    expect(named.databaseUrl).toBe('postgresql://x@h:5432/mine');
    expect(databaseFor(named, named.scaling.large)).toBe('postgresql://x@h:5432/mine_s0_03');
  });

  it('prints each setup as a ratio of the first of its page', () => {
    const row = (processes: number, throughput: number, p99: number, cpu: number): ScaleRow => ({
      page: 'eventPage', scale: 1, processes, requests: 100, errors: 0, firstError: null, throughput, p50: 1, p99, cpuMsPerRequest: cpu, rssMiB: 200 * processes,
    });
    const text = renderScale('processes', [row(1, 100, 200, 4), row(2, 150, 100, 5)], 'processes');
    expect(text).toContain('| eventPage | 2             | 150 (1.50)      | 1 / 100 (0.50)             | 5 (1.25)             | 400     |');
  });
});
