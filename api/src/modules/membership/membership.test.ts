import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { addMember, createGroup, expectError, joinGroup, ok, setRole, signUp, sql, memberCounts } from '../../test/factories.js';

const JOIN = `mutation ($groupId: ID!, $answer: String) { joinGroup(groupId: $groupId, answer: $answer) { id role status joinedAt answer group { id memberCount } } }`;
const LEAVE = `mutation ($groupId: ID!) { leaveGroup(groupId: $groupId) }`;
const REVIEW = `mutation ($membershipId: ID!, $approve: Boolean!) { reviewMembership(membershipId: $membershipId, approve: $approve) { id status joinedAt } }`;
const SET_ROLE = `mutation ($membershipId: ID!, $role: MemberRole!) { setMemberRole(membershipId: $membershipId, role: $role) { id role } }`;
const REMOVE = `mutation ($membershipId: ID!, $ban: Boolean) { removeMember(membershipId: $membershipId, ban: $ban) }`;
const MY_MEMBERSHIPS = `query { me { memberships(first: 10) { totalCount edges { node { id role status group { id slug } } } } } }`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const counts = (groupId: string) => memberCounts(t, groupId);

/** The stored membership rows of one user in one group. */
const rowsOf = (groupId: string, userId: string) =>
  sql(t, 'select id, role, status, answer from memberships where group_id = ? and user_id = ?', [groupId, userId]);

/** An organizer with a fresh group. */
async function organizerWithGroup(overrides: Record<string, unknown> = {}) {
  const organizer = await signUp(t, 'Organizer');
  const group = await createGroup(t, organizer.token, overrides);
  return { organizer, group };
}

describe('joining and leaving', () => {
  it('joins an OPEN group at once as an ACTIVE member, once however often asked', async () => {
    const { group } = await organizerWithGroup();
    const bob = await signUp(t, 'Bob');
    const joined = ok(await t.gql(JOIN, { groupId: group.id }, bob.token)).joinGroup;
    expect(joined).toMatchObject({ role: 'MEMBER', status: 'ACTIVE', joinedAt: expect.any(String), group: { memberCount: 2 } });
    const again = ok(await t.gql(JOIN, { groupId: group.id }, bob.token)).joinGroup;
    expect(again).toMatchObject({ id: joined.id, status: 'ACTIVE', group: { memberCount: 2 } });
    expect(await rowsOf(group.id, bob.id)).toEqual([{ id: joined.id, role: 'MEMBER', status: 'ACTIVE', answer: null }]);
    expect(await counts(group.id)).toEqual({ memberCount: 2, activeRows: 2 });
  });

  it('refuses anonymous joins and answers NOT_FOUND for unknown groups', async () => {
    const { group } = await organizerWithGroup();
    expectError(await t.gql(JOIN, { groupId: group.id }), 'UNAUTHENTICATED');
    const bob = await signUp(t, 'Bob');
    expectError(await t.gql(JOIN, { groupId: '00000000-0000-4000-8000-000000000000' }, bob.token), 'NOT_FOUND');
    expectError(await t.gql(JOIN, { groupId: 'garbage' }, bob.token), 'NOT_FOUND');
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
  });

  it('leaves a group: memberCount goes down, and leaving twice answers false', async () => {
    const { organizer, group } = await organizerWithGroup();
    const bob = await addMember(t, organizer.token, group.id);
    expect(await counts(group.id)).toEqual({ memberCount: 2, activeRows: 2 });
    expect(ok(await t.gql(LEAVE, { groupId: group.id }, bob.token)).leaveGroup).toBe(true);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
    expect(await rowsOf(group.id, bob.id)).toEqual([]);
    expect(ok(await t.gql(LEAVE, { groupId: group.id }, bob.token)).leaveGroup).toBe(false);
    expectError(await t.gql(LEAVE, { groupId: group.id }), 'UNAUTHENTICATED');
  });
});

