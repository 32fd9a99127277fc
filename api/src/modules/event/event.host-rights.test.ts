import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, hoursFromNow, rsvp } from '../../test/events.js';
import { addMember, createGroup, expectError, ok, signUp, sql } from '../../test/factories.js';

// Host rights need an ACTIVE membership (docs/ARCHITECTURE.md, "Who may see and do what"): a host who is banned,
// removed or leaves a PUBLIC group (where they can still read the event) loses the online link and check-in at once,
// and is no longer listed among the event's hosts (the list names who holds host rights).

const MARK = contractOperation('MarkAttended');
const EVENT = `query ($id: ID!) { event(id: $id) { id onlineUrl hosts { id } } }`;
const REMOVE = `mutation ($membershipId: ID!, $ban: Boolean) { removeMember(membershipId: $membershipId, ban: $ban) }`;
const LEAVE = `mutation ($groupId: ID!) { leaveGroup(groupId: $groupId) }`;
const URL = 'https://meet.example/host-only';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

/** A public group; an event organizer hosts an event under way (with an online link) that a member is going to. */
async function hostedEvent() {
  const organizer = await signUp(t, 'Organizer');
  const group = await createGroup(t, organizer.token);
  const host = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
  const input = { groupId: group.id, title: 'Hosted', startsAt: hoursFromNow(-1), endsAt: hoursFromNow(2), onlineUrl: URL };
  const event = ok(await t.gql(contractOperation('CreateEvent'), { input }, host.token)).createEvent;
  const guest = await addMember(t, organizer.token, group.id);
  const rsvpId: string = ok(await rsvp(t, guest.token, event.id, 'YES')).rsvp.id;
  expect(ok(await t.gql(EVENT, { id: event.id }, host.token)).event.onlineUrl).toBe(URL);
  return { organizer, group, host, event, guest, rsvpId };
}

/** The host can still read the public event, but holds no host right and is listed as host to nobody. */
async function expectNoHostRights(hostToken: string, eventId: string, rsvpId: string, otherToken: string) {
  const seen = ok(await t.gql(EVENT, { id: eventId }, hostToken)).event;
  expect(seen.onlineUrl).toBeNull();
  expect(seen.hosts).toEqual([]);
  expect(ok(await t.gql(EVENT, { id: eventId }, otherToken)).event.hosts).toEqual([]);
  expect(ok(await t.gql(EVENT, { id: eventId })).event.hosts).toEqual([]);
  expectError(await t.gql(MARK, { rsvpId, attended: true }, hostToken), 'FORBIDDEN');
  expect(await sql(t, 'select attended from rsvps where id = ?', [rsvpId])).toEqual([{ attended: false }]);
}

describe('host rights need an ACTIVE membership', () => {
  it('a banned host of a public group’s event no longer sees the online link nor marks attendance', async () => {
    const { organizer, host, event, rsvpId } = await hostedEvent();
    ok(await t.gql(REMOVE, { membershipId: host.membershipId, ban: true }, organizer.token));
    await expectNoHostRights(host.token, event.id, rsvpId, organizer.token);
  });

  it('so does a host who was removed without a ban, or who left', async () => {
    const removed = await hostedEvent();
    ok(await t.gql(REMOVE, { membershipId: removed.host.membershipId, ban: false }, removed.organizer.token));
    await expectNoHostRights(removed.host.token, removed.event.id, removed.rsvpId, removed.guest.token);

    const left = await hostedEvent();
    expect(ok(await t.gql(LEAVE, { groupId: left.group.id }, left.host.token)).leaveGroup).toBe(true);
    await expectNoHostRights(left.host.token, left.event.id, left.rsvpId, left.organizer.token);
  });

  it('a host who rejoins gets the rights back; going members and organizers keep the link', async () => {
    const { organizer, group, host, event, guest, rsvpId } = await hostedEvent();
    ok(await t.gql(LEAVE, { groupId: group.id }, host.token));
    ok(await t.gql(`mutation ($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: group.id }, host.token));
    expect(ok(await t.gql(EVENT, { id: event.id }, host.token)).event).toMatchObject({ onlineUrl: URL, hosts: [{ id: host.id }] });
    expect(ok(await t.gql(MARK, { rsvpId, attended: true }, host.token)).markAttended.attended).toBe(true);
    expect(ok(await t.gql(EVENT, { id: event.id }, guest.token)).event.onlineUrl).toBe(URL);
    expect(ok(await t.gql(EVENT, { id: event.id }, organizer.token)).event.onlineUrl).toBe(URL);
    const outsider = await signUp(t, 'Outsider');
    expect(ok(await t.gql(EVENT, { id: event.id }, outsider.token)).event.onlineUrl).toBeNull();
  });
});
