import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTopic } from '../membership/access.live.js';
import { channelOf } from '../../shared/live.js';
import type { Client } from 'graphql-ws';
import { startTestApi, type TestApi } from '../../test/api.js';
import { waitUntil } from '../../test/api-process.js';
import { bulkMembers, createEvent, eventWithOrganizer, members, rsvp } from '../../test/events.js';
import { createGroup, ok, signUp, sql } from '../../test/factories.js';
import { countQueries } from '../../test/query-counter.js';
import { subscribe, wsClient, type TestSubscription } from '../../test/ws.js';
import { webDocument } from '../../test/web-documents.js';

const ATTENDANCE = webDocument('EventAttendance');

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ JOBS_WORK: false }); // no job queue work (notifications, emails) among the statements counted
});
afterAll(() => t?.close());

/** Subscriptions to one event's attendance, `perSocket` on each graphql-ws client; sockets take `tokens` in turn. */
async function watch(event: { id: string }, groupId: string, count: number, perSocket: number, tokens: Array<string | null> = [null]) {
  const clients: Client[] = [];
  const subs: TestSubscription[] = [];
  const before = t.api.live.subscriberCount(channelOf(accessTopic, groupId)); // every live subscription guards its group once
  for (let i = 0; i < count; i++) {
    if (i % perSocket === 0) clients.push(wsClient(t.api.url, tokens[clients.length % tokens.length]));
    subs.push(subscribe(clients[clients.length - 1], ATTENDANCE, { eventId: event.id }));
  }
  await waitUntil(() => t.api.live.subscriberCount(channelOf(accessTopic, groupId)) === before + count, `${count} subscriptions`, 60_000); // slow on a busy machine: each private-group subscription checks membership once
  return { clients, subs };
}

/** Waits until every subscription has `more` updates beyond what it holds now. */
function nextUpdates(subs: TestSubscription[], more = 1) {
  return Promise.all(subs.map((s) => s.waitFor(s.received.length + more, 20_000)));
}

/** A statement's shape: MikroORM inlines values, so ids, times and numbers become `?`. */
const shape = (statement: string) => statement.replace(/'[^']*'/g, '?').replace(/\b\d+\b/g, '?');

/** The SQL statements (shapes) of one RSVP, counted from the request until all `subs` hold its update. */
async function statementsPerUpdate(token: string, eventId: string, subs: TestSubscription[]) {
  const { queries } = await countQueries(async () => {
    const waiting = nextUpdates(subs);
    ok(await rsvp(t, token, eventId, 'YES'));
    await waiting;
  });
  return queries.map(shape);
}

const versions = (sub: TestSubscription) => sub.received.map((u) => u.eventAttendance.version);
const changedBy = (sub: TestSubscription) => sub.received.map((u) => u.eventAttendance.rsvp.user.id);

describe('fan-out to 1,000 subscribers of one event', () => {
  it('delivers every update to each of them in order, with the same SQL per update as for 10', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const people = await members(t, organizer.token, group.id, 7);

    const few = await watch(event, group.id, 10, 10);
    const with10 = await statementsPerUpdate(people[0].token, event.id, few.subs); // v1
    const more = await watch(event, group.id, 990, 20); // 50 sockets of up to 20 subscriptions (the most one socket may hold)
    const all = [...few.subs, ...more.subs];
    expect(all).toHaveLength(1000);
    const with1000 = await statementsPerUpdate(people[1].token, event.id, all); // v2
    expect(with1000.length).toBeGreaterThan(0);
    expect(with1000).toEqual(with10); // the same statements: nothing runs per subscriber

    // A burst of five RSVPs at once: v3..v7, each delivered once to every subscriber, in version order.
    const burst = nextUpdates(all, 5);
    const answers = await Promise.all(people.slice(2).map((p) => rsvp(t, p.token, event.id, 'YES')));
    answers.forEach(ok);
    await burst;
    for (const sub of few.subs) expect(versions(sub)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const sub of more.subs) expect(versions(sub)).toEqual([2, 3, 4, 5, 6, 7]);
    const order = changedBy(few.subs[0]);
    expect(order.slice(0, 2)).toEqual([people[0].id, people[1].id]);
    expect([...order.slice(2)].sort()).toEqual(people.slice(2).map((p) => p.id).sort());
    for (const sub of more.subs) expect(changedBy(sub)).toEqual(order.slice(1));
    expect(all.every((s) => s.errors.length === 0 && !s.completed)).toBe(true);
    const last = few.subs[0].received[6].eventAttendance;
    expect(last.event).toMatchObject({ id: event.id, goingCount: 7, attendanceVersion: 7 });

    const [row] = await sql(t, 'select going_count, attendance_version from events where id = ?', [event.id]);
    expect(row).toMatchObject({ going_count: 7, attendance_version: 7 });

    await Promise.all([...few.clients, ...more.clients].map((c) => c.dispose()));
    await waitUntil(() => t.api.live.subscriberCount() === 0, 'every subscription cleaned up after the clients left');
  });

  it('checks access to a private group at subscribe only: per-update SQL stays the same for 10 or 1,000 members watching', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const event = await createEvent(t, organizer.token, group.id);
    const watchers = await bulkMembers(t, group.id, 50);
    const [first, second] = await bulkMembers(t, group.id, 2);
    const tokens = watchers.map((w) => w.token);

    const few = await watch(event, group.id, 10, 1, tokens); // 10 members, one socket each
    const with10 = await statementsPerUpdate(first.token, event.id, few.subs);
    const more = await watch(event, group.id, 990, 20, tokens); // 50 members' sockets, 20 subscriptions on most
    const all = [...few.subs, ...more.subs];
    const with1000 = await statementsPerUpdate(second.token, event.id, all);
    expect(with1000).toEqual(with10);
    for (const sub of few.subs) expect(changedBy(sub)).toEqual([first.id, second.id]);
    for (const sub of more.subs) expect(versions(sub)).toEqual([2]);

    const [row] = await sql(t, 'select going_count, attendance_version from events where id = ?', [event.id]);
    expect(row).toMatchObject({ going_count: 2, attendance_version: 2 });

    await Promise.all([...few.clients, ...more.clients].map((c) => c.dispose()));
    await waitUntil(() => t.api.live.subscriberCount() === 0, 'every subscription cleaned up after the clients left');
  });
});
