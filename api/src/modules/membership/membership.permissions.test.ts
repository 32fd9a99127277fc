import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { addMember, createGroup, expectError, joinGroup, ok, signUp, sql, type TestUser } from '../../test/factories.js';

const REVIEW = `mutation ($membershipId: ID!, $approve: Boolean!) { reviewMembership(membershipId: $membershipId, approve: $approve) { id status } }`;
const SET_ROLE = `mutation ($membershipId: ID!, $role: MemberRole!) { setMemberRole(membershipId: $membershipId, role: $role) { id role } }`;
const REMOVE = `mutation ($membershipId: ID!, $ban: Boolean) { removeMember(membershipId: $membershipId, ban: $ban) }`;
const GROUP_PAGE = `query ($slug: String!, $status: MembershipStatus) {
  group(slug: $slug) {
    id name description city memberCount visibility topics { slug }
    viewerMembership { id role status answer }
    members(status: $status, first: 50) { totalCount edges { node { id role status answer user { id name } } } }
  }
}`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

/** A group with one of each kind of person: organizer, event organizer, member, pending, outsider. */
async function cast(overrides: Record<string, unknown> = {}) {
  const organizer = await signUp(t, 'Organizer');
  const group = await createGroup(t, organizer.token, { joinMode: 'APPROVAL', joinQuestion: 'Why join?', topics: ['Books'], ...overrides });
  const admit = async (name: string, role?: 'EVENT_ORGANIZER') => {
    const user = await signUp(t, name);
    const m = await joinGroup(t, user.token, group.id, `${name}'s answer`);
    ok(await t.gql(REVIEW, { membershipId: m.id, approve: true }, organizer.token));
    if (role) ok(await t.gql(SET_ROLE, { membershipId: m.id, role }, organizer.token));
    return { ...user, membershipId: m.id };
  };
  const eventOrganizer = await admit('Eve', 'EVENT_ORGANIZER');
  const member = await admit('Max');
  const pendingUser = await signUp(t, 'Pat');
  const pending = { ...pendingUser, membershipId: (await joinGroup(t, pendingUser.token, group.id, 'Pat\'s answer')).id };
  const outsider = await signUp(t, 'Otto');
  return { group, organizer, eventOrganizer, member, pending, outsider };
}

/** The group page as `token`'s user sees it (anonymous without a token). */
async function page(slug: string, token?: string, status?: string) {
  return t.gql(GROUP_PAGE, { slug, status: status ?? null }, token);
}

const membershipRow = async (id: string) => (await sql(t, 'select role, status from memberships where id = ?', [id]))[0];