describe('groups that approve members', () => {
  it('makes a request PENDING with its answer, and needs an answer when the group asks a question', async () => {
    const { group } = await organizerWithGroup({ joinMode: 'APPROVAL', joinQuestion: 'Which trail do you like?' });
    const carol = await signUp(t, 'Carol');
    expectError(await t.gql(JOIN, { groupId: group.id }, carol.token), 'BAD_USER_INPUT', 'answer');
    expectError(await t.gql(JOIN, { groupId: group.id, answer: '   ' }, carol.token), 'BAD_USER_INPUT', 'answer');
    expectError(await t.gql(JOIN, { groupId: group.id, answer: 'x'.repeat(1001) }, carol.token), 'BAD_USER_INPUT', 'answer');
    expect(await rowsOf(group.id, carol.id)).toEqual([]);
    const asked = ok(await t.gql(JOIN, { groupId: group.id, answer: ' The coast path ' }, carol.token)).joinGroup;
    expect(asked).toMatchObject({ status: 'PENDING', role: 'MEMBER', joinedAt: null, answer: 'The coast path', group: { memberCount: 1 } });
    expect(await rowsOf(group.id, carol.id)).toEqual([{ id: asked.id, role: 'MEMBER', status: 'PENDING', answer: 'The coast path' }]);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
  });

  it('needs no answer when the group asks no question', async () => {
    const { group } = await organizerWithGroup({ joinMode: 'APPROVAL' });
    const dan = await signUp(t, 'Dan');
    expect(ok(await t.gql(JOIN, { groupId: group.id }, dan.token)).joinGroup).toMatchObject({ status: 'PENDING', answer: null });
  });

  it('approves a request: ACTIVE, joined now, memberCount up by one', async () => {
    const { organizer, group } = await organizerWithGroup({ joinMode: 'APPROVAL' });
    const erin = await signUp(t, 'Erin');
    const request = await joinGroup(t, erin.token, group.id);
    const approved = ok(await t.gql(REVIEW, { membershipId: request.id, approve: true }, organizer.token)).reviewMembership;
    expect(approved).toMatchObject({ id: request.id, status: 'ACTIVE', joinedAt: expect.any(String) });
    expect(await counts(group.id)).toEqual({ memberCount: 2, activeRows: 2 });
    const again = await t.gql(REVIEW, { membershipId: request.id, approve: false }, organizer.token);
    expectError(again, 'BAD_USER_INPUT', 'membershipId');
    expect(await rowsOf(group.id, erin.id)).toMatchObject([{ status: 'ACTIVE' }]);
  });

  it('rejects a request: REJECTED, no member; the person may ask again and is PENDING', async () => {
    const { organizer, group } = await organizerWithGroup({ joinMode: 'APPROVAL', joinQuestion: 'Why?' });
    const finn = await signUp(t, 'Finn');
    const request = await joinGroup(t, finn.token, group.id, 'Because');
    const rejected = ok(await t.gql(REVIEW, { membershipId: request.id, approve: false }, organizer.token)).reviewMembership;
    expect(rejected).toMatchObject({ status: 'REJECTED', joinedAt: null });
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
    const retry = ok(await t.gql(JOIN, { groupId: group.id, answer: 'Please' }, finn.token)).joinGroup;
    expect(retry).toMatchObject({ id: request.id, status: 'PENDING', answer: 'Please' });
    expect(await rowsOf(group.id, finn.id)).toEqual([{ id: request.id, role: 'MEMBER', status: 'PENDING', answer: 'Please' }]);
  });

  it('lets a person withdraw a request without touching memberCount', async () => {
    const { group } = await organizerWithGroup({ joinMode: 'APPROVAL' });
    const gus = await signUp(t, 'Gus');
    await joinGroup(t, gus.token, group.id);
    expect(ok(await t.gql(LEAVE, { groupId: group.id }, gus.token)).leaveGroup).toBe(true);
    expect(await rowsOf(group.id, gus.id)).toEqual([]);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
  });
});

describe('removing and banning', () => {
  it('removes a member without a ban: the row goes, memberCount drops, and they may rejoin', async () => {
    const { organizer, group } = await organizerWithGroup();
    const hal = await addMember(t, organizer.token, group.id);
    expect(ok(await t.gql(REMOVE, { membershipId: hal.membershipId }, organizer.token)).removeMember).toBe(true);
    expect(await rowsOf(group.id, hal.id)).toEqual([]);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
    expect(await joinGroup(t, hal.token, group.id)).toMatchObject({ status: 'ACTIVE' });
    expect(await counts(group.id)).toEqual({ memberCount: 2, activeRows: 2 });
  });

  it('bans a member: BANNED, memberCount drops, joining again is FORBIDDEN until the ban is lifted', async () => {
    const { organizer, group } = await organizerWithGroup();
    const ivy = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    expect(ok(await t.gql(REMOVE, { membershipId: ivy.membershipId, ban: true }, organizer.token)).removeMember).toBe(true);
    expect(await rowsOf(group.id, ivy.id)).toEqual([{ id: ivy.membershipId, role: 'MEMBER', status: 'BANNED', answer: null }]);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
    expectError(await t.gql(JOIN, { groupId: group.id }, ivy.token), 'FORBIDDEN');
    expect(ok(await t.gql(LEAVE, { groupId: group.id }, ivy.token)).leaveGroup).toBe(false);
    expect(await rowsOf(group.id, ivy.id)).toMatchObject([{ status: 'BANNED' }]);
    // Removing the BANNED membership without `ban` lifts the ban.
    expect(ok(await t.gql(REMOVE, { membershipId: ivy.membershipId, ban: false }, organizer.token)).removeMember).toBe(true);
    expect(await rowsOf(group.id, ivy.id)).toEqual([]);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
    expect(await joinGroup(t, ivy.token, group.id)).toMatchObject({ status: 'ACTIVE', role: 'MEMBER' });
  });

  it('bans a pending request too: memberCount stays, and they cannot ask again', async () => {
    const { organizer, group } = await organizerWithGroup({ joinMode: 'APPROVAL' });
    const jo = await signUp(t, 'Jo');
    const request = await joinGroup(t, jo.token, group.id);
    ok(await t.gql(REMOVE, { membershipId: request.id, ban: true }, organizer.token));
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
    expectError(await t.gql(JOIN, { groupId: group.id }, jo.token), 'FORBIDDEN');
  });
});

