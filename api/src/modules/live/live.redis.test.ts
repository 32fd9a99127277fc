import { afterAll, beforeAll, expect } from 'vitest';
import { attendanceTopic } from '../rsvp/attendance.live.js';
import { threadActivityTopic } from '../thread/thread-activity.live.js';
import { channelOf } from '../../shared/live.js';
import type { Client } from 'graphql-ws';
import type { Database } from '../../db/database.js';
import type { TestApi } from '../../test/api.js';
import { apiAt, closeAll, processesWorld, startApiProcess, waitUntil, type ApiProcess } from '../../test/api-process.js';
import { contractOperation, eventWithOrganizer, rsvp } from '../../test/events.js';
import { addMember, ok, sql, type TestUser } from '../../test/factories.js';
import { channelListeners, hasRedisServer, type PrivateRedis } from '../../test/redis-server.js';
import { requireOrSkip } from '../../test/require.js';
import { subscribe, wsClient, type TestSubscription } from '../../test/ws.js';
import { webDocument } from '../../test/web-documents.js';

const ATTENDANCE = webDocument('EventAttendance');
const THREAD = webDocument('ThreadActivity');
const POST = contractOperation('PostMessage');

const { describe, it } = requireOrSkip(
  Boolean(process.env.DATABASE_URL) && (Boolean(process.env.REDIS_URL) || hasRedisServer()),
  'two API processes need one PostgreSQL server to share (DATABASE_URL; the embedded database serves one process) and Redis (REDIS_URL or a redis-server binary)',
);

const versions = (sub: TestSubscription) => sub.received.map((u) => u.eventAttendance.version);
const changedBy = (sub: TestSubscription) => sub.received.map((u) => u.eventAttendance.rsvp.user.id);

