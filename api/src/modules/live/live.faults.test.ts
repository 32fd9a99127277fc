import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceTopic } from '../rsvp/attendance.live.js';
import { threadActivityTopic } from '../thread/thread-activity.live.js';
import { accessTopic } from '../membership/access.live.js';
import { channelOf } from '../../shared/live.js';
import WebSocket from 'ws';
import type { Database } from '../../db/database.js';
import { startApi } from '../../server/app.js';
import { PUBLISH_TIMEOUT_MS } from '../../shared/live-bus.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { apiAt, closeAll, readiness, waitUntil } from '../../test/api-process.js';
import { freshDatabase } from '../../test/database.js';
import { contractOperation, eventWithOrganizer, members, rsvp } from '../../test/events.js';
import { ok, sql } from '../../test/factories.js';
import { channelListeners, hasRedisServer, startPrivateRedis, type PrivateRedis } from '../../test/redis-server.js';
import { requireOrSkip } from '../../test/require.js';
import { subscribe, wsClient, type TestSubscription } from '../../test/ws.js';
import { webDocument } from '../../test/web-documents.js';

const ATTENDANCE = webDocument('EventAttendance');
const THREAD = webDocument('ThreadActivity');
const POST = contractOperation('PostMessage');

const withRedisServer = requireOrSkip(hasRedisServer(), 'the Redis fault tests start their own redis-server, and none is installed');

const versions = (sub: TestSubscription) => sub.received.map((u) => u.eventAttendance.version);
/** Waits until `sub` holds `count` updates, then lists the versions it received. */
async function versionsOnce(sub: TestSubscription, count: number) {
  await sub.waitFor(count);
  return versions(sub);
}
const threadOf = async (t: TestApi, eventId: string) => (await sql(t, 'select id from threads where event_id = ?', [eventId]))[0].id as string;

/** Sends an RSVP and fails unless it succeeded within `ms`. */
async function quickRsvp(t: TestApi, token: string, eventId: string, ms = 1000) {
  const started = performance.now();
  const data = ok(await rsvp(t, token, eventId, 'YES'));
  expect(performance.now() - started).toBeLessThan(ms);
  return data.rsvp;
}

