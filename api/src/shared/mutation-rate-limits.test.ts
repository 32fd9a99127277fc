import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { buildGatherSchema } from '../server/schema.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { allContractOperations, contractOperation } from '../test/contract.js';
import { expectError, groupInput, ok, signUp } from '../test/factories.js';
import { MUTATION_RATE_LIMITS, RATE_LIMITS, type RateLimitName } from './rate-limit.js';

// Every mutation has a rate-limit class (docs/ARCHITECTURE.md, "Limits").

/** The classes counted before a mutation runs (not inside its service), each allowing one call a minute. */
const WRAPPED = [...new Set(Object.values(MUTATION_RATE_LIMITS).flatMap((e) => (e && !e.service ? [e.limit] : [])))];
const ONE_A_MINUTE = Object.fromEntries(WRAPPED.map((name) => [RATE_LIMITS[name].config, { points: 1, seconds: 60 }])) as Partial<Config>;

const ID = '00000000-0000-4000-8000-000000000000';

/** A type-correct value of `type` (whether the call then succeeds does not matter here: the class counts first). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, sample(f.type)]));
  }
  const scalars: Record<string, unknown> = { ID, String: 'x', Int: 1, Float: 1, Boolean: true, DateTime: '2030-01-01T10:00:00Z' };
  return scalars[(type as { name: string }).name] ?? 'x';
}

/** `mutation { name(args…) }` with every argument a variable of its type, and sample values for them. */
function callOf(schema: GraphQLSchema, name: string): { query: string; variables: Record<string, unknown> } {
  const field = schema.getMutationType()!.getFields()[name];
  const args = field.args;
  const defs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const uses = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    query: `mutation${defs ? `(${defs})` : ''} { ${name}${uses ? `(${uses})` : ''}${selection} }`,
    variables: Object.fromEntries(args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, sample(a.type)])),
  };
}

describe('every mutation has a rate-limit class', () => {
  it('each Mutation field of the schema is listed, with a class that exists and is configured (logOut alone has none)', async () => {
    const schema = await buildGatherSchema();
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(mutations.filter((name) => MUTATION_RATE_LIMITS[name] === undefined), 'mutations without a class').toEqual([]);
    // Listed ahead: mutations of the contract (schema/contract.graphql) whose issue is still open.
    const planned = allContractOperations.flatMap((d) =>
      d.operation === 'mutation' ? d.selectionSet.selections.flatMap((s) => (s.kind === 'Field' ? [s.name.value] : [])) : [],
    );
    expect(Object.keys(MUTATION_RATE_LIMITS).filter((name) => !mutations.includes(name) && !planned.includes(name)), 'classes of mutations that do not exist').toEqual([]);
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
    beforeAll(async () => {
      t = await startTestApi({ ...ONE_A_MINUTE, RATE_LIMIT_EDITS_PER_USER: { points: 5, seconds: 60 } });
    });
    afterAll(() => t?.close());

    it('each mutation counted before it runs is refused once its allowance is used up', async () => {
      const schema = await buildGatherSchema();
      const counted = Object.keys(schema.getMutationType()!.getFields()).filter((name) => MUTATION_RATE_LIMITS[name] && !MUTATION_RATE_LIMITS[name]!.service);
      expect(counted).toContain('editMessage');
      for (const name of counted) {
        const user = await signUp(t, 'Limited'); // a fresh user: each class counts per user
        const { query, variables } = callOf(schema, name);
        const allowance = t.config[RATE_LIMITS[MUTATION_RATE_LIMITS[name]!.limit].config].points;
        for (let i = 0; i < allowance; i++) {
          const allowed = await t.gql(query, variables, user.token);
          expect(allowed.errors?.[0]?.extensions?.code, `${name}: call ${i + 1} of ${allowance}`).not.toBe('RATE_LIMITED');
        }
        const second = await t.gql(query, variables, user.token);
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
