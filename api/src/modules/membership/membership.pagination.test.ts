import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { createGroup, expectError, joinGroup, ok, setRole, signUp, sql, type TestGroup, type TestUser } from '../../test/factories.js';

const MEMBERS = `query ($slug: String!, $role: MemberRole, $first: Int, $after: String) {
  group(slug: $slug) {
    members(role: $role, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id role user { id } } }
    }
  }
}`;
const MY_MEMBERSHIPS = `query ($first: Int, $after: String) {
  me { memberships(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id group { id } } } } }
}`;

let t: TestApi;
let organizer: TestUser;
let group: TestGroup;
/** Membership ids of the group's active members in list order (oldest first), read from the database. */
let expected: string[];

beforeAll(async () => {
  t = await startTestApi();
  organizer = await signUp(t, 'Organizer');
  group = await createGroup(t, organizer.token);
  const people = await Promise.all(Array.from({ length: 25 }, (_, i) => signUp(t, `Member ${i}`)));
  // Joined in parallel, so several may share a created_at: the id breaks ties.
  await Promise.all(people.map((p) => joinGroup(t, p.token, group.id)));
  const rows = await sql(t, `select id from memberships where group_id = ? and status = 'ACTIVE' order by created_at, id`, [group.id]);
  expected = rows.map((r) => r.id);
});
afterAll(() => t?.close());

/** One page of the group's members. */
async function membersPage(variables: Record<string, unknown>) {
  return t.gql(MEMBERS, { slug: group.slug, ...variables });
}

describe('paging through members', () => {
  it('walks 26 members seven at a time with no duplicates or gaps', async () => {
    expect(expected).toHaveLength(26);
    const seen: string[] = [];
    const hasNext: boolean[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const members: any = ok(await membersPage({ first: 7, after })).group.members;
      expect(members.totalCount).toBe(26);
      expect(members.pageInfo.hasPreviousPage).toBe(false);
      expect(members.pageInfo.startCursor).toBe(members.edges[0].cursor);
      expect(members.pageInfo.endCursor).toBe(members.edges.at(-1).cursor);
      seen.push(...members.edges.map((e: any) => e.node.id));
      hasNext.push(members.pageInfo.hasNextPage);
      if (!members.pageInfo.hasNextPage) break;
      after = members.pageInfo.endCursor;
    }
    expect(hasNext).toEqual([true, true, true, false]);
    expect(seen).toEqual(expected);
  });

  it('answers hasNextPage false when the last page is exactly full', async () => {
    const full = ok(await membersPage({ first: 26 })).group.members;
    expect(full.edges).toHaveLength(26);
    expect(full.pageInfo.hasNextPage).toBe(false);
    const all = ok(await membersPage({ first: 25 })).group.members;
    expect(all.pageInfo.hasNextPage).toBe(true);
    const rest = ok(await membersPage({ first: 25, after: all.pageInfo.endCursor })).group.members;
    expect(rest.edges.map((e: any) => e.node.id)).toEqual([expected[25]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const beyond = ok(await membersPage({ first: 5, after: rest.pageInfo.endCursor })).group.members;
    expect(beyond).toMatchObject({ edges: [], totalCount: 26, pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('pages from any edge cursor, not only the end cursor', async () => {
    const first = ok(await membersPage({ first: 10 })).group.members;
    const fromThird = ok(await membersPage({ first: 4, after: first.edges[2].cursor })).group.members;
    expect(fromThird.edges.map((e: any) => e.node.id)).toEqual(expected.slice(3, 7));
  });

  it('defaults to 20 and answers first: 0 with an empty page', async () => {
    expect(ok(await membersPage({})).group.members.edges).toHaveLength(20);
    const none = ok(await membersPage({ first: 0 })).group.members;
    expect(none).toMatchObject({ edges: [], totalCount: 26 });
  });

  it('filters by role, counting only that role', async () => {
    const other = await signUp(t, 'Rolled');
    const group2 = await createGroup(t, other.token);
    const helpers = await Promise.all(Array.from({ length: 3 }, () => signUp(t, 'Helper')));
    for (const h of helpers) await setRole(t, other.token, (await joinGroup(t, h.token, group2.id)).id, 'EVENT_ORGANIZER');
    await joinGroup(t, (await signUp(t, 'Plain')).token, group2.id);
    const res = ok(await t.gql(MEMBERS, { slug: group2.slug, role: 'EVENT_ORGANIZER', first: 2 })).group.members;
    expect(res.totalCount).toBe(3);
    expect(res.pageInfo.hasNextPage).toBe(true);
    const rest = ok(await t.gql(MEMBERS, { slug: group2.slug, role: 'EVENT_ORGANIZER', first: 2, after: res.pageInfo.endCursor })).group.members;
    const ids = [...res.edges, ...rest.edges].map((e: any) => e.node.user.id);
    expect(ids.sort()).toEqual(helpers.map((h) => h.id).sort());
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });
});

describe('bad page arguments', () => {
  it('refuses first above 100 or below 0, naming first', async () => {
    for (const first of [101, -1]) {
      const res = await membersPage({ first });
      expectError(res, 'BAD_USER_INPUT', 'first');
      expect(res.data?.group ?? null).toBeNull();
    }
    expectError(await t.gql(MY_MEMBERSHIPS, { first: 101 }, organizer.token), 'BAD_USER_INPUT', 'first');
  });

  it('refuses a cursor that is not one, naming after', async () => {
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const after of ['garbage!', 'bm90IGpzb24', json([1]), json({ d: 1 }), json([{ x: 1 }, 'id'])]) {
      expectError(await membersPage({ first: 5, after }), 'BAD_USER_INPUT', 'after');
    }
    expectError(await t.gql(MY_MEMBERSHIPS, { after: 'garbage' }, organizer.token), 'BAD_USER_INPUT', 'after');
  });
});

describe('paging through my memberships', () => {
  it('walks the viewer\'s memberships newest first without gaps', async () => {
    const walker = await signUp(t, 'Walker');
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await createGroup(t, walker.token)).id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const list: any = ok(await t.gql(MY_MEMBERSHIPS, { first: 2, after }, walker.token)).me.memberships;
      expect(list.totalCount).toBe(5);
      seen.push(...list.edges.map((e: any) => e.node.group.id));
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    const newestFirst = await sql(t, 'select group_id from memberships where user_id = ? order by created_at desc, id desc', [walker.id]);
    expect(seen).toEqual(newestFirst.map((r) => r.group_id));
    expect([...seen].sort()).toEqual([...mine].sort());
  });
});
