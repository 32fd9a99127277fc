import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { apiDir, benchDir } from '../api-bridge.js';
import { ensureDataset } from '../dataset/database.js';
import { createBenchEvent, loadFixtures } from '../fixtures.js';
import { openSubscribers, waitFor, type Subscribers } from '../load/ws-clients.js';
import { webOperation } from '../operations.js';
import { readOptions } from '../options.js';
import { answerYes } from '../scenarios/fanout.js';
import { startGather } from '../servers/start.js';

// Where the API's memory per idle subscriber goes: opens N idle subscribers (the fan-out scenario's, one signed-in
// socket each), takes a heap snapshot, opens N more, takes another; compare them with heap-top.js (divisor N).
// Usage: node dist/tools/fanout-heap.js [--quick] [N]   (snapshots are written into api/)

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2000);
const options = readOptions(process.argv.slice(2).filter((a) => !/^\d+$/.test(a)), process.env, join(benchDir, 'results.json'));
await ensureDataset(options, console.log);
const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
const fixtures = await loadFixtures(pool, { members: 2 * n + 200, spreadEvents: 10 });
const server = await startGather(options, { probe: true, nodeArgs: ['--heapsnapshot-signal=SIGUSR1'] });
const members = fixtures.hotGroup.members;
const snapshots = () => new Set(readdirSync(apiDir).filter((f) => f.endsWith('.heapsnapshot')));

const memory = () => server.memory().then((m) => JSON.stringify(m), () => '(no memory report)');

/** A heap snapshot (which collects garbage first), once written whole. */
async function snapshot(): Promise<string> {
  const before = snapshots();
  process.kill(server.pid, 'SIGUSR1');
  let file = '';
  await waitFor(() => !!(file = [...snapshots()].find((f) => !before.has(f)) ?? ''), 60_000);
  let size = -1;
  await waitFor(() => {
    const now = statSync(join(apiDir, file)).size;
    const still = now === size && now > 0;
    size = now;
    return still;
  }, 120_000);
  await new Promise((r) => setTimeout(r, 2000));
  return join(apiDir, file);
}

try {
  const { eventId } = await createBenchEvent(pool, fixtures, { title: 'Bench heap', capacity: null, guestLimit: 0 });
  let answered = 0;
  const open = async (from: number): Promise<Subscribers> => {
    const subs = await openSubscribers({
      url: `${server.base.replace(/^http/, 'ws')}/graphql`,
      count: n,
      perSocket: 1,
      token: (socket) => members[(from + socket) % members.length].token,
      payload: { query: webOperation('EventAttendance'), operationName: 'EventAttendance', variables: { eventId } },
      onNext: () => {},
    });
    let last = -Infinity;
    await waitFor(() => {
      if (subs.seen() === n) return true;
      if (Date.now() - last > 2000) {
        last = Date.now();
        void answerYes(server, eventId, members[answered++ % members.length]);
      }
      return false;
    }, 120_000);
    await new Promise((r) => setTimeout(r, 1000));
    return subs;
  };
  const first = await open(0);
  const a = await snapshot();
  console.log(`after ${n}: ${a} ${await memory()}`);
  const second = await open(n);
  const b = await snapshot();
  console.log(`after ${2 * n}: ${b} ${await memory()}`);
  console.log(`node bench/dist/tools/heap-top.js ${a} ${b} 40 ${n}`);
  await first.close();
  await second.close();
} finally {
  await server.stop();
  await pool.end();
}
