import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe as vitestDescribe, expect, it as vitestIt } from 'vitest';
import type { Client } from 'graphql-ws';
import { attendanceTopic } from './modules/rsvp/attendance.live.js';
import { channelOf } from './shared/live.js';
import type { Database } from './db/database.js';
import type { GqlResult, TestApi } from './test/api.js';
import { apiAt, closeAll, ensureBuilt, processesWorld, startApiProcess, waitUntil, type ApiProcess } from './test/api-process.js';
import { eventWithOrganizer, rsvp } from './test/events.js';
import { addMember, ok } from './test/factories.js';
import { channelListeners, hasRedisServer, type PrivateRedis } from './test/redis-server.js';
import { requireOrSkip } from './test/require.js';
import { subscribe, wsClient, type TestSubscription } from './test/ws.js';
import { webDocument } from './test/web-documents.js';

// API_PROCESSES=2 (cluster.ts): one port, two API processes behind it. Which one answered is in the x-gather-process
// header; a live update made through either reaches subscribers connected to the other (through Redis); SIGTERM to
// the primary drains and stops both; and without REDIS_URL it refuses to start.

const ATTENDANCE = webDocument('EventAttendance');

const { describe, it } = requireOrSkip(
  Boolean(process.env.DATABASE_URL) && (Boolean(process.env.REDIS_URL) || hasRedisServer()),
  'several API processes need a PostgreSQL server to share (DATABASE_URL; the embedded database serves one process) and Redis (REDIS_URL or a redis-server binary)',
);

/** A GraphQL client over one kept-alive connection (so every request goes to the same process) and its process. */
interface Pinned {
  slot: string;
  gql: TestApi['gql'];
  close(): void;
}

/** POSTs `body` to `url` through `agent`: status, the answering process's slot and the parsed body. */
function post(url: string, agent: Agent | false, body: unknown, token?: string): Promise<{ status: number; slot: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, slot: String(res.headers['x-gather-process']), body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A connection to the process of `slot`: new connections until the shared port hands one to it. */
async function pinnedTo(url: string, slot: string): Promise<Pinned> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answer = await post(url, agent, { query: '{ __typename }' });
    if (answer.slot === slot) {
      const gql: TestApi['gql'] = async (query, variables = {}, token) => {
        const res = await post(url, agent, { query, variables }, token ?? undefined);
        expect(res.slot, 'the pinned connection stays with its process').toBe(slot);
        return { ...(res.body as GqlResult<any>), status: res.status, headers: new Headers() };
      };
      return { slot, gql, close: () => agent.destroy() };
    }
    agent.destroy();
  }
  throw new Error(`no connection reached API process ${slot}`);
}

describe('two API processes on one port (API_PROCESSES=2)', () => {
  let redis: PrivateRedis | null = null;
  let redisUrl: string;
  let db: Database;
  let api: ApiProcess;
  let t: TestApi;
  const clients: Client[] = [];
  const pinned: Pinned[] = [];

  beforeAll(async () => {
    const world = await processesWorld();
    ({ redis, redisUrl } = world);
    const { fresh } = world;
    db = fresh.db;
    api = await startApiProcess({ DATABASE_URL: fresh.url!, REDIS_URL: redisUrl, DB_POOL_MAX: '4', API_PROCESSES: '2' });
    t = apiAt(api.url, db, fresh.config);
  }, 120_000);
  afterAll(() =>
    closeAll(
      () => Promise.all(clients.map((c) => c.dispose())),
      async () => pinned.forEach((p) => p.close()),
      () => api?.stop(),
      () => redis?.close(),
      () => db?.close(),
    ),
  );

  it('answers through one port from both processes, each connection to the next process in turn', async () => {
    expect(api.output()).toMatch(/"processes":2[^\n]*"msg":"Gather API listening"/);
    const slots = new Set<string>();
    for (let i = 0; i < 6; i++) slots.add((await post(api.url, false, { query: '{ __typename }' })).slot); // a new connection each
    expect([...slots].sort()).toEqual(['1', '2']);
  });

  it('carries an RSVP made through either process to subscribers connected to the other', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 10 });
    const [first, second] = [await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id)];
    // Subscribers on new sockets until both processes hold one (each process listens on the channel once).
    const channel = channelOf(attendanceTopic, event.id);
    const subs: TestSubscription[] = [];
    for (let i = 0; i < 8 && (await channelListeners(redisUrl, [channel]))[0] < 2; i++) {
      const client = wsClient(api.url);
      clients.push(client);
      subs.push(subscribe(client, ATTENDANCE, { eventId: event.id }));
      await waitUntil(async () => (await channelListeners(redisUrl, [channel]))[0] >= 1, 'a process listening');
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitUntil(async () => (await channelListeners(redisUrl, [channel]))[0] === 2, 'both processes listening');

    // One RSVP through each process: whichever process a subscriber is on, one of the two came from the other.
    pinned.push(await pinnedTo(api.url, '1'), await pinnedTo(api.url, '2'));
    ok(await rsvp({ ...t, gql: pinned[0].gql }, first.token, event.id, 'YES'));
    ok(await rsvp({ ...t, gql: pinned[1].gql }, second.token, event.id, 'YES'));
    for (const sub of subs) {
      const updates = (await sub.waitFor(2)).map((u) => u.eventAttendance);
      expect(updates.map((u) => [u.version, u.rsvp.user.id])).toEqual([
        [1, first.id],
        [2, second.id],
      ]);
    }
  });

  it('stops both processes on SIGTERM to the primary, each draining first, and exits 0', async () => {
    api.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output().match(/"msg":"shut down cleanly"/g)).toHaveLength(2);
    expect(api.output()).toContain('all API processes shut down cleanly');
  });
});

// The primary refuses before it connects to anything, so this runs everywhere (vitest's own describe).
vitestDescribe('API_PROCESSES=2 without Redis or without a PostgreSQL server', () => {
  const refusal = (env: Record<string, string>) => startApiProcess({ API_PROCESSES: '2', DATABASE_URL: '', REDIS_URL: '', ...env });

  vitestIt('refuses to start, saying why', async () => {
    await ensureBuilt();
    await expect(refusal({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/unused' })).rejects.toThrow(/exited \(1\)[\s\S]*API_PROCESSES=2 needs REDIS_URL/);
    await expect(refusal({ REDIS_URL: 'redis://127.0.0.1:1' })).rejects.toThrow(/exited \(1\)[\s\S]*API_PROCESSES=2 needs DATABASE_URL/);
  }, 60_000);
});