withRedisServer.describe('when Redis goes away (two API processes, one private redis-server)', () => {
  let redis: PrivateRedis;
  let db: Database;
  let a: TestApi;
  let b: TestApi;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const fresh = await freshDatabase({ REDIS_URL: redis.url });
    db = fresh.db;
    // Two APIs in this process, each with its own live bus and Redis connections: what crosses between them goes through Redis.
    const first = await startApi(fresh.config, { db });
    a = apiAt(first.url, db, fresh.config, first);
    const second = await startApi(fresh.config, { db });
    b = apiAt(second.url, db, fresh.config, second);
  });
  afterAll(() =>
    closeAll(
      () => redis?.close(),
      () => a?.api.close(),
      () => b?.api.close(),
      () => db?.close(),
    ),
  );

  const liveStatus = async (t: TestApi) => (await readiness(t.api.url)).body.liveUpdates.status as string;
  const bothReport = (status: string) => async () => (await liveStatus(a)) === status && (await liveStatus(b)) === status;
  const noListeners = () => a.api.live.subscriberCount() === 0 && b.api.live.subscriberCount() === 0;

  it('keeps mutations fast and /readyz at 200 (degraded), and delivers again once Redis is back', async () => {
    const { organizer, group, event } = await eventWithOrganizer(a);
    const people = await members(a, organizer.token, group.id, 5);
    const thread = await threadOf(a, event.id);
    expect(await readiness(a.api.url)).toEqual({ status: 200, body: { status: 'ready', database: 'ok', liveUpdates: { mode: 'redis', status: 'ok' } } });

    const clients = [wsClient(a.api.url), wsClient(b.api.url)];
    const [onA, onB] = clients.map((c) => subscribe(c, ATTENDANCE, { eventId: event.id }));
    await waitUntil(async () => (await channelListeners(redis.url, [channelOf(attendanceTopic, event.id)]))[0] === 2, 'both processes listen on Redis');
    await quickRsvp(a, people[0].token, event.id); // v1, through A
    expect(await versionsOnce(onB, 1)).toEqual([1]);

    await redis.kill();
    await waitUntil(bothReport('degraded'), 'both APIs notice Redis is gone');
    expect(await readiness(a.api.url)).toEqual({ status: 200, body: { status: 'degraded', database: 'ok', liveUpdates: { mode: 'redis', status: 'degraded' } } });
    expect((await readiness(b.api.url)).status).toBe(200);

    // Queries and mutations go on, without waiting on Redis; subscribers on the same process still hear them.
    expect((await quickRsvp(a, people[1].token, event.id)).event.attendanceVersion).toBe(2);
    await onA.waitFor(2);
    const read = ok(await b.gql(`query ($id: ID!) { event(id: $id) { goingCount attendanceVersion } }`, { id: event.id }));
    expect(read.event).toEqual({ goingCount: 2, attendanceVersion: 2 });
    // A subscription made on B during the outage (a new Redis channel) is set up once Redis returns.
    const postsClient = wsClient(b.api.url);
    const posts = subscribe(postsClient, THREAD, { threadId: thread });
    await waitUntil(() => b.api.live.subscriberCount(channelOf(threadActivityTopic, thread)) === 1, 'thread subscription on B');

    await redis.start();
    await waitUntil(bothReport('ok'), 'both APIs reconnect to Redis without a restart');
    expect(await readiness(b.api.url)).toEqual({ status: 200, body: { status: 'ready', database: 'ok', liveUpdates: { mode: 'redis', status: 'ok' } } });
    await waitUntil(
      async () => (await channelListeners(redis.url, [channelOf(attendanceTopic, event.id), channelOf(threadActivityTopic, thread)])).join() === '2,1',
      'the channels are subscribed again on the new Redis',
    );

    // Delivery resumes across processes: B missed v2 (published while Redis was away) and skips to v3.
    await quickRsvp(a, people[2].token, event.id); // v3
    expect(await versionsOnce(onB, 2)).toEqual([1, 3]);
    expect(await versionsOnce(onA, 3)).toEqual([1, 2, 3]);
    ok(await a.gql(POST, { threadId: thread, body: 'Back online?' }, people[0].token));
    expect((await posts.waitFor(1))[0].threadActivity).toMatchObject({ kind: 'POSTED', message: { body: 'Back online?' } });

    // A subscriber who arrives after the recovery hears changes made on the other process.
    const later = subscribe(clients[1], ATTENDANCE, { eventId: event.id });
    await waitUntil(() => b.api.live.subscriberCount(channelOf(accessTopic, group.id)) === 3, 'second attendance subscription on B');
    await quickRsvp(a, people[3].token, event.id); // v4
    expect(await versionsOnce(later, 1)).toEqual([4]);
    expect(await versionsOnce(onB, 3)).toEqual([1, 3, 4]);

    const [row] = await sql(a, 'select going_count, attendance_version from events where id = ?', [event.id]);
    expect(row).toMatchObject({ going_count: 4, attendance_version: 4 });
    await Promise.all([...clients, postsClient].map((c) => c.dispose()));
    await waitUntil(noListeners, 'both APIs let go of every subscription');
    const channels = [channelOf(attendanceTopic, event.id), channelOf(threadActivityTopic, thread)];
    await waitUntil(async () => (await channelListeners(redis.url, channels)).join() === '0,0', 'and unsubscribe on Redis');
  });

  it('while Redis is away, hands each process its own changes in order, skipping past every change it missed', async () => {
    const { organizer, group, event } = await eventWithOrganizer(a);
    const people = await members(a, organizer.token, group.id, 4);
    const clients = [wsClient(a.api.url), wsClient(b.api.url)];
    const [onA, onB] = clients.map((c) => subscribe(c, ATTENDANCE, { eventId: event.id }));
    await waitUntil(async () => (await channelListeners(redis.url, [channelOf(attendanceTopic, event.id)]))[0] === 2, 'both processes listen on Redis');

    await redis.kill();
    try {
      await waitUntil(bothReport('degraded'), 'both APIs notice Redis is gone');
      // v1 through A, v2 through B, v3 through A, v4 through B: each process hears only its own, with two gaps each.
      for (let i = 0; i < 4; i++) await quickRsvp(i % 2 ? b : a, people[i].token, event.id);
      expect(await versionsOnce(onA, 2)).toEqual([1, 3]);
      expect(await versionsOnce(onB, 2)).toEqual([2, 4]);
    } finally {
      await redis.start();
    }
    await waitUntil(bothReport('ok'), 'both APIs reconnect to Redis');
    await waitUntil(async () => (await channelListeners(redis.url, [channelOf(attendanceTopic, event.id)]))[0] === 2, 'channels subscribed again');
    await quickRsvp(b, people[0].token, event.id); // the same answer again: nothing changes, nothing published
    ok(await rsvp(b, people[0].token, event.id, 'NO')); // v5, through B
    expect(await versionsOnce(onA, 3)).toEqual([1, 3, 5]);
    expect(await versionsOnce(onB, 3)).toEqual([2, 4, 5]);
    await Promise.all(clients.map((c) => c.dispose()));
    await waitUntil(noListeners, 'both APIs let go of every subscription');
  });

  it('starts an API while Redis is down, and that API joins in once Redis is up', async () => {
    const { organizer, group, event } = await eventWithOrganizer(a);
    const [person] = await members(a, organizer.token, group.id, 1);
    await redis.kill();
    const started = performance.now();
    const late = await startApi(a.config, { db });
    try {
      expect(performance.now() - started).toBeLessThan(5000);
      expect(await readiness(late.url)).toEqual({ status: 200, body: { status: 'degraded', database: 'ok', liveUpdates: { mode: 'redis', status: 'degraded' } } });
      const client = wsClient(late.url);
      const watching = subscribe(client, ATTENDANCE, { eventId: event.id });
      await waitUntil(() => late.live.subscriberCount(channelOf(accessTopic, group.id)) === 1, 'subscribed on the late API');

      await redis.start();
      await waitUntil(async () => (await readiness(late.url)).body.liveUpdates.status === 'ok', 'the late API connects to Redis');
      await waitUntil(async () => (await channelListeners(redis.url, [channelOf(attendanceTopic, event.id)]))[0] === 1, 'its channel subscribed');
      await waitUntil(bothReport('ok'), 'the other APIs are back too');
      await quickRsvp(a, person.token, event.id); // through A, heard on the late API
      expect(await versionsOnce(watching, 1)).toEqual([1]);
      await client.dispose();
      await waitUntil(() => late.live.subscriberCount() === 0, 'the late API let go of its subscription');
    } finally {
      await late.close();
    }
  });

  it('keeps mutations fast while Redis hangs, and catches up when it answers again', async () => {
    const { organizer, group, event } = await eventWithOrganizer(a);
    const people = await members(a, organizer.token, group.id, 3);
    const clients = [wsClient(a.api.url), wsClient(b.api.url)];
    const [onA, onB] = clients.map((c) => subscribe(c, ATTENDANCE, { eventId: event.id }));
    await waitUntil(async () => (await channelListeners(redis.url, [channelOf(attendanceTopic, event.id)]))[0] === 2, 'both processes listen on Redis');

    redis.freeze(); // connections stay open, nothing answers: each publish gives up after its bounded wait
    try {
      await quickRsvp(a, people[0].token, event.id); // v1
      await quickRsvp(a, people[1].token, event.id); // v2
      expect(await versionsOnce(onA, 2)).toEqual([1, 2]);
      await new Promise((r) => setTimeout(r, PUBLISH_TIMEOUT_MS + 100)); // past the bound: both publishes were given up on
    } finally {
      redis.thaw();
    }
    await quickRsvp(a, people[2].token, event.id); // v3
    expect(await versionsOnce(onB, 3)).toEqual([1, 2, 3]); // what waited in the socket arrives, in order
    await Promise.all(clients.map((c) => c.dispose()));
    await waitUntil(noListeners, 'both APIs let go of every subscription');
  });
});

