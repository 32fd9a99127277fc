import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceTopic, type AttendanceChange } from '../rsvp/attendance.live.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { attendanceState, contractOperation, eventWithOrganizer, hoursFromNow, members, rsvp } from '../../test/events.js';
import { addMember, createGroup, expectError, joinGroup, ok, signUp, sql } from '../../test/factories.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const RSVP = contractOperation('Rsvp');

/** Collects what the API publishes for an event. */
function watch(eventId: string) {
  const seen: AttendanceChange[] = [];
  const stop = t.api.live.listen(attendanceTopic, eventId, (change) => seen.push(change));
  return { seen, stop };
}

describe('rule 1: who may answer, and when', () => {
  it('asks non-members to join first, and refuses anonymous and pending people', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, {}, { joinMode: 'APPROVAL' });
    const outsider = await signUp(t, 'Outsider');
    const pending = await signUp(t, 'Pending');
    await joinGroup(t, pending.token, group.id, 'hi');
    const refused = expectError(await rsvp(t, outsider.token, event.id, 'YES'), 'FORBIDDEN');
    expect(refused.message).toMatch(/join the group first/i);
    expectError(await rsvp(t, pending.token, event.id, 'YES'), 'FORBIDDEN');
    expectError(await rsvp(t, '', event.id, 'YES'), 'UNAUTHENTICATED');
    expectError(await rsvp(t, organizer.token, 'not-an-id', 'YES'), 'NOT_FOUND');
    expect((await attendanceState(t, event.id)).rsvps).toBe(0);
  });

  it('hides events of a private group from outsiders (NOT_FOUND) but lets members answer', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, {}, { visibility: 'PRIVATE' });
    const outsider = await signUp(t, 'Outsider');
    expectError(await rsvp(t, outsider.token, event.id, 'YES'), 'NOT_FOUND');
    const [member] = await members(t, organizer.token, group.id, 1);
    expect(ok(await rsvp(t, member.token, event.id, 'YES')).rsvp.status).toBe('GOING');
  });

  it('refuses cancelled and ended events, but not one under way', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const [member] = await members(t, organizer.token, group.id, 1);
    const ended = await eventWithOrganizer(t, { startsAt: hoursFromNow(-3), endsAt: hoursFromNow(-1) });
    const [late] = await members(t, ended.organizer.token, ended.group.id, 1);
    expectError(await rsvp(t, late.token, ended.event.id, 'YES'), 'BAD_USER_INPUT', 'eventId');
    const running = await eventWithOrganizer(t, { startsAt: hoursFromNow(-1), endsAt: hoursFromNow(1) });
    const [walkIn] = await members(t, running.organizer.token, running.group.id, 1);
    expect(ok(await rsvp(t, walkIn.token, running.event.id, 'YES')).rsvp.status).toBe('GOING');
    ok(await t.gql(contractOperation('CancelEvent'), { id: event.id }, organizer.token));
    const error = expectError(await rsvp(t, member.token, event.id, 'YES'), 'BAD_USER_INPUT', 'eventId');
    expect(error.message).toMatch(/cancelled/);
  });
});