describe('a group keeps an organizer', () => {
  it('refuses to let the last organizer leave, step down or be removed', async () => {
    const { organizer, group } = await organizerWithGroup();
    const [mine] = await rowsOf(group.id, organizer.id);
    expectError(await t.gql(LEAVE, { groupId: group.id }, organizer.token), 'FORBIDDEN');
    expectError(await t.gql(SET_ROLE, { membershipId: mine.id, role: 'MEMBER' }, organizer.token), 'FORBIDDEN');
    expectError(await t.gql(SET_ROLE, { membershipId: mine.id, role: 'EVENT_ORGANIZER' }, organizer.token), 'FORBIDDEN');
    expectError(await t.gql(REMOVE, { membershipId: mine.id }, organizer.token), 'FORBIDDEN');
    expectError(await t.gql(REMOVE, { membershipId: mine.id, ban: true }, organizer.token), 'FORBIDDEN');
    expect(await rowsOf(group.id, organizer.id)).toEqual([{ ...mine, role: 'ORGANIZER', status: 'ACTIVE' }]);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
  });

  it('lets an organizer step down, leave or be removed once another organizer is appointed', async () => {
    const { organizer, group } = await organizerWithGroup();
    const [mine] = await rowsOf(group.id, organizer.id);
    const kim = await addMember(t, organizer.token, group.id);
    expect(await setRole(t, organizer.token, kim.membershipId, 'ORGANIZER')).toMatchObject({ role: 'ORGANIZER' });
    expect(ok(await t.gql(SET_ROLE, { membershipId: mine.id, role: 'EVENT_ORGANIZER' }, organizer.token)).setMemberRole.role).toBe('EVENT_ORGANIZER');
    // Now Kim is the last organizer: she cannot step down, but she can make the founder organizer again.
    expectError(await t.gql(SET_ROLE, { membershipId: kim.membershipId, role: 'MEMBER' }, kim.token), 'FORBIDDEN');
    await setRole(t, kim.token, mine.id, 'ORGANIZER');
    expect(ok(await t.gql(LEAVE, { groupId: group.id }, organizer.token)).leaveGroup).toBe(true);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
    expectError(await t.gql(LEAVE, { groupId: group.id }, kim.token), 'FORBIDDEN');
    // Another organizer can remove an organizer outright.
    const lee = await addMember(t, kim.token, group.id, 'ORGANIZER');
    expect(ok(await t.gql(REMOVE, { membershipId: kim.membershipId }, lee.token)).removeMember).toBe(true);
    const organizers = await sql(t, `select user_id from memberships where group_id = ? and role = 'ORGANIZER' and status = 'ACTIVE'`, [group.id]);
    expect(organizers).toEqual([{ user_id: lee.id }]);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
  });
});

describe('my memberships', () => {
  it('lists the viewer\'s memberships and requests, newest first', async () => {
    const { organizer, group: open } = await organizerWithGroup();
    const asking = await createGroup(t, organizer.token, { joinMode: 'APPROVAL' });
    const mia = await signUp(t, 'Mia');
    const own = await createGroup(t, mia.token);
    await joinGroup(t, mia.token, open.id);
    await joinGroup(t, mia.token, asking.id);
    const list = ok(await t.gql(MY_MEMBERSHIPS, {}, mia.token)).me.memberships;
    expect(list.totalCount).toBe(3);
    const listed = list.edges.map((e: any) => [e.node.group.id, e.node.role, e.node.status]);
    expect([...listed].sort()).toEqual(
      [
        [asking.id, 'MEMBER', 'PENDING'],
        [open.id, 'MEMBER', 'ACTIVE'],
        [own.id, 'ORGANIZER', 'ACTIVE'],
      ].sort(),
    );
    // Newest first (requests made in one millisecond tie-break by id).
    const newestFirst = await sql(t, 'select group_id from memberships where user_id = ? order by created_at desc, id desc', [mia.id]);
    expect(listed.map((row: string[]) => row[0])).toEqual(newestFirst.map((r) => r.group_id));
    expect(ok(await t.gql(MY_MEMBERSHIPS, {})).me).toBeNull();
  });
});
