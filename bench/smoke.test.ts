import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycle, type MixItem } from './src/load/mix.js';

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
