import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, createEvent, eventWithOrganizer, members, rsvp } from '../../test/events.js';
import { expectError, ok, sql } from '../../test/factories.js';
import { checkInvariants, sqlOf } from '../../test/invariants.js';
import { wallTime } from '../calendar/time-zone.js';
import { floatingOf, instantOf } from './series.rule.js';
import { extendSeries, HORIZON_DAYS } from './series.service.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const SERIES = contractOperation('EventSeries');
const UPDATE_SCOPED = contractOperation('UpdateEventScoped');
const CANCEL_SCOPED = contractOperation('CancelEventScoped');
const DAY = 86_400_000;
const OSLO = 'Europe/Oslo';

/** The next Tuesday at 19:00 in Oslo, at least a day from now. */
function nextTuesdayEvening(): Date {
  const today = floatingOf(OSLO, new Date(Date.now() + DAY));
  const days = (2 - today.getUTCDay() + 7) % 7;
  const floating = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days, 19, 0, 0);
  return instantOf(OSLO, new Date(floating));
}

async function occurrences(eventId: string, token?: string) {
  const series = ok(await t.gql(SERIES, { id: eventId, first: 100 }, token)).event.series;
  return { series, nodes: series.occurrences.edges.map((e: any) => e.node) as Array<{ id: string; startsAt: string; status: string }> };
}

const extend = (now: Date) => extendSeries(t.api.db.orm.em.fork() as unknown as EntityManager, now);