describe('rule 2: guests and capacity in heads', () => {
  it('seats whole parties while they fit, then waitlists in order (contract Rsvp)', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 4, guestLimit: 2 });
    const [a, b, c, d] = await members(t, organizer.token, group.id, 4);
    const first = ok(await t.gql(RSVP, { eventId: event.id, response: 'YES', guests: 2 }, a.token)).rsvp;
    expect(first).toMatchObject({ status: 'GOING', guests: 2, waitlistPosition: null, event: { id: event.id, goingCount: 3, waitlistCount: 0, attendanceVersion: 1 } });
    const second = ok(await t.gql(RSVP, { eventId: event.id, response: 'YES', guests: 1 }, b.token)).rsvp;
    expect(second).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1, event: { goingCount: 3, waitlistCount: 1 } });
    const third = ok(await t.gql(RSVP, { eventId: event.id, response: 'YES' }, c.token)).rsvp;
    expect(third).toMatchObject({ status: 'GOING', guests: 0, event: { goingCount: 4, waitlistCount: 1 } }); // a party of one still fits
    const fourth = ok(await t.gql(RSVP, { eventId: event.id, response: 'YES' }, d.token)).rsvp;
    expect(fourth).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 2, event: { goingCount: 4, waitlistCount: 2, attendanceVersion: 4 } });
    const state = await attendanceState(t, event.id);
    expect(state).toMatchObject({ goingCount: 4, heads: 4, waitlistCount: 2, waiting: 2, version: 4, positions: [1, 2] });
  });

  it('refuses more guests than the event allows, and negative guests', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { guestLimit: 1 });
    const noGuests = await eventWithOrganizer(t);
    const [member] = await members(t, organizer.token, group.id, 1);
    const [other] = await members(t, noGuests.organizer.token, noGuests.group.id, 1);
    expectError(await rsvp(t, member.token, event.id, 'YES', 2), 'BAD_USER_INPUT', 'guests');
    expectError(await rsvp(t, member.token, event.id, 'YES', -1), 'BAD_USER_INPUT', 'guests');
    expect(expectError(await rsvp(t, other.token, noGuests.event.id, 'YES', 1), 'BAD_USER_INPUT', 'guests').message).toMatch(/does not allow guests/);
    expect(ok(await rsvp(t, member.token, event.id, 'YES', 1)).rsvp).toMatchObject({ status: 'GOING', guests: 1 });
    expect((await attendanceState(t, event.id)).version).toBe(1);
  });
});

describe('rule 3: saying no and changing guests', () => {
  it('frees seats on NO and records a NO from someone who never answered', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 10, guestLimit: 2 });
    const [a, b] = await members(t, organizer.token, group.id, 2);
    ok(await rsvp(t, a.token, event.id, 'YES', 2));
    const no = ok(await rsvp(t, a.token, event.id, 'NO')).rsvp;
    expect(no).toMatchObject({ status: 'NOT_GOING', guests: 0, event: { goingCount: 0, attendanceVersion: 2 } });
    expect(ok(await rsvp(t, b.token, event.id, 'NO')).rsvp).toMatchObject({ status: 'NOT_GOING', event: { attendanceVersion: 3 } });
    expect(await attendanceState(t, event.id)).toMatchObject({ goingCount: 0, heads: 0, rsvps: 2, version: 3 });
  });

  it('needs the extra seats for more guests, else refuses and changes nothing', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 4, guestLimit: 3 });
    const [a, b] = await members(t, organizer.token, group.id, 2);
    ok(await rsvp(t, a.token, event.id, 'YES', 1));
    ok(await rsvp(t, b.token, event.id, 'YES', 0));
    const { seen, stop } = watch(event.id);
    const refused = expectError(await rsvp(t, a.token, event.id, 'YES', 3), 'BAD_USER_INPUT', 'guests');
    expect(refused.message).toMatch(/only 1 more seat/);
    expect(await attendanceState(t, event.id)).toMatchObject({ goingCount: 3, heads: 3, version: 2 });
    const [row] = await sql(t, 'select guests, status from rsvps where user_id = ? and event_id = ?', [a.id, event.id]);
    expect(row).toEqual({ guests: 1, status: 'GOING' });
    expect(ok(await rsvp(t, a.token, event.id, 'YES', 2)).rsvp).toMatchObject({ status: 'GOING', guests: 2, event: { goingCount: 4 } });
    stop();
    expect(seen.map((c) => c.version)).toEqual([3]); // the refusal published nothing
  });

  it('keeps a waitlisted party\'s place when it changes its guests', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 2, guestLimit: 2 });
    const [a, b, c] = await members(t, organizer.token, group.id, 3);
    ok(await rsvp(t, a.token, event.id, 'YES', 0));
    ok(await rsvp(t, b.token, event.id, 'YES', 2)); // 3 heads: waits
    ok(await rsvp(t, c.token, event.id, 'YES', 1)); // 2 heads: waits behind b
    expect(ok(await rsvp(t, b.token, event.id, 'YES', 1)).rsvp).toMatchObject({ status: 'WAITLISTED', guests: 1, waitlistPosition: 1 });
    // b with no guests fits the one free seat: seated at once, ahead of c (nobody ahead of b fits).
    expect(ok(await rsvp(t, b.token, event.id, 'YES', 0)).rsvp).toMatchObject({ status: 'GOING', guests: 0, event: { goingCount: 2 } });
    expect(await attendanceState(t, event.id)).toMatchObject({ goingCount: 2, heads: 2, waitlistCount: 1, positions: [1], version: 5 });
  });
});