describe('organizer-only actions', () => {
  it('refuses review, role changes and removal to event organizers, members, pending people and outsiders', async () => {
    const c = await cast();
    const target = await signUp(t, 'Target');
    const request = await joinGroup(t, target.token, c.group.id, 'Hello');
    const refused: TestUser[] = [c.eventOrganizer, c.member, c.pending, c.outsider];
    for (const who of refused) {
      expectError(await t.gql(REVIEW, { membershipId: request.id, approve: true }, who.token), 'FORBIDDEN');
      expectError(await t.gql(SET_ROLE, { membershipId: c.member.membershipId, role: 'ORGANIZER' }, who.token), 'FORBIDDEN');
      expectError(await t.gql(REMOVE, { membershipId: c.member.membershipId, ban: true }, who.token), 'FORBIDDEN');
    }
    expectError(await t.gql(REVIEW, { membershipId: request.id, approve: true }), 'UNAUTHENTICATED');
    expectError(await t.gql(SET_ROLE, { membershipId: c.member.membershipId, role: 'ORGANIZER' }), 'UNAUTHENTICATED');
    expectError(await t.gql(REMOVE, { membershipId: c.member.membershipId }), 'UNAUTHENTICATED');
    expect(await membershipRow(request.id)).toEqual({ role: 'MEMBER', status: 'PENDING' });
    expect(await membershipRow(c.member.membershipId)).toEqual({ role: 'MEMBER', status: 'ACTIVE' });
    const [{ member_count }] = await sql(t, 'select member_count from groups where id = ?', [c.group.id]);
    expect(member_count).toBe(3);
  });

  it('refuses an organizer of another group', async () => {
    const c = await cast();
    const rival = await signUp(t, 'Rival');
    await createGroup(t, rival.token);
    expectError(await t.gql(REVIEW, { membershipId: c.pending.membershipId, approve: false }, rival.token), 'FORBIDDEN');
    expectError(await t.gql(REMOVE, { membershipId: c.member.membershipId }, rival.token), 'FORBIDDEN');
    expect(await membershipRow(c.pending.membershipId)).toEqual({ role: 'MEMBER', status: 'PENDING' });
  });

  it('lets the organizer give and take roles among active members only', async () => {
    const c = await cast();
    expect(ok(await t.gql(SET_ROLE, { membershipId: c.member.membershipId, role: 'EVENT_ORGANIZER' }, c.organizer.token)).setMemberRole.role).toBe('EVENT_ORGANIZER');
    expect(ok(await t.gql(SET_ROLE, { membershipId: c.eventOrganizer.membershipId, role: 'MEMBER' }, c.organizer.token)).setMemberRole.role).toBe('MEMBER');
    expect(await membershipRow(c.member.membershipId)).toEqual({ role: 'EVENT_ORGANIZER', status: 'ACTIVE' });
    expect(await membershipRow(c.eventOrganizer.membershipId)).toEqual({ role: 'MEMBER', status: 'ACTIVE' });
    const pendingRole = await t.gql(SET_ROLE, { membershipId: c.pending.membershipId, role: 'EVENT_ORGANIZER' }, c.organizer.token);
    expectError(pendingRole, 'BAD_USER_INPUT', 'membershipId');
    expect(await membershipRow(c.pending.membershipId)).toEqual({ role: 'MEMBER', status: 'PENDING' });
  });

  it('answers NOT_FOUND for unknown memberships', async () => {
    const organizer = await signUp(t, 'Searcher');
    await createGroup(t, organizer.token);
    for (const membershipId of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      expectError(await t.gql(REVIEW, { membershipId, approve: true }, organizer.token), 'NOT_FOUND');
      expectError(await t.gql(SET_ROLE, { membershipId, role: 'MEMBER' }, organizer.token), 'NOT_FOUND');
      expectError(await t.gql(REMOVE, { membershipId }, organizer.token), 'NOT_FOUND');
    }
  });
});