describe('recurring events', () => {
  it('creates the occurrences up to 90 days ahead as real events, at the same wall time across DST', async () => {
    const start = nextTuesdayEvening();
    const { organizer, group, event } = await eventWithOrganizer(t, { startsAt: start.toISOString(), recurrence: 'FREQ=WEEKLY;BYDAY=TU', capacity: 2 });
    const { series, nodes } = await occurrences(event.id);
    expect(series.rule).toBe('FREQ=WEEKLY;BYDAY=TU');
    expect(nodes[0]).toMatchObject({ id: event.id, status: 'SCHEDULED' });
    expect(nodes.length).toBe(Math.floor((Date.now() + HORIZON_DAYS * DAY - start.getTime()) / (7 * DAY)) + 1);
    expect(series.occurrences.totalCount).toBe(nodes.length);

    // A year on, extended as the daily job would: still Tuesday 19:00 in Oslo, though UTC moves with DST.
    const created = await extend(new Date(start.getTime() + 300 * DAY));
    expect(created).toBeGreaterThan(35);
    const all = (await occurrences(event.id)).nodes;
    const walls = all.map((n) => wallTime(OSLO, new Date(n.startsAt)));
    expect(walls.every((w) => w.hour === 19 && w.minute === 0)).toBe(true);
    expect(new Set(all.map((n) => new Date(n.startsAt).getUTCDay()))).toEqual(new Set([2]));
    expect(new Set(all.map((n) => new Date(n.startsAt).getUTCHours()))).toEqual(new Set([17, 18]));
    expect(await extend(new Date(start.getTime() + 300 * DAY))).toBe(0); // idempotent

    // Each occurrence has its own RSVPs, counts and chat.
    const [a] = await members(t, organizer.token, group.id, 1);
    ok(await rsvp(t, a.token, all[1].id, 'YES'));
    const counts = await sql(t, 'select id, going_count from events where series_id = (select series_id from events where id = ?)', [event.id]);
    expect(counts.filter((c) => c.going_count === 1).map((c) => c.id)).toEqual([all[1].id]);
    const threads = await sql(t, 'select count(distinct t.id)::int as n from threads t join events e on e.id = t.event_id where e.series_id is not null and e.id in (?, ?)', [all[0].id, all[1].id]);
    expect(threads[0].n).toBe(2);
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  });

  it('stops at COUNT and at UNTIL', async () => {
    const { event } = await eventWithOrganizer(t, { startsAt: nextTuesdayEvening().toISOString(), recurrence: 'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3' });
    const { nodes } = await occurrences(event.id);
    expect(nodes).toHaveLength(3);
    expect(new Date(nodes[1].startsAt).getTime() - new Date(nodes[0].startsAt).getTime()).toBeGreaterThanOrEqual(14 * DAY - 3600_000);
    expect(await extend(new Date(Date.now() + 400 * DAY))).toBeGreaterThanOrEqual(0);
    expect((await occurrences(event.id)).nodes).toHaveLength(3);
  });

  it('monthly on the second Thursday', async () => {
    const thursday = new Date(nextTuesdayEvening().getTime() + 2 * DAY);
    const w = wallTime(OSLO, thursday);
    const nth = Math.ceil(w.day / 7);
    const { event } = await eventWithOrganizer(t, { startsAt: thursday.toISOString(), recurrence: `FREQ=MONTHLY;BYDAY=${nth}TH;COUNT=4` });
    const { nodes } = await occurrences(event.id);
    for (const node of nodes) {
      const day = wallTime(OSLO, new Date(node.startsAt));
      expect(Math.ceil(day.day / 7)).toBe(nth);
      expect(new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay()).toBe(4);
    }
    expect(nodes.length).toBeGreaterThanOrEqual(3); // 90 days ahead: three or four months
  });

  it('refuses rules that are not sane, naming input.recurrence, and writes nothing', async () => {
    const { organizer, group } = await eventWithOrganizer(t);
    const start = nextTuesdayEvening().toISOString();
    const before = (await sql(t, 'select count(*)::int as n from events'))[0].n;
    for (const recurrence of ['FREQ=HOURLY', 'FREQ=DAILY;BYHOUR=9,10', 'FREQ=WEEKLY;COUNT=1000', 'nonsense', 'FREQ=WEEKLY;BYDAY=MO',
      'DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY', 'FREQ=WEEKLY;INTERVAL=500', '']) {
      const res = await t.gql(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`,
        { input: { groupId: group.id, title: 'Weekly', startsAt: start, recurrence } }, organizer.token);
      expectError(res, 'BAD_USER_INPUT', 'input.recurrence');
    }
    expect((await sql(t, 'select count(*)::int as n from events'))[0].n).toBe(before);
  });

  it('edits one occurrence, or this and the following ones (moving them in wall time)', async () => {
    const { organizer, event } = await eventWithOrganizer(t, { startsAt: nextTuesdayEvening().toISOString(), recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6', capacity: 10 });
    const nodes = (await occurrences(event.id)).nodes;
    ok(await t.gql(UPDATE_SCOPED, { id: nodes[1].id, input: { title: 'Only the second' }, scope: 'THIS_EVENT' }, organizer.token));
    const third = nodes[2];
    const moved = new Date(new Date(third.startsAt).getTime() + 30 * 60_000).toISOString();
    const res = ok(await t.gql(UPDATE_SCOPED, { id: third.id, input: { title: 'Later', startsAt: moved, capacity: 5 }, scope: 'THIS_AND_FOLLOWING' }, organizer.token));
    expect(res.updateEvent).toMatchObject({ id: third.id, title: 'Later', startsAt: moved });
    const rows = await sql(t, `select title, starts_at, capacity from events where series_id = (select series_id from events where id = ?) order by series_slot`, [event.id]);
    expect(rows.map((r) => r.title)).toEqual([rows[0].title, 'Only the second', 'Later', 'Later', 'Later', 'Later']);
    expect(rows.map((r) => r.capacity)).toEqual([10, 10, 5, 5, 5, 5]);
    expect(rows.map((r) => `${wallTime(OSLO, new Date(r.starts_at)).hour}:${wallTime(OSLO, new Date(r.starts_at)).minute}`)).toEqual(['19:0', '19:0', '19:30', '19:30', '19:30', '19:30']);
    const threads = await sql(t, `select t.title from threads t join events e on e.id = t.event_id where e.id = ?`, [nodes[5].id]);
    expect(threads[0].title).toBe('Later');
  });

  it('new occurrences follow a this-and-following edit', async () => {
    const { organizer, event } = await eventWithOrganizer(t, { startsAt: nextTuesdayEvening().toISOString(), recurrence: 'FREQ=WEEKLY;BYDAY=TU' });
    const nodes = (await occurrences(event.id)).nodes;
    const last = nodes[nodes.length - 1];
    const moved = new Date(new Date(last.startsAt).getTime() + 3600_000).toISOString();
    ok(await t.gql(UPDATE_SCOPED, { id: last.id, input: { title: 'Renamed', startsAt: moved }, scope: 'THIS_AND_FOLLOWING' }, organizer.token));
    await extend(new Date(Date.now() + 200 * DAY));
    const later = (await occurrences(event.id)).nodes.filter((n) => n.startsAt > last.startsAt);
    expect(later.length).toBeGreaterThan(10);
    const rows = await sql(t, `select title, starts_at from events where id in (${later.map(() => '?').join(', ')})`, later.map((n) => n.id));
    expect(rows.every((r) => r.title === 'Renamed' && wallTime(OSLO, new Date(r.starts_at)).hour === 20)).toBe(true);
  });

  it('cancels one occurrence, or this and the following ones; the series then stops growing', async () => {
    const { organizer, event } = await eventWithOrganizer(t, { startsAt: nextTuesdayEvening().toISOString(), recurrence: 'FREQ=WEEKLY;BYDAY=TU' });
    const nodes = (await occurrences(event.id)).nodes;
    expect(ok(await t.gql(CANCEL_SCOPED, { id: nodes[1].id }, organizer.token)).cancelEvent).toMatchObject({ status: 'CANCELLED' });
    ok(await t.gql(CANCEL_SCOPED, { id: nodes[3].id, scope: 'THIS_AND_FOLLOWING' }, organizer.token));
    await extend(new Date(Date.now() + 300 * DAY));
    const after = (await occurrences(event.id)).nodes;
    expect(after).toHaveLength(nodes.length);
    expect(after.map((n) => n.status)).toEqual(nodes.map((_, i) => (i === 1 || i >= 3 ? 'CANCELLED' : 'SCHEDULED')));
    // A one-off event ignores the scope.
    const single = await createEvent(t, organizer.token, (await sql(t, 'select group_id from events where id = ?', [event.id]))[0].group_id as string);
    expect(ok(await t.gql(CANCEL_SCOPED, { id: single.id, scope: 'THIS_AND_FOLLOWING' }, organizer.token)).cancelEvent.status).toBe('CANCELLED');
    expect(ok(await t.gql(SERIES, { id: single.id })).event.series).toBeNull();
  });

  it('extending twice at once creates each occurrence once', async () => {
    const { event } = await eventWithOrganizer(t, { startsAt: nextTuesdayEvening().toISOString(), recurrence: 'FREQ=DAILY' });
    const future = new Date(Date.now() + 150 * DAY);
    const [x, y] = await Promise.all([extend(future), extend(future)]);
    const { nodes } = await occurrences(event.id);
    expect(nodes.length).toBe(100); // first page
    const [{ n, distinct }] = await sql(t, `select count(*)::int as n, count(distinct series_slot)::int as distinct from events where series_id = (select series_id from events where id = ?)`, [event.id]);
    expect(n).toBe(distinct);
    expect(x + y).toBeGreaterThanOrEqual(59);
  });

  it('lists the occurrences in the group\'s iCal feed', async () => {
    const { group, event } = await eventWithOrganizer(t, { startsAt: nextTuesdayEvening().toISOString(), recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4' });
    const ics = await (await fetch(new URL(`/ical/groups/${group.slug}.ics`, t.api.url))).text();
    const { nodes } = await occurrences(event.id);
    for (const node of nodes) expect(ics).toContain(`UID:${node.id}@gather`);
  });
});
