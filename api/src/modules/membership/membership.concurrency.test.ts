import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { addMember, createGroup, joinGroup, ok, signUp, sql, memberCounts } from '../../test/factories.js';

// Races through the public API. They mean most on real PostgreSQL (DATABASE_URL), where requests
// run in parallel on a pool; on the embedded database (one connection) they still must hold.

const JOIN = `mutation ($groupId: ID!) { joinGroup(groupId: $groupId) { id status } }`;
const LEAVE = `mutation ($groupId: ID!) { leaveGroup(groupId: $groupId) }`;
const REVIEW = `mutation ($membershipId: ID!, $approve: Boolean!) { reviewMembership(membershipId: $membershipId, approve: $approve) { id status } }`;
const SET_ROLE = `mutation ($membershipId: ID!, $role: MemberRole!) { setMemberRole(membershipId: $membershipId, role: $role) { id role } }`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const counts = (groupId: string) => memberCounts(t, groupId);

async function organizerWithGroup(overrides: Record<string, unknown> = {}) {
  const organizer = await signUp(t, 'Organizer');
  const group = await createGroup(t, organizer.token, overrides);
  return { organizer, group };
}

describe('membership under concurrency', () => {
  it('keeps memberCount equal to the ACTIVE rows when 30 people join at once', async () => {
    const { group } = await organizerWithGroup();
    const people = await Promise.all(Array.from({ length: 30 }, (_, i) => signUp(t, `Racer ${i}`)));
    const results = await Promise.all(people.map((p) => t.gql(JOIN, { groupId: group.id }, p.token)));
    for (const res of results) expect(ok(res).joinGroup.status).toBe('ACTIVE');
    expect(await counts(group.id)).toEqual({ memberCount: 31, activeRows: 31 });
  });

  it('makes one membership of ten parallel joins by one person', async () => {
    const { group } = await organizerWithGroup();
    const nia = await signUp(t, 'Nia');
    const results = await Promise.all(Array.from({ length: 10 }, () => t.gql(JOIN, { groupId: group.id }, nia.token)));
    const ids = new Set(results.map((res) => ok(res).joinGroup.id));
    expect(ids.size).toBe(1);
    expect(await sql(t, 'select id from memberships where group_id = ? and user_id = ?', [group.id, nia.id])).toHaveLength(1);
    expect(await counts(group.id)).toEqual({ memberCount: 2, activeRows: 2 });
  });

  it('keeps counts exact when joins and leaves of many people interleave', async () => {
    const { organizer, group } = await organizerWithGroup();
    const stayers = await Promise.all(Array.from({ length: 8 }, () => signUp(t, 'Stayer')));
    const leavers = await Promise.all(Array.from({ length: 8 }, () => addMember(t, organizer.token, group.id)));
    const results = await Promise.all([
      ...stayers.map((p) => t.gql(JOIN, { groupId: group.id }, p.token)),
      ...leavers.map((p) => t.gql(LEAVE, { groupId: group.id }, p.token)),
    ]);
    results.forEach((res) => ok(res));
    expect(await counts(group.id)).toEqual({ memberCount: 9, activeRows: 9 });
  });

  it('approves a request once when two organizers approve it at the same time', async () => {
    const { organizer, group } = await organizerWithGroup({ joinMode: 'APPROVAL' });
    const second = await signUp(t, 'Second');
    const secondRequest = await joinGroup(t, second.token, group.id);
    ok(await t.gql(REVIEW, { membershipId: secondRequest.id, approve: true }, organizer.token));
    ok(await t.gql(SET_ROLE, { membershipId: secondRequest.id, role: 'ORGANIZER' }, organizer.token));
    const requests = await Promise.all(Array.from({ length: 5 }, () => signUp(t, 'Asker')));
    const ids = await Promise.all(requests.map(async (r) => (await joinGroup(t, r.token, group.id)).id));
    const results = await Promise.all(
      ids.flatMap((membershipId) => [organizer, second, organizer].map((o) => t.gql(REVIEW, { membershipId, approve: true }, o.token))),
    );
    const approved = results.filter((res) => !res.errors);
    expect(approved).toHaveLength(5);
    for (const res of results.filter((r) => r.errors)) expect(res.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await counts(group.id)).toEqual({ memberCount: 7, activeRows: 7 });
  });

  it('never leaves a group without an organizer when two organizers step down at once', async () => {
    for (let round = 0; round < 3; round++) {
      const { organizer, group } = await organizerWithGroup();
      const [mine] = await sql(t, 'select id from memberships where group_id = ? and user_id = ?', [group.id, organizer.id]);
      const other = await addMember(t, organizer.token, group.id, 'ORGANIZER');
      const results = await Promise.all([
        t.gql(SET_ROLE, { membershipId: mine.id, role: 'MEMBER' }, organizer.token),
        t.gql(SET_ROLE, { membershipId: other.membershipId, role: 'MEMBER' }, other.token),
      ]);
      expect(results.filter((res) => !res.errors)).toHaveLength(1);
      expect(results.find((res) => res.errors)!.errors![0].extensions?.code).toBe('FORBIDDEN');
      const organizers = await sql(t, `select count(*)::int as n from memberships where group_id = ? and role = 'ORGANIZER' and status = 'ACTIVE'`, [group.id]);
      expect(organizers[0].n).toBe(1);
    }
  });

  it('never leaves a group without an organizer when two organizers leave at once', async () => {
    const { organizer, group } = await organizerWithGroup();
    const other = await addMember(t, organizer.token, group.id, 'ORGANIZER');
    const results = await Promise.all([organizer, other].map((o) => t.gql(LEAVE, { groupId: group.id }, o.token)));
    expect(results.filter((res) => !res.errors).map((res) => res.data!.leaveGroup)).toEqual([true]);
    expect(await counts(group.id)).toEqual({ memberCount: 1, activeRows: 1 });
    const organizers = await sql(t, `select count(*)::int as n from memberships where group_id = ? and role = 'ORGANIZER' and status = 'ACTIVE'`, [group.id]);
    expect(organizers[0].n).toBe(1);
  });
});
