import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceTopic, type AttendanceChange } from '../rsvp/attendance.live.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { attendanceState, contractOperation, eventWithOrganizer, members, rsvp } from '../../test/events.js';
import { expectError, ok, sql } from '../../test/factories.js';
import { releaseMemberRsvps } from './seating.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const UPDATE_EVENT = contractOperation('UpdateEvent');
const ATTENDEES = contractOperation('EventAttendees');

function watch(eventId: string) {
  const seen: AttendanceChange[] = [];
  const stop = t.api.live.listen(attendanceTopic, eventId, (change) => seen.push(change));
  return { seen, stop };
}

const statusOf = async (eventId: string, userId: string) =>
  (await sql(t, 'select status from rsvps where event_id = ? and user_id = ?', [eventId, userId]))[0]?.status;

describe('rule 4: first-in-first-out promotion', () => {
  it('promotes every waitlisted party that fits, in order; one that does not fit keeps its place', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 4, guestLimit: 2 });
    const [a, b, big, small, last] = await members(t, organizer.token, group.id, 5);
    ok(await rsvp(t, a.token, event.id, 'YES', 1)); // 2 heads
    ok(await rsvp(t, b.token, event.id, 'YES', 1)); // 2 heads: full
    ok(await rsvp(t, big.token, event.id, 'YES', 2)); // waits, 3 heads
    ok(await rsvp(t, small.token, event.id, 'YES', 0)); // waits, 1 head
    ok(await rsvp(t, last.token, event.id, 'YES', 1)); // waits, 2 heads
    const { seen, stop } = watch(event.id);
    // b frees 2 seats: big (3) does not fit and keeps first place; small (1) is promoted; last (2) no longer fits.
    const no = ok(await rsvp(t, b.token, event.id, 'NO')).rsvp;
    expect(no.event).toMatchObject({ goingCount: 3, waitlistCount: 2, attendanceVersion: 7 });
    expect(await statusOf(event.id, small.id)).toBe('GOING');
    expect(await statusOf(event.id, big.id)).toBe('WAITLISTED');
    const waitlist = ok(await t.gql(ATTENDEES, { id: event.id, status: 'WAITLISTED' }, organizer.token)).event.attendees;
    expect(waitlist.edges.map((e: any) => [e.node.user.id, e.node.waitlistPosition])).toEqual([[big.id, 1], [last.id, 2]]);
    // a frees 2 more (1 free + 2 = 3): big fits now and goes first; last (2) does not fit anymore.
    ok(await rsvp(t, a.token, event.id, 'NO'));
    expect(await attendanceState(t, event.id)).toMatchObject({ goingCount: 4, heads: 4, waitlistCount: 1, waiting: 1, positions: [1], version: 9 });
    stop();
    expect(seen.map((c) => [c.version, c.rsvp?.user.id, c.rsvp?.status])).toEqual([
      [6, b.id, 'NOT_GOING'],
      [7, small.id, 'GOING'],
      [8, a.id, 'NOT_GOING'],
      [9, big.id, 'GOING'],
    ]);
  });

  it('counts one NO that promotes two parties as three consecutive changes, published after commit', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 2, guestLimit: 1 });
    const [a, b, c] = await members(t, organizer.token, group.id, 3);
    ok(await rsvp(t, a.token, event.id, 'YES', 1));
    ok(await rsvp(t, b.token, event.id, 'YES'));
    ok(await rsvp(t, c.token, event.id, 'YES'));
    const { seen, stop } = watch(event.id);
    const no = ok(await rsvp(t, a.token, event.id, 'NO')).rsvp;
    stop();
    expect(no.event).toMatchObject({ goingCount: 2, waitlistCount: 0, attendanceVersion: 6 });
    expect(seen).toEqual([
      expect.objectContaining({ version: 4, event: { id: event.id, goingCount: 0, waitlistCount: 2, capacity: 2, attendanceVersion: 4 } }),
      expect.objectContaining({ version: 5, event: { id: event.id, goingCount: 1, waitlistCount: 1, capacity: 2, attendanceVersion: 5 } }),
      expect.objectContaining({ version: 6, event: { id: event.id, goingCount: 2, waitlistCount: 0, capacity: 2, attendanceVersion: 6 } }),
    ]);
    expect(seen.map((s) => s.rsvp)).toEqual([
      { id: no.id, status: 'NOT_GOING', guests: 0, waitlistPosition: null, user: { id: a.id, name: 'Member' } },
      expect.objectContaining({ status: 'GOING', user: { id: b.id, name: 'Member' } }),
      expect.objectContaining({ status: 'GOING', user: { id: c.id, name: 'Member' } }),
    ]);
  });

  it('promotes when a going party brings fewer guests', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 3, guestLimit: 2 });
    const [a, b] = await members(t, organizer.token, group.id, 2);
    ok(await rsvp(t, a.token, event.id, 'YES', 2));
    ok(await rsvp(t, b.token, event.id, 'YES'));
    expect(ok(await rsvp(t, a.token, event.id, 'YES', 1)).rsvp.event).toMatchObject({ goingCount: 3, waitlistCount: 0, attendanceVersion: 4 });
    expect(await statusOf(event.id, b.id)).toBe('GOING');
  });
});