describe('seeing inside a group', () => {
  it('shows a PRIVATE group\'s profile to everyone but its members only to active members', async () => {
    const c = await cast({ visibility: 'PRIVATE' });
    for (const token of [undefined, c.outsider.token, c.pending.token]) {
      const group = ok(await page(c.group.slug, token)).group;
      expect(group).toMatchObject({ name: c.group.name, description: expect.any(String), city: 'Oslo', memberCount: 3, visibility: 'PRIVATE', topics: [{ slug: 'books' }] });
      expect(group.members).toEqual({ totalCount: 0, edges: [] });
      // Asking for other statuses shows nothing either (and no error that would reveal anything).
      expect(ok(await page(c.group.slug, token, 'PENDING')).group.members).toEqual({ totalCount: 0, edges: [] });
    }
    for (const who of [c.member, c.eventOrganizer, c.organizer]) {
      const members = ok(await page(c.group.slug, who.token)).group.members;
      expect(members.totalCount).toBe(3);
      expect(members.edges.map((e: any) => e.node.user.id).sort()).toEqual([c.organizer.id, c.eventOrganizer.id, c.member.id].sort());
    }
  });

  it('shows a PUBLIC group\'s active members to anyone, signed in or not', async () => {
    const c = await cast();
    for (const token of [undefined, c.outsider.token, c.pending.token]) {
      const members = ok(await page(c.group.slug, token)).group.members;
      expect(members.totalCount).toBe(3);
      expect(members.edges.every((e: any) => e.node.status === 'ACTIVE')).toBe(true);
    }
  });

  it('lists pending, rejected and banned people to organizers only', async () => {
    const c = await cast();
    const pendingList = ok(await page(c.group.slug, c.organizer.token, 'PENDING')).group.members;
    expect(pendingList.totalCount).toBe(1);
    expect(pendingList.edges[0].node).toMatchObject({ id: c.pending.membershipId, status: 'PENDING', answer: 'Pat\'s answer' });
    for (const who of [c.eventOrganizer, c.member, c.pending, c.outsider]) {
      for (const status of ['PENDING', 'REJECTED', 'BANNED']) {
        const res = await page(c.group.slug, who.token, status);
        expectError(res, 'FORBIDDEN');
        expect(res.data?.group).toBeNull();
      }
    }
    expectError(await page(c.group.slug, undefined, 'BANNED'), 'FORBIDDEN');
    ok(await t.gql(REMOVE, { membershipId: c.member.membershipId, ban: true }, c.organizer.token));
    const banned = ok(await page(c.group.slug, c.organizer.token, 'BANNED')).group.members;
    expect(banned.edges.map((e: any) => e.node.user.id)).toEqual([c.member.id]);
  });

  it('shows the join answer to its author and the organizers only', async () => {
    const c = await cast();
    const answersSeenBy = async (token?: string) => {
      const members = ok(await page(c.group.slug, token)).group.members;
      return Object.fromEntries(members.edges.map((e: any) => [e.node.user.id, e.node.answer]));
    };
    const organizerView = await answersSeenBy(c.organizer.token);
    expect(organizerView).toEqual({ [c.organizer.id]: null, [c.eventOrganizer.id]: 'Eve\'s answer', [c.member.id]: 'Max\'s answer' });
    expect(await answersSeenBy(c.member.token)).toEqual({ [c.organizer.id]: null, [c.eventOrganizer.id]: null, [c.member.id]: 'Max\'s answer' });
    expect(await answersSeenBy(c.eventOrganizer.token)).toEqual({ [c.organizer.id]: null, [c.eventOrganizer.id]: 'Eve\'s answer', [c.member.id]: null });
    expect(Object.values(await answersSeenBy())).toEqual([null, null, null]);
    expect(ok(await page(c.group.slug, c.pending.token)).group.viewerMembership.answer).toBe('Pat\'s answer');
  });

  it('reflects the viewer\'s own membership in viewerMembership', async () => {
    const c = await cast();
    const rejected = await signUp(t, 'Rex');
    const request = await joinGroup(t, rejected.token, c.group.id, 'Hm');
    ok(await t.gql(REVIEW, { membershipId: request.id, approve: false }, c.organizer.token));
    const banned = await signUp(t, 'Ban');
    ok(await t.gql(REMOVE, { membershipId: (await joinGroup(t, banned.token, c.group.id, 'x')).id, ban: true }, c.organizer.token));
    const viewed = async (token?: string) => ok(await page(c.group.slug, token)).group.viewerMembership;
    expect(await viewed()).toBeNull();
    expect(await viewed(c.outsider.token)).toBeNull();
    expect(await viewed(c.organizer.token)).toMatchObject({ role: 'ORGANIZER', status: 'ACTIVE' });
    expect(await viewed(c.eventOrganizer.token)).toMatchObject({ id: c.eventOrganizer.membershipId, role: 'EVENT_ORGANIZER', status: 'ACTIVE' });
    expect(await viewed(c.member.token)).toMatchObject({ id: c.member.membershipId, role: 'MEMBER', status: 'ACTIVE' });
    expect(await viewed(c.pending.token)).toMatchObject({ id: c.pending.membershipId, status: 'PENDING' });
    expect(await viewed(rejected.token)).toMatchObject({ id: request.id, status: 'REJECTED' });
    expect(await viewed(banned.token)).toMatchObject({ status: 'BANNED' });
  });

  it('lets anyone join an OPEN group, private or not', async () => {
    const organizer = await signUp(t, 'Host');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const member = await addMember(t, organizer.token, group.id);
    const members = ok(await page(group.slug, member.token)).group.members;
    expect(members.totalCount).toBe(2);
  });
});