/** A graphql-transport-ws client spoken by hand over `ws`, so the test can stop reading its socket. */
async function rawSubscriber(url: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Array<{ type: string; id?: string }> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await waitUntil(() => messages.some((m) => m.type === 'connection_ack'), 'connection_ack');
  const net = (socket as unknown as { _socket: import('node:net').Socket })._socket;
  return { socket, messages, closed, pause: () => net.pause(), resume: () => net.resume() };
}

describe('a subscriber that stops reading', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ WS_MAX_BUFFERED_BYTES: 64 * 1024 });
  });
  afterAll(() => t?.close());

  it('is disconnected once its unsent data passes the limit, while others receive everything', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const thread = await threadOf(t, event.id);
    const watchers = () => t.api.live.subscriberCount(channelOf(accessTopic, group.id));

    const normalClient = wsClient(t.api.url);
    const normal = subscribe(normalClient, THREAD, { threadId: thread });
    const slow = await rawSubscriber(t.api.url);
    const SLOW_SUBSCRIPTIONS = 20; // the most one socket may hold; each can hold one unsent ~4 KB update once the socket is full
    for (let id = 1; id <= SLOW_SUBSCRIPTIONS; id++)
      slow.socket.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query: THREAD, variables: { threadId: thread } } }));
    await waitUntil(() => watchers() === SLOW_SUBSCRIPTIONS + 1, 'all subscriptions in place');
    slow.pause();

    const body = 'x'.repeat(4000);
    const posted: string[] = [];
    // 20 subscriptions × 4 KB an update: loopback's kernel buffers take about 10 MB before `bufferedAmount` grows.
    const MOST_POSTS = 600;
    while (watchers() > 1 && posted.length < MOST_POSTS) {
      posted.push(ok(await t.gql(POST, { threadId: thread, body }, organizer.token)).postMessage.id);
    }
    await waitUntil(() => watchers() === 1, 'the slow socket was dropped', 5000); // its 20 subscriptions ended at once
    expect(posted.length).toBeLessThan(MOST_POSTS);

    const received = (await normal.waitFor(posted.length, 20_000)).map((u) => u.threadActivity);
    expect(received.map((u) => u.message.id)).toEqual(posted);
    expect(received.map((u) => u.thread.messageCount)).toEqual(posted.map((_, i) => i + 1));
    expect(received.every((u) => u.message.body === body)).toBe(true);

    slow.resume(); // what the kernel still held arrives, then the connection ends without a close frame
    expect(await slow.closed).toBe(1006);
    const nexts = slow.messages.filter((m) => m.type === 'next').length;
    expect(nexts).toBeLessThan(SLOW_SUBSCRIPTIONS * posted.length);

    // The normal subscriber is still served.
    ok(await t.gql(POST, { threadId: thread, body: 'still here' }, organizer.token));
    expect((await normal.waitFor(posted.length + 1))[posted.length].threadActivity.message.body).toBe('still here');
    const [row] = await sql(t, 'select message_count from threads where id = ?', [thread]);
    expect(row.message_count).toBe(posted.length + 1);

    await normalClient.dispose();
    await waitUntil(() => t.api.live.subscriberCount() === 0, 'no live listeners left');
  });
});