describe('capacity changes', () => {
  it('raising capacity is one change without an RSVP, then one per promoted party', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 1, guestLimit: 1 });
    const [a, b, c, d] = await members(t, organizer.token, group.id, 4);
    ok(await rsvp(t, a.token, event.id, 'YES'));
    ok(await rsvp(t, b.token, event.id, 'YES', 1));
    ok(await rsvp(t, c.token, event.id, 'YES', 1));
    ok(await rsvp(t, d.token, event.id, 'YES'));
    const { seen, stop } = watch(event.id);
    const updated = ok(await t.gql(UPDATE_EVENT, { id: event.id, input: { capacity: 4 } }, organizer.token)).updateEvent;
    stop();
    // 3 seats free: b (2) fits, c (2) does not, d (1) fits.
    expect(updated).toMatchObject({ capacity: 4, goingCount: 4, waitlistCount: 1 });
    expect(seen.map((s) => [s.version, s.rsvp?.user.id ?? null, s.event.capacity])).toEqual([[5, null, 4], [6, b.id, 4], [7, d.id, 4]]);
    expect(await attendanceState(t, event.id)).toMatchObject({ goingCount: 4, heads: 4, waitlistCount: 1, version: 7 });

    const unlimited = ok(await t.gql(UPDATE_EVENT, { id: event.id, input: { capacity: null } }, organizer.token)).updateEvent;
    expect(unlimited).toMatchObject({ capacity: null, goingCount: 6, waitlistCount: 0 });
    expect((await attendanceState(t, event.id)).version).toBe(9);
  });

  it('lowering never removes anyone: allowed below the people going, and nobody new is seated until there is room', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 10, guestLimit: 2 });
    const [a, b, c] = await members(t, organizer.token, group.id, 3);
    ok(await rsvp(t, a.token, event.id, 'YES', 2));
    ok(await rsvp(t, b.token, event.id, 'YES', 1));
    const lowered = ok(await t.gql(UPDATE_EVENT, { id: event.id, input: { capacity: 2, title: 'Smaller' } }, organizer.token)).updateEvent;
    expect(lowered).toMatchObject({ capacity: 2, goingCount: 5, waitlistCount: 0, title: 'Smaller' });
    expect(await statusOf(event.id, a.id)).toBe('GOING');
    expect(await statusOf(event.id, b.id)).toBe('GOING');
    // c waits; b cannot bring more guests while the event is over capacity.
    expect(ok(await rsvp(t, c.token, event.id, 'YES')).rsvp).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    expectError(await rsvp(t, b.token, event.id, 'YES', 2), 'BAD_USER_INPUT', 'guests');
    // a leaves (5 -> 2 going): still no room under a capacity of 2, so c keeps waiting.
    ok(await rsvp(t, a.token, event.id, 'NO'));
    expect(await statusOf(event.id, c.id)).toBe('WAITLISTED');
    // b leaves: room at last, c is seated.
    ok(await rsvp(t, b.token, event.id, 'NO'));
    expect(await statusOf(event.id, c.id)).toBe('GOING');
    expect(await attendanceState(t, event.id)).toMatchObject({ capacity: 2, goingCount: 1, heads: 1, waitlistCount: 0 });
    ok(await t.gql(UPDATE_EVENT, { id: event.id, input: { capacity: 2, title: 'Same size' } }, organizer.token));
    expect((await attendanceState(t, event.id)).version).toBe(7); // same capacity: no attendance change
  });
});

