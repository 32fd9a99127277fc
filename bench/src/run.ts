import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { benchDir } from './api-bridge.js';
import { ensureDataset } from './dataset/database.js';
import { loadFixtures } from './fixtures.js';
import { readOptions } from './options.js';
import type { ServerProcess } from './processes.js';
import { renderReport, targets } from './report.js';
import type { Check, Measurement, Target } from './results.js';
import { runChat } from './scenarios/chat.js';
import { runFanout } from './scenarios/fanout.js';
import { runPages } from './scenarios/pages.js';
import { runRsvp } from './scenarios/rsvp.js';
import { renderScale, runProcesses, runScaling, type ScaleRow } from './scenarios/scale.js';
import { startCeiling, startGather, startOneStatement, startPeer } from './servers/start.js';

// npm run bench: the dataset, then every scenario on Gather, its ceiling and PostGraphile, then the tables and
// bench/results.json. Every server is a process of its own and is stopped before the bench ends.

const options = readOptions(process.argv.slice(2), process.env, join(benchDir, 'results.json'));
// One socket per subscriber needs as many file descriptors, here and in the server: within a lower `ulimit -n`,
// subscriptions share sockets instead (graphql-ws multiplexes them), and the results say so.
const openFiles = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 1024);
const socketsAllowed = Math.max(16, openFiles - 512);
// The API runs at most 20 subscriptions per socket (docs/ARCHITECTURE.md, "Live protocol").
const MAX_PER_SOCKET = 20;
if (options.fanout.subscribers / options.fanout.perSocket > socketsAllowed) {
  options.fanout.perSocket = Math.min(MAX_PER_SOCKET, Math.ceil(options.fanout.subscribers / socketsAllowed));
  console.log(`ulimit -n is ${openFiles}: fan-out puts ${options.fanout.perSocket} subscriptions on each socket (raise it for one each)`);
}
options.fanout.perSocket = Math.min(MAX_PER_SOCKET, options.fanout.perSocket);
const started = Date.now();
const log = (msg: string) => console.log(msg);
const only = (scenario: string) => options.only.length === 0 || options.only.includes(scenario);
// Run only when named: scaling needs a second dataset, processes a Redis server (scenarios/scale.ts).
const named = (scenario: string) => options.only.includes(scenario);
const redisUrl = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
const loadBefore = loadavg();

const dataset = await ensureDataset(options, log);
log(`dataset ready in ${dataset.seconds} s: ${JSON.stringify(dataset.rows)}`);
const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
const postgres = (await pool.query('show server_version')).rows[0].server_version as string;
const fixtures = await loadFixtures(pool, {
  members: Math.max(options.fanout.subscribers / options.fanout.perSocket, options.connections * 20, options.chat.subscribers) + 200,
  spreadEvents: Math.min(500, Math.max(options.connections, Math.round(options.size.events / 20))),
});
const measurements: Measurement[] = [];
const checks: Check[] = [];
const servers: Partial<Record<Target, ServerProcess>> = {};
let scaling: ScaleRow[] = [];
let processes: ScaleRow[] = [];

try {
  if (['eventPage', 'eventPageHot', 'groupPage', 'exploreGroups', 'rsvpHot', 'rsvpSpread', 'chat'].some(only)) {
    log('starting Gather, the ceiling, the one-statement ceiling and PostGraphile');
    [servers.gather, servers.ceiling, servers.oneStatement, servers.peer] = await Promise.all([
      startGather(options, { profileName: 'gather-http' }),
      startCeiling(options),
      startOneStatement(options),
      startPeer(options),
    ]);
    const running = servers as Record<Target, ServerProcess>;
    for (const run of [
      () => runPages(options, fixtures, running, only, log),
      () => runRsvp(options, fixtures, pool, running, only, log),
      () => (only('chat') ? runChat(options, fixtures, pool, running, log) : Promise.resolve({ measurements: [], checks: [] })),
    ]) {
      const result = await run();
      measurements.push(...result.measurements);
      checks.push(...result.checks);
    }
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  if (only('fanout')) {
    const result = await runFanout(
      options,
      fixtures,
      pool,
      { gather: () => startGather(options, { probe: true, profileName: 'gather-fanout' }), ceiling: () => startCeiling(options, true) },
      log,
    );
    measurements.push(...result.measurements);
    checks.push(...result.checks);
  }
  if (named('scaling')) {
    log(`scaling: the page mix on ${options.scaling.small} and ${options.scaling.large} of the full dataset`);
    const result = await runScaling(options, log);
    scaling = result.rows;
    checks.push(...result.checks);
  }
  if (named('processes')) {
    log(`processes: the page mix with ${options.processCounts.join(', ')} API processes on one port (Redis at ${redisUrl})`);
    const result = await runProcesses(options, fixtures, redisUrl, log);
    processes = result.rows;
    checks.push(...result.checks);
  }
} finally {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  await pool.end();
}

const outcomes = targets(measurements);
const report = [
  ...(measurements.length ? [renderReport(measurements, outcomes, checks)] : []),
  ...(scaling.length ? [renderScale('scaling', scaling, 'scale')] : []),
  ...(processes.length ? [renderScale('processes', processes, 'processes')] : []),
  ...(measurements.length ? [] : [checks.every((c) => c.ok) ? `All ${checks.length} checks passed.` : checks.filter((c) => !c.ok).map((c) => `- FAILED ${c.scenario}: ${c.what} — ${c.detail}`).join('\n')]),
].join('\n\n');
console.log(`\n${report}\n`);
const results = {
  generatedAt: new Date().toISOString(),
  mode: options.mode,
  scale: options.scale,
  seconds: Math.round((Date.now() - started) / 1000),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    loadAverageBefore: loadBefore.map((x) => Math.round(x * 100) / 100),
    loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100),
  },
  settings: {
    openFilesLimit: openFiles,
    connections: options.connections,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    rounds: options.rounds,
    poolSize: options.poolSize,
    fanout: options.fanout,
    chat: options.chat,
  },
  dataset,
  fixtures: {
    eventId: fixtures.eventPage.eventId,
    groupSlug: fixtures.groupPage.slug,
    mix: { events: fixtures.mix.events.length, groups: fixtures.mix.groups.length, searches: fixtures.mix.searches.length },
  },
  measurements,
  targets: outcomes,
  // Gather alone on the page mix at two data scales, and with several API processes (scenarios/scale.ts).
  ...(scaling.length ? { scaling: { scales: options.scaling, rows: scaling } } : {}),
  ...(processes.length ? { processes: { counts: options.processCounts, poolTotal: options.poolSize, redis: true, rows: processes } } : {}),
  checks,
};
writeFileSync(options.resultsPath, `${JSON.stringify(results, null, 2)}\n`);
log(`results written to ${options.resultsPath} (${results.seconds} s in all)`);
process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