describe('rule 5: repeating an answer', () => {
  it('returns the current state and changes and publishes nothing', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 1, guestLimit: 1 });
    const [a, b] = await members(t, organizer.token, group.id, 2);
    ok(await rsvp(t, a.token, event.id, 'YES', 0));
    ok(await rsvp(t, b.token, event.id, 'YES', 1));
    const { seen, stop } = watch(event.id);
    expect(ok(await rsvp(t, a.token, event.id, 'YES', 0)).rsvp).toMatchObject({ status: 'GOING', event: { attendanceVersion: 2 } });
    expect(ok(await rsvp(t, a.token, event.id, 'YES')).rsvp).toMatchObject({ status: 'GOING', guests: 0 });
    expect(ok(await rsvp(t, b.token, event.id, 'YES')).rsvp).toMatchObject({ status: 'WAITLISTED', guests: 1, waitlistPosition: 1 });
    const [updated] = await sql(t, 'select updated_at from rsvps where user_id = ?', [b.id]);
    ok(await rsvp(t, b.token, event.id, 'YES', 1));
    const [still] = await sql(t, 'select updated_at from rsvps where user_id = ?', [b.id]);
    expect(still.updated_at).toEqual(updated.updated_at);
    const outsider = await addMember(t, organizer.token, group.id);
    ok(await rsvp(t, outsider.token, event.id, 'NO'));
    expect(ok(await rsvp(t, outsider.token, event.id, 'NO')).rsvp).toMatchObject({ status: 'NOT_GOING', event: { attendanceVersion: 3 } });
    stop();
    expect(seen.map((c) => c.version)).toEqual([3]);
    expect((await attendanceState(t, event.id)).version).toBe(3);
  });
});

describe('Me.upcomingRsvps', () => {
  it('lists my going and waitlisted answers to events not ended, soonest first (contract Me)', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token);
    const me = await addMember(t, organizer.token, group.id);
    const make = async (title: string, startsAt: string, extra: Record<string, unknown> = {}) =>
      ok(await t.gql(contractOperation('CreateEvent'), { input: { groupId: group.id, title, startsAt, ...extra } }, organizer.token)).createEvent;
    const later = await make('later', hoursFromNow(50));
    const soon = await make('soon', hoursFromNow(5));
    const full = await make('full', hoursFromNow(20), { capacity: 0 });
    const declined = await make('declined', hoursFromNow(10));
    const running = await make('running', hoursFromNow(-1), { endsAt: hoursFromNow(1) });
    for (const e of [later, soon, full, running]) ok(await rsvp(t, me.token, e.id, 'YES'));
    ok(await rsvp(t, me.token, declined.id, 'NO'));
    await sql(t, 'update events set ends_at = now() - interval \'1 minute\', starts_at = now() - interval \'2 hours\' where id = ?', [running.id]);
    const data = ok(await t.gql(contractOperation('Me'), {}, me.token)).me;
    expect(data.memberships.totalCount).toBe(1);
    expect(data.upcomingRsvps.totalCount).toBe(3);
    expect(data.upcomingRsvps.edges.map((e: any) => [e.node.event.title, e.node.status, e.node.waitlistPosition])).toEqual([
      ['soon', 'GOING', null],
      ['full', 'WAITLISTED', 1],
      ['later', 'GOING', null],
    ]);
    const PAGE = `query ($after: String) { me { upcomingRsvps(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { event { title } } } } } }`;
    const first = ok(await t.gql(PAGE, {}, me.token)).me.upcomingRsvps;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = ok(await t.gql(PAGE, { after: first.pageInfo.endCursor }, me.token)).me.upcomingRsvps;
    expect(rest.edges.map((e: any) => e.node.event.title)).toEqual(['later']);
    expectError(await t.gql(PAGE, { after: 'garbage' }, me.token), 'BAD_USER_INPUT', 'after');
  });
});