describe('Event.attendees', () => {
  it('lists going people by when they got their seat, and pages (contract EventAttendees)', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 2 });
    const [a, b, c, d] = await members(t, organizer.token, group.id, 4);
    for (const m of [a, b, c, d]) ok(await rsvp(t, m.token, event.id, 'YES'));
    ok(await rsvp(t, a.token, event.id, 'NO')); // c is promoted: seated after b
    const first = ok(await t.gql(ATTENDEES, { id: event.id, first: 1 }, organizer.token)).event.attendees;
    expect(first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(first.edges[0].node).toMatchObject({ status: 'GOING', guests: 0, waitlistPosition: null, user: { id: b.id } });
    const next = ok(await t.gql(ATTENDEES, { id: event.id, first: 5, after: first.pageInfo.endCursor }, organizer.token)).event.attendees;
    expect(next.edges.map((e: any) => e.node.user.id)).toEqual([c.id]);
    const declined = ok(await t.gql(ATTENDEES, { id: event.id, status: 'NOT_GOING' })).event.attendees;
    expect(declined.edges.map((e: any) => e.node.user.id)).toEqual([a.id]);
    const waiting = ok(await t.gql(ATTENDEES, { id: event.id, status: 'WAITLISTED' })).event.attendees;
    expect(waiting.edges.map((e: any) => [e.node.user.id, e.node.waitlistPosition])).toEqual([[d.id, 1]]);
  });
});

describe('releaseMemberRsvps', () => {
  it('turns a member\'s upcoming answers in one group into NO with promotion, inside the caller\'s transaction', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 1 });
    const [leaver, waiting] = await members(t, organizer.token, group.id, 2);
    const other = await eventWithOrganizer(t);
    const [elsewhere] = await members(t, other.organizer.token, other.group.id, 1);
    ok(await rsvp(t, leaver.token, event.id, 'YES'));
    ok(await rsvp(t, waiting.token, event.id, 'YES'));
    await sql(t, 'insert into memberships (id, group_id, user_id, role, status, joined_at) values (gen_random_uuid(), ?, ?, ?, ?, now())', [other.group.id, leaver.id, 'MEMBER', 'ACTIVE']);
    ok(await rsvp(t, leaver.token, other.event.id, 'YES'));
    ok(await rsvp(t, elsewhere.token, other.event.id, 'YES'));
    const changes = await t.api.db.orm.em.fork().transactional((em) => releaseMemberRsvps(em as never, group.id, leaver.id));
    expect(changes.map((c) => [c.version, c.rsvp?.user.id, c.rsvp?.status])).toEqual([[3, leaver.id, 'NOT_GOING'], [4, waiting.id, 'GOING']]);
    expect(await statusOf(event.id, leaver.id)).toBe('NOT_GOING');
    expect(await statusOf(other.event.id, leaver.id)).toBe('GOING'); // another group: untouched
    expect(await attendanceState(t, event.id)).toMatchObject({ goingCount: 1, heads: 1, waitlistCount: 0, version: 4 });
  });
});
