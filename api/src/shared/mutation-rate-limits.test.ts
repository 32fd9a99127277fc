import { getNamedType, isLeafType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { buildGatherSchema } from '../server/schema.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { contractOperation } from '../test/contract.js';
import { expectError, groupInput, ok, signUp } from '../test/factories.js';
import { MUTATION_RATE_LIMITS, RATE_LIMITS, type RateLimitName } from './rate-limit.js';

// Every mutation has a rate-limit class (docs/ARCHITECTURE.md, "Limits").

/** The classes counted before a mutation runs (not inside its service), each allowing one call a minute. */
const WRAPPED = [...new Set(Object.values(MUTATION_RATE_LIMITS).flatMap((e) => (e && !e.service ? [e.limit] : [])))];
const ONE_A_MINUTE = Object.fromEntries(WRAPPED.map((name) => [RATE_LIMITS[name].config, { points: 1, seconds: 60 }])) as Partial<Config>;

const ID = '00000000-0000-4000-8000-000000000000';
/** Type-correct variables for each mutation of the contract (whether the call then succeeds does not matter here). */
const VARIABLES: Record<string, Record<string, unknown>> = {
  updateProfile: { input: { bio: 'hello' } },
  createGroup: { input: groupInput() },
  updateGroup: { id: ID, input: { description: 'x' } },
  joinGroup: { groupId: ID },
  leaveGroup: { groupId: ID },
  reviewMembership: { membershipId: ID, approve: true },
  setMemberRole: { membershipId: ID, role: 'MEMBER' },
  removeMember: { membershipId: ID },
  createEvent: { input: { groupId: ID, title: 'x', startsAt: '2030-01-01T10:00:00Z' } },
  updateEvent: { id: ID, input: { title: 'y' } },
  cancelEvent: { id: ID },
  markAttended: { rsvpId: ID, attended: true },
  createThread: { input: { groupId: ID, title: 'x', body: 'y' } },
  editMessage: { id: ID, body: 'x' },
  deleteMessage: { id: ID },
  banFromGroup: { groupId: ID, userId: ID },
};

/** A document calling one mutation with all its arguments as variables, built from the schema (contract or not). */
function mutationDocument(schema: GraphQLSchema, name: string): string {
  const field = schema.getMutationType()!.getFields()[name];
  const variables = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `mutation${variables ? `(${variables})` : ''} { ${name}${args ? `(${args})` : ''}${selection} }`;
}

describe('every mutation has a rate-limit class', () => {
  it('each Mutation field of the schema is listed, with a class that exists and is configured (logOut alone has none)', async () => {
    const schema = await buildGatherSchema();
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(mutations.filter((name) => MUTATION_RATE_LIMITS[name] === undefined), 'mutations without a class').toEqual([]);
    expect(Object.keys(MUTATION_RATE_LIMITS).filter((name) => !mutations.includes(name)), 'classes of mutations that do not exist').toEqual([]);
    expect(mutations.filter((name) => MUTATION_RATE_LIMITS[name] === null)).toEqual(['logOut']);
    const config = loadConfig({});
    for (const name of mutations) {
      const entry = MUTATION_RATE_LIMITS[name];
      if (!entry) continue;
      expect(Object.keys(RATE_LIMITS), name).toContain(entry.limit);
      const limit = config[RATE_LIMITS[entry.limit as RateLimitName].config];
      expect(limit.points, name).toBeGreaterThan(0);
    }
  });

  describe('against a running API', () => {
    let t: TestApi;
    let schema: GraphQLSchema;
    beforeAll(async () => {
      schema = await buildGatherSchema();
      t = await startTestApi({ ...ONE_A_MINUTE, RATE_LIMIT_EDITS_PER_USER: { points: 5, seconds: 60 } });
    });
    afterAll(() => t?.close());

    it('each mutation counted before it runs is refused once its allowance is used up', async () => {
      const counted = Object.entries(MUTATION_RATE_LIMITS).filter(([, e]) => e && !e.service).map(([name]) => name);
      expect(counted.sort()).toEqual(Object.keys(VARIABLES).sort());
      for (const name of counted) {
        const user = await signUp(t, 'Limited'); // a fresh user: each class counts per user
        const query = mutationDocument(schema, name);
        const allowance = t.config[RATE_LIMITS[MUTATION_RATE_LIMITS[name]!.limit].config].points;
        for (let i = 0; i < allowance; i++) {
          const allowed = await t.gql(query, VARIABLES[name], user.token);
          expect(allowed.errors?.[0]?.extensions?.code, `${name}: call ${i + 1} of ${allowance}`).not.toBe('RATE_LIMITED');
        }
        const second = await t.gql(query, VARIABLES[name], user.token);
        expect(second.errors?.[0]?.extensions?.code, `${name}: one call too many`).toBe('RATE_LIMITED');
        const error = expectError(second, 'RATE_LIMITED');
        expect(error.message, name).toContain(RATE_LIMITS[MUTATION_RATE_LIMITS[name]!.limit].refusal);
      }
    });

    it('a burst of edits is cut off at the limit, and the refused edit changes nothing', async () => {
      const own = await t.gql(contractOperation('CreateGroup'), { input: groupInput() }, (await signUp(t, 'Owner')).token);
      const groupId = ok(own).createGroup.id as string;
      const writer = await signUp(t, 'Writer');
      ok(await t.gql(contractOperation('JoinGroup'), { groupId }, writer.token));
      const thread = ok(await t.gql(contractOperation('CreateThread'), { input: { groupId, title: 'Burst', body: 'v0' } }, writer.token)).createThread;
      const messages = ok(await t.gql(contractOperation('ThreadMessages'), { id: thread.id }, writer.token)).thread.messages;
      const messageId = messages.edges[0].node.id as string;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.gql(contractOperation('EditMessage'), { id: messageId, body: `edit ${i} ${'x'.repeat(4000 - 10)}` }, writer.token)),
      );
      const codes = results.map((r) => (r.errors ? r.errors[0].extensions?.code : 'OK'));
      expect(codes.filter((c) => c === 'OK')).toHaveLength(5);
      expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(15);
      const edited = results.filter((r) => !r.errors).map((r) => r.data!.editMessage.body as string);
      const now = ok(await t.gql(contractOperation('ThreadMessages'), { id: thread.id }, writer.token)).thread.messages.edges[0].node.body;
      expect(edited).toContain(now);
      // Someone else's allowance is their own.
      const other = await signUp(t, 'Other');
      ok(await t.gql(contractOperation('JoinGroup'), { groupId }, other.token));
      const post = ok(await t.gql(contractOperation('PostMessage'), { threadId: thread.id, body: 'mine' }, other.token)).postMessage;
      ok(await t.gql(contractOperation('EditMessage'), { id: post.id, body: 'mine, edited' }, other.token));
    });
  });
});
