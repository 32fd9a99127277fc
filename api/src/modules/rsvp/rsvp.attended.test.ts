import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, eventWithOrganizer, hoursFromNow, rsvp } from '../../test/events.js';
import { addMember, expectError, ok, sql } from '../../test/factories.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const MARK = contractOperation('MarkAttended');

/** An event under way with one going member; `role` is given to a second member. */
async function startedEvent(role: 'MEMBER' | 'EVENT_ORGANIZER' = 'MEMBER') {
  const setup = await eventWithOrganizer(t, { startsAt: hoursFromNow(-1), endsAt: hoursFromNow(1) });
  const guest = await addMember(t, setup.organizer.token, setup.group.id);
  const other = await addMember(t, setup.organizer.token, setup.group.id, role);
  const answer = ok(await rsvp(t, guest.token, setup.event.id, 'YES')).rsvp;
  return { ...setup, guest, other, rsvpId: answer.id as string };
}

describe('markAttended', () => {
  it('lets the host mark and unmark attendance once the event has started (contract MarkAttended)', async () => {
    const { organizer, event, rsvpId } = await startedEvent();
    expect(ok(await t.gql(MARK, { rsvpId, attended: true }, organizer.token)).markAttended).toEqual({ id: rsvpId, attended: true });
    const [row] = await sql(t, 'select attended from rsvps where id = ?', [rsvpId]);
    expect(row.attended).toBe(true);
    expect(ok(await t.gql(MARK, { rsvpId, attended: false }, organizer.token)).markAttended.attended).toBe(false);
    const [event_] = await sql(t, 'select attendance_version from events where id = ?', [event.id]);
    expect(event_.attendance_version).toBe(1); // marking attendance is not an attendance change
  });

  it('lets event organizers who are not hosts mark attendance', async () => {
    const { other, rsvpId } = await startedEvent('EVENT_ORGANIZER');
    expect(ok(await t.gql(MARK, { rsvpId, attended: true }, other.token)).markAttended.attended).toBe(true);
  });

  it('lets a host who is no longer an event manager mark attendance of their event', async () => {
    const { organizer, group } = await eventWithOrganizer(t);
    const host = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    const guest = await addMember(t, organizer.token, group.id);
    const input = { groupId: group.id, title: 'Hosted', startsAt: hoursFromNow(-1), endsAt: hoursFromNow(1) };
    const event = ok(await t.gql(contractOperation('CreateEvent'), { input }, host.token)).createEvent;
    const rsvpId = ok(await rsvp(t, guest.token, event.id, 'YES')).rsvp.id;
    ok(await t.gql(`mutation ($id: ID!) { setMemberRole(membershipId: $id, role: MEMBER) { id } }`, { id: host.membershipId }, organizer.token));
    expect(ok(await t.gql(MARK, { rsvpId, attended: true }, host.token)).markAttended.attended).toBe(true);
  });

  it('refuses members, anonymous people and unknown RSVPs', async () => {
    const { guest, other, rsvpId } = await startedEvent();
    expectError(await t.gql(MARK, { rsvpId, attended: true }, other.token), 'FORBIDDEN');
    expectError(await t.gql(MARK, { rsvpId, attended: true }, guest.token), 'FORBIDDEN');
    expectError(await t.gql(MARK, { rsvpId, attended: true }), 'UNAUTHENTICATED');
    expectError(await t.gql(MARK, { rsvpId: 'nope', attended: true }, other.token), 'NOT_FOUND');
    const [row] = await sql(t, 'select attended from rsvps where id = ?', [rsvpId]);
    expect(row.attended).toBe(false);
  });

  it('refuses before the event has started', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { startsAt: hoursFromNow(2) });
    const guest = await addMember(t, organizer.token, group.id);
    const rsvpId = ok(await rsvp(t, guest.token, event.id, 'YES')).rsvp.id;
    const error = expectError(await t.gql(MARK, { rsvpId, attended: true }, organizer.token), 'BAD_USER_INPUT', 'rsvpId');
    expect(error.message).toMatch(/once the event has started/);
    const [row] = await sql(t, 'select attended from rsvps where id = ?', [rsvpId]);
    expect(row.attended).toBe(false);
  });
});
