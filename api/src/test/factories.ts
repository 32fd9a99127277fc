import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { uniqueEmail, type GqlResult, type TestApi } from './api.js';

/** A signed-up test user: their session token and id. */
export interface TestUser {
  token: string;
  id: string;
  email: string;
  name: string;
}

/** A group as createGroup answers it. */
export interface TestGroup {
  id: string;
  slug: string;
  name: string;
}

/** A membership as joinGroup / setMemberRole answer it. */
export interface TestMembership {
  id: string;
  role: 'ORGANIZER' | 'EVENT_ORGANIZER' | 'MEMBER';
  status: 'ACTIVE' | 'PENDING' | 'REJECTED' | 'BANNED';
}

/** The password every factory-made user has. */
export const PASSWORD = 'correct horse battery';

/** A short random suffix, to keep names (and so slugs and topics) unique per test. */
export const unique = () => randomBytes(4).toString('hex');

/** Fails with the response's errors when an operation did not succeed; returns its data. */
export function ok<T = Record<string, any>>(res: GqlResult<T>): T {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

/** Asserts that a response carries one error of `code`, naming `field` when given; returns the error. */
export function expectError(res: GqlResult, code: string, field?: string) {
  expect(res.errors?.length, `expected ${code}, got ${JSON.stringify(res.errors ?? res.data)}`).toBe(1);
  const [error] = res.errors!;
  expect(error.extensions?.code).toBe(code);
  if (field !== undefined) {
    expect(error.extensions?.field).toBe(field);
    expect(error.message).toContain(field);
  }
  return error;
}

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id name email } } }`;

/** Signs a new user up; `name` defaults to "Tester". */
export async function signUp(t: TestApi, name = 'Tester'): Promise<TestUser> {
  const email = uniqueEmail(name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'user');
  const data = ok(await t.gql(SIGN_UP, { input: { email, password: PASSWORD, name } }));
  return { token: data.signUp.token, id: data.signUp.user.id, email, name };
}

/** A valid CreateGroupInput with a unique name, changed by `overrides`. */
export function groupInput(overrides: Record<string, unknown> = {}) {
  return {
    name: `Test group ${unique()}`,
    description: 'People who test things together.',
    city: 'Oslo',
    location: { lat: 59.91, lng: 10.75 },
    timezone: 'Europe/Oslo',
    ...overrides,
  };
}

const CREATE_GROUP = `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { id slug name } }`;

/** Creates a group as `token`'s user (who becomes its organizer). */
export async function createGroup(t: TestApi, token: string, overrides: Record<string, unknown> = {}): Promise<TestGroup> {
  return ok(await t.gql(CREATE_GROUP, { input: groupInput(overrides) }, token)).createGroup;
}

const JOIN = `mutation ($groupId: ID!, $answer: String) { joinGroup(groupId: $groupId, answer: $answer) { id role status } }`;

/** Joins (or asks to join) a group as `token`'s user. */
export async function joinGroup(t: TestApi, token: string, groupId: string, answer?: string): Promise<TestMembership> {
  return ok(await t.gql(JOIN, { groupId, answer: answer ?? null }, token)).joinGroup;
}

const SET_ROLE = `mutation ($membershipId: ID!, $role: MemberRole!) { setMemberRole(membershipId: $membershipId, role: $role) { id role status } }`;

/** Gives a member a role, as the organizer `token`. */
export async function setRole(t: TestApi, token: string, membershipId: string, role: TestMembership['role']): Promise<TestMembership> {
  return ok(await t.gql(SET_ROLE, { membershipId, role }, token)).setMemberRole;
}

/** A new user who joins an OPEN group and, when asked, is given `role` by the organizer `organizerToken`. */
export async function addMember(
  t: TestApi,
  organizerToken: string,
  groupId: string,
  role: TestMembership['role'] = 'MEMBER',
): Promise<TestUser & { membershipId: string }> {
  const user = await signUp(t, role === 'MEMBER' ? 'Member' : role.toLowerCase());
  const m = await joinGroup(t, user.token, groupId);
  if (role !== 'MEMBER') await setRole(t, organizerToken, m.id, role);
  return { ...user, membershipId: m.id };
}

/** Runs raw SQL on the test database (to check rows, or to set up what the API cannot). */
export function sql<T = Record<string, any>>(t: TestApi, query: string, params: unknown[] = []): Promise<T[]> {
  return t.api.db.orm.em.fork().execute(query, params);
}

/** A group's stored member count next to its number of ACTIVE membership rows (they must be equal). */
export async function memberCounts(t: TestApi, groupId: string): Promise<{ memberCount: number; activeRows: number }> {
  const [row] = await sql(
    t,
    `select g.member_count as "memberCount", (select count(*)::int from memberships m where m.group_id = g.id and m.status = 'ACTIVE') as "activeRows"
     from groups g where g.id = ?`,
    [groupId],
  );
  return row as { memberCount: number; activeRows: number };
}