describe('two API processes on one database and one Redis', () => {
  let redis: PrivateRedis | null = null;
  let redisUrl: string;
  let db: Database;
  const processes: ApiProcess[] = [];
  /** The factories' handles on process A and process B. */
  let a: TestApi;
  let b: TestApi;
  const clients: Client[] = [];

  beforeAll(async () => {
    const world = await processesWorld();
    ({ redis, redisUrl } = world);
    const { fresh } = world;
    db = fresh.db;
    const env = { DATABASE_URL: fresh.url!, REDIS_URL: redisUrl, DB_POOL_MAX: '4' };
    await Promise.all([1, 2].map(async () => processes.push(await startApiProcess(env)))); // each kept for afterAll as it starts
    [a, b] = processes.map((p) => apiAt(p.url, db, fresh.config));
  });
  afterAll(() =>
    closeAll(
      () => Promise.all(clients.map((c) => c.dispose())),
      () => Promise.all(processes.map((p) => p.stop())),
      () => redis?.close(),
      () => db?.close(),
    ),
  );

  /** A graphql-ws client of `t`'s process, disposed after the file. */
  function clientOf(t: TestApi, token?: string) {
    const client = wsClient(t.api.url, token);
    clients.push(client);
    return client;
  }

  /** Waits until `n` processes listen on the channel (each process subscribes once per channel, however many clients). */
  const listening = (channel: string, n: number) =>
    waitUntil(async () => (await channelListeners(redisUrl, [channel]))[0] === n, `${n} processes on ${channel}`);

  it('carries an RSVP through either process to eventAttendance subscribers on the other', async () => {
    const { organizer, group, event } = await eventWithOrganizer(a, { capacity: 10 });
    const first = await addMember(a, organizer.token, group.id);
    const second = await addMember(b, organizer.token, group.id); // sessions live in the shared database
    const onA = subscribe(clientOf(a), ATTENDANCE, { eventId: event.id });
    const onB = subscribe(clientOf(b, first.token), ATTENDANCE, { eventId: event.id });
    await listening(channelOf(attendanceTopic, event.id), 2);

    ok(await rsvp(a, first.token, event.id, 'YES')); // through A
    const [fromA] = await onB.waitFor(1);
    expect(fromA.eventAttendance).toMatchObject({
      version: 1,
      event: { id: event.id, goingCount: 1, waitlistCount: 0, capacity: 10, attendanceVersion: 1 },
      rsvp: { status: 'GOING', guests: 0, user: { id: first.id, name: first.name } },
    });
    ok(await rsvp(b, second.token, event.id, 'YES')); // through B
    const [, fromB] = await onA.waitFor(2);
    expect(fromB.eventAttendance).toMatchObject({ version: 2, event: { goingCount: 2 }, rsvp: { status: 'GOING', user: { id: second.id } } });
    await onB.waitFor(2);
    for (const sub of [onA, onB]) {
      expect(versions(sub)).toEqual([1, 2]);
      expect(changedBy(sub)).toEqual([first.id, second.id]);
    }

    const [row] = await sql(a, 'select going_count, attendance_version from events where id = ?', [event.id]);
    expect(row).toMatchObject({ going_count: 2, attendance_version: 2 });
  });

  it('carries a message posted through either process to threadActivity subscribers on the other', async () => {
    const { organizer, group, event } = await eventWithOrganizer(b);
    const member = await addMember(a, organizer.token, group.id);
    const [{ id: thread }] = await sql(a, 'select id from threads where event_id = ?', [event.id]);
    const onA = subscribe(clientOf(a, member.token), THREAD, { threadId: thread });
    const onB = subscribe(clientOf(b), THREAD, { threadId: thread });
    await listening(channelOf(threadActivityTopic, thread), 2);

    const viaA = ok(await a.gql(POST, { threadId: thread, body: 'Posted through A' }, member.token)).postMessage;
    const [first] = (await onB.waitFor(1)).map((u) => u.threadActivity);
    expect(first).toMatchObject({
      kind: 'POSTED',
      message: { id: viaA.id, body: 'Posted through A', deleted: false, author: { id: member.id, name: member.name } },
      thread: { id: thread, messageCount: 1 },
    });
    const viaB = ok(await b.gql(POST, { threadId: thread, body: 'Posted through B' }, organizer.token)).postMessage;
    const [, second] = (await onA.waitFor(2)).map((u) => u.threadActivity);
    expect(second).toMatchObject({ kind: 'POSTED', message: { id: viaB.id, author: { id: organizer.id } }, thread: { messageCount: 2 } });
    expect((await onB.waitFor(2)).map((u) => u.threadActivity.message.id)).toEqual([viaA.id, viaB.id]);

    const [row] = await sql(a, 'select message_count, (select count(*)::int from messages where thread_id = ?) as rows from threads where id = ?', [thread, thread]);
    expect(row).toMatchObject({ message_count: 2, rows: 2 });
  });

  it('keeps versions consecutive on both processes when RSVPs alternate between them', async () => {
    const { organizer, group, event } = await eventWithOrganizer(a, { capacity: 5 });
    const people: TestUser[] = [];
    for (let i = 0; i < 10; i++) people.push(await addMember(i % 2 ? b : a, organizer.token, group.id));
    const onA = subscribe(clientOf(a), ATTENDANCE, { eventId: event.id });
    const onB = subscribe(clientOf(b), ATTENDANCE, { eventId: event.id });
    await listening(channelOf(attendanceTopic, event.id), 2);

    // One after another, A, B, A, B: v1..v4, in this order.
    for (let i = 0; i < 4; i++) ok(await rsvp(i % 2 ? b : a, people[i].token, event.id, 'YES'));
    // Then six at once, alternating: seats run out and the rest are waitlisted; the processes' publishes cross in Redis.
    const burst = await Promise.all(people.slice(4).map((p, i) => rsvp(i % 2 ? b : a, p.token, event.id, 'YES')));
    burst.forEach(ok);

    const expected = Array.from({ length: 10 }, (_, i) => i + 1);
    await Promise.all([onA.waitFor(10), onB.waitFor(10)]);
    expect(versions(onA)).toEqual(expected);
    expect(versions(onB)).toEqual(expected);
    expect(changedBy(onA)).toEqual(changedBy(onB));
    expect(changedBy(onA).slice(0, 4)).toEqual(people.slice(0, 4).map((p) => p.id));
    const statuses = onA.received.map((u) => u.eventAttendance.rsvp.status);
    expect(statuses.filter((s) => s === 'GOING')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(5);
    expect(onB.received[9].eventAttendance.event).toMatchObject({ goingCount: 5, waitlistCount: 5, attendanceVersion: 10 });

    const [row] = await sql(a, 'select going_count, waitlist_count, attendance_version from events where id = ?', [event.id]);
    expect(row).toMatchObject({ going_count: 5, waitlist_count: 5, attendance_version: 10 });
  });

  it('lets go of the Redis channels when the last subscriber of a process leaves', async () => {
    const { event } = await eventWithOrganizer(a);
    const [{ id: thread }] = await sql(a, 'select id from threads where event_id = ?', [event.id]);
    const channels = [channelOf(attendanceTopic, event.id), channelOf(threadActivityTopic, thread)];
    const [onA, onB] = [wsClient(a.api.url), wsClient(b.api.url)];
    const subs = [onA, onB].flatMap((c) => [subscribe(c, ATTENDANCE, { eventId: event.id }), subscribe(c, THREAD, { threadId: thread })]);
    await waitUntil(async () => (await channelListeners(redisUrl, channels)).join() === '2,2', 'both processes on both channels');
    await onB.dispose();
    await waitUntil(async () => (await channelListeners(redisUrl, channels)).join() === '1,1', 'B unsubscribed');
    await onA.dispose();
    await waitUntil(async () => (await channelListeners(redisUrl, channels)).join() === '0,0', 'A unsubscribed');
    expect(subs.every((s) => s.errors.length === 0)).toBe(true);
  });
});
