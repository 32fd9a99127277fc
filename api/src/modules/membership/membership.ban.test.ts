import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { createEvent, rsvp } from '../../test/events.js';
import { addMember, createGroup, expectError, joinGroup, ok, signUp, sql } from '../../test/factories.js';
import { checkInvariants, sqlOf } from '../../test/invariants.js';

// banFromGroup bars a person by user id whatever their standing, so leaving first is no way around a ban
// (docs/ARCHITECTURE.md, "Who may see and do what").

const BAN = `mutation ($groupId: ID!, $userId: ID!) { banFromGroup(groupId: $groupId, userId: $userId) { id status role user { id } } }`;
const JOIN = `mutation ($groupId: ID!) { joinGroup(groupId: $groupId) { id status } }`;
const LEAVE = `mutation ($groupId: ID!) { leaveGroup(groupId: $groupId) }`;
const REMOVE = `mutation ($membershipId: ID!, $ban: Boolean) { removeMember(membershipId: $membershipId, ban: $ban) }`;
const BANNED = `query ($slug: String!) { group(slug: $slug) { memberCount members(status: BANNED) { edges { node { id user { id } } } } } }`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ DB_POOL_MAX: 10 });
});
afterAll(() => t?.close());

async function groupWithOrganizer(overrides: Record<string, unknown> = {}) {
  const organizer = await signUp(t, 'Organizer');
  const group = await createGroup(t, organizer.token, overrides);
  return { organizer, group };
}

describe('banFromGroup', () => {
  it('bans a former member who left: they cannot rejoin until the ban is lifted', async () => {
    const { organizer, group } = await groupWithOrganizer();
    const former = await addMember(t, organizer.token, group.id);
    ok(await t.gql(LEAVE, { groupId: group.id }, former.token));
    const banned = ok(await t.gql(BAN, { groupId: group.id, userId: former.id }, organizer.token)).banFromGroup;
    expect(banned).toMatchObject({ status: 'BANNED', role: 'MEMBER', user: { id: former.id } });
    expectError(await t.gql(JOIN, { groupId: group.id }, former.token), 'FORBIDDEN');
    const seen = ok(await t.gql(BANNED, { slug: group.slug }, organizer.token)).group;
    expect(seen.memberCount).toBe(1);
    expect(seen.members.edges.map((e: any) => e.node.user.id)).toEqual([former.id]);
    // Banning again changes nothing; lifting the ban (removeMember without ban) lets them join again.
    expect(ok(await t.gql(BAN, { groupId: group.id, userId: former.id }, organizer.token)).banFromGroup.id).toBe(banned.id);
    ok(await t.gql(REMOVE, { membershipId: banned.id, ban: false }, organizer.token));
    expect(ok(await t.gql(JOIN, { groupId: group.id }, former.token)).joinGroup.status).toBe('ACTIVE');
  });

  it('bans someone who was never in the group, and someone whose request is pending', async () => {
    const { organizer, group } = await groupWithOrganizer({ joinMode: 'APPROVAL' });
    const stranger = await signUp(t, 'Stranger');
    ok(await t.gql(BAN, { groupId: group.id, userId: stranger.id }, organizer.token));
    expectError(await t.gql(JOIN, { groupId: group.id }, stranger.token), 'FORBIDDEN');
    const asker = await signUp(t, 'Asker');
    expect((await joinGroup(t, asker.token, group.id)).status).toBe('PENDING');
    expect(ok(await t.gql(BAN, { groupId: group.id, userId: asker.id }, organizer.token)).banFromGroup.status).toBe('BANNED');
    expectError(await t.gql(JOIN, { groupId: group.id }, asker.token), 'FORBIDDEN');
    expect(await sql(t, `select count(*)::int as n from memberships where group_id = ? and status = 'BANNED'`, [group.id])).toEqual([{ n: 2 }]);
  });

  it('bans an active member like removeMember(ban: true): their seats go to the waitlist', async () => {
    const { organizer, group } = await groupWithOrganizer();
    const event = await createEvent(t, organizer.token, group.id, { capacity: 1 });
    const member = await addMember(t, organizer.token, group.id);
    const waiting = await addMember(t, organizer.token, group.id);
    ok(await rsvp(t, member.token, event.id, 'YES'));
    expect(ok(await rsvp(t, waiting.token, event.id, 'YES')).rsvp.status).toBe('WAITLISTED');
    ok(await t.gql(BAN, { groupId: group.id, userId: member.id }, organizer.token));
    expect(await sql(t, 'select user_id, status from rsvps where event_id = ? order by status', [event.id])).toEqual([
      { user_id: waiting.id, status: 'GOING' },
      { user_id: member.id, status: 'NOT_GOING' },
    ]);
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  });

  it('is for organizers only, and names what is wrong', async () => {
    const { organizer, group } = await groupWithOrganizer();
    const member = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    const target = await signUp(t, 'Target');
    expectError(await t.gql(BAN, { groupId: group.id, userId: target.id }, member.token), 'FORBIDDEN');
    expectError(await t.gql(BAN, { groupId: group.id, userId: target.id }), 'UNAUTHENTICATED');
    expectError(await t.gql(BAN, { groupId: group.id, userId: organizer.id }, organizer.token), 'BAD_USER_INPUT', 'userId');
    expectError(await t.gql(BAN, { groupId: group.id, userId: '00000000-0000-4000-8000-000000000000' }, organizer.token), 'NOT_FOUND');
    expectError(await t.gql(BAN, { groupId: 'nope', userId: target.id }, organizer.token), 'NOT_FOUND');
    expect(await sql(t, 'select id from memberships where user_id = ?', [target.id])).toEqual([]);
  });

  it('wins however it races the person leaving and rejoining', async () => {
    const { organizer, group } = await groupWithOrganizer();
    for (let trial = 0; trial < 10; trial++) {
      const person = await addMember(t, organizer.token, group.id);
      await Promise.all([
        t.gql(LEAVE, { groupId: group.id }, person.token).then(() => t.gql(JOIN, { groupId: group.id }, person.token)),
        t.gql(BAN, { groupId: group.id, userId: person.id }, organizer.token),
      ]);
      // Ban before the leave, between leave and rejoin, or after the rejoin: the person ends BANNED each time.
      expect(await sql(t, 'select status from memberships where group_id = ? and user_id = ?', [group.id, person.id])).toEqual([{ status: 'BANNED' }]);
    }
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  });
});
