import {
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  parse,
  specifiedRules,
  typeFromAST,
  validate,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApi, type TestApi } from '../test/api.js';
import { contract, contractOperations } from '../test/contract.js';
import { contractOperation, createEvent } from '../test/events.js';
import { createGroup, expectError, ok, signUp } from '../test/factories.js';
import { wsClient } from '../test/ws.js';
import { MAX_ALIASES, MAX_DEPTH, operationCost, validationRules } from './limits.js';
import { buildGatherSchema } from './schema.js';
import { WS_MAX_PAYLOAD } from './ws.js';

let t: TestApi;
let schema: GraphQLSchema;
let slug: string;
let eventId: string;
beforeAll(async () => {
  t = await startTestApi();
  schema = await buildGatherSchema();
  const organizer = await signUp(t, 'Organizer');
  const group = await createGroup(t, organizer.token);
  slug = group.slug;
  eventId = (await createEvent(t, organizer.token, group.id)).id;
});
afterAll(() => t?.close());

/** Runs one operation over graphql-ws and collects what comes back. */
async function overWs(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors: any[] }> {
  const client = wsClient(t.api.url);
  try {
    return await new Promise((resolve) => {
      const result: { data?: any; errors: any[] } = { errors: [] };
      client.subscribe(
        { query, variables },
        {
          next: (value) => {
            result.data = value.data;
            if (value.errors) result.errors.push(...value.errors);
          },
          error: (error) => {
            result.errors.push(...(Array.isArray(error) ? error : [error]));
            resolve(result);
          },
          complete: () => resolve(result),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** A selection `depth` fields deep: group → members → edges → node → group → … → __typename. */
function deepQuery(depth: number): string {
  const cycle = ['members(first: 1)', 'edges', 'node', 'group'];
  const chain = ['group(slug: $slug)', ...Array.from({ length: depth - 2 }, (_, i) => cycle[i % cycle.length])];
  return `query Deep($slug: String!) { ${chain.join(' { ')} { __typename ${' }'.repeat(chain.length)} }`;
}

const aliases = (n: number) => `query Aliases { ${Array.from({ length: n }, (_, i) => `t${i}: topics { id }`).join(' ')} }`;

/** Three connections nested at first 100 (groups → members → their group's members): a million member rows. */
const MEMBERS_3_DEEP = `query Greedy($n: Int) { groups(first: $n) { edges { node {
  members(first: $n) { edges { node { group {
    members(first: $n) { edges { node { user { id } } } } } } } } } } } }`;

/** Values a client would really send: 100 for page sizes, and valid inputs made from the schema's required fields. */
function realisticValue(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return realisticValue(type.ofType, name);
  const named = getNamedType(type);
  if (name === 'first' || name === 'last') return 100;
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, realisticValue(f.type, f.name)]));
  }
  return { Int: 1, Float: 1, Boolean: true, DateTime: new Date().toISOString() }[named.name] ?? 'x';
}

describe('the contract fits within the limits', () => {
  const operations = contractOperations;

  it('validates and is priced under MAX_QUERY_COST with every page at 100', () => {
    expect(operations.length).toBeGreaterThan(25);
    for (const op of operations) {
      const document = { kind: contract.kind, definitions: [op] } as typeof contract;
      expect(validate(schema, document, [...specifiedRules, ...validationRules(t.config)]), op.name!.value).toEqual([]);
      const variables = Object.fromEntries(
        (op.variableDefinitions ?? []).map((v) => [v.variable.name.value, realisticValue(typeFromAST(schema, v.type as never) as GraphQLInputType, v.variable.name.value)]),
      );
      const cost = operationCost(schema, document, variables, op.name!.value);
      expect(cost, op.name!.value).toBeGreaterThan(0);
      expect(cost, op.name!.value).toBeLessThanOrEqual(t.config.MAX_QUERY_COST);
    }
  });

  it('answers GroupPage, EventPage and the list pages at first/last 100 over HTTP', async () => {
    ok(await t.gql(contractOperation('GroupPage'), { slug }));
    ok(await t.gql(contractOperation('EventPage'), { id: eventId }));
    ok(await t.gql(contractOperation('ExploreGroups'), { first: 100 }));
    ok(await t.gql(contractOperation('ExploreEvents'), { first: 100 }));
    ok(await t.gql(contractOperation('GroupMembers'), { slug, first: 100 }));
    ok(await t.gql(contractOperation('EventAttendees'), { id: eventId, first: 100 }));
  });

  it('lets tools introspect the schema (outside production): the full introspection query fits', async () => {
    const data = ok(await t.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true })));
    expect(data.__schema.types.length).toBeGreaterThan(50);
  });

  it('answers ExploreGroups at first 100 over WebSocket too', async () => {
    const res = await overWs(contractOperation('ExploreGroups'), { first: 100 });
    expect(res.errors).toEqual([]);
    expect(res.data.groups.totalCount).toBeGreaterThan(0);
  });
});

describe('query depth', () => {
  it(`accepts ${MAX_DEPTH} levels and refuses ${MAX_DEPTH + 1} over HTTP`, async () => {
    expect(ok(await t.gql(deepQuery(MAX_DEPTH), { slug })).group.members).toBeDefined();
    const res = await t.gql(deepQuery(MAX_DEPTH + 1), { slug });
    expect(res.status).toBe(400);
    const error = expectError(res, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toBe(`Query depth limit of ${MAX_DEPTH} exceeded, found ${MAX_DEPTH + 1}.`);
  });

  it('refuses the same over WebSocket', async () => {
    expect((await overWs(deepQuery(MAX_DEPTH), { slug })).errors).toEqual([]);
    const { errors, data } = await overWs(deepQuery(MAX_DEPTH + 1), { slug });
    expect(data).toBeUndefined();
    expect(errors).toMatchObject([{ message: `Query depth limit of ${MAX_DEPTH} exceeded, found ${MAX_DEPTH + 1}.`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });
});

describe('aliases', () => {
  it(`accepts ${MAX_ALIASES} and refuses ${MAX_ALIASES + 1}, over HTTP and WebSocket`, async () => {
    expect(Object.keys(ok(await t.gql(aliases(MAX_ALIASES))))).toHaveLength(MAX_ALIASES);
    const message = `Aliases limit of ${MAX_ALIASES} exceeded, found ${MAX_ALIASES + 1}.`;
    expect(expectError(await t.gql(aliases(MAX_ALIASES + 1)), 'GRAPHQL_VALIDATION_FAILED').message).toBe(message);
    expect((await overWs(aliases(MAX_ALIASES + 1))).errors).toMatchObject([{ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });
});

describe('query cost', () => {
  it('refuses members(first: 100) nested three deep over HTTP, reporting the cost and the limit', async () => {
    const res = await t.gql(MEMBERS_3_DEEP, { n: 100 });
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    const error = expectError(res, 'QUERY_TOO_COMPLEX');
    const cost = operationCost(schema, parse(MEMBERS_3_DEEP), { n: 100 });
    expect(cost).toBeGreaterThan(1_000_000);
    expect(error.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost, maxCost: t.config.MAX_QUERY_COST });
    expect(error.message).toContain(`costs ${cost}`);
    expect(error.message).toContain(`${t.config.MAX_QUERY_COST}`);
  });

  it('prices pages by their variables: the same query at first 2 passes', async () => {
    expect(ok(await t.gql(MEMBERS_3_DEEP, { n: 2 })).groups.edges.length).toBeGreaterThan(0);
  });

  it('prices a document again whenever a variable of first/last or @include changes, whatever it cost before', async () => {
    const GATED = `query Gated($n: Int, $deep: Boolean!, $note: String) { groups(first: 10, filter: { search: $note }) { edges { node {
      members(first: 10) @include(if: $deep) { edges { node { group { members(first: $n) { edges { node { user { id } } } } } } } } } } } }`;
    ok(await t.gql(MEMBERS_3_DEEP, { n: 2 }));
    expectError(await t.gql(MEMBERS_3_DEEP, { n: 100 }), 'QUERY_TOO_COMPLEX');
    ok(await t.gql(GATED, { n: 100, deep: false, note: null }));
    expectError(await t.gql(GATED, { n: 100, deep: true, note: null }), 'QUERY_TOO_COMPLEX');
    ok(await t.gql(GATED, { n: 1, deep: true, note: null }));
    expectError(await t.gql(GATED, { n: 100, deep: true, note: 'anything' }), 'QUERY_TOO_COMPLEX');
  });

  it('refuses the same over WebSocket', async () => {
    const { errors, data } = await overWs(MEMBERS_3_DEEP, { n: 100 });
    expect(data).toBeUndefined();
    expect(errors).toMatchObject([{ extensions: { code: 'QUERY_TOO_COMPLEX', maxCost: t.config.MAX_QUERY_COST } }]);
    expect(errors[0].extensions.cost).toBeGreaterThan(t.config.MAX_QUERY_COST);
    expect(errors[0].extensions.http).toBeUndefined();
  });

  it('counts a connection without first at 20 per page', () => {
    const one = operationCost(schema, parse(`{ groups(first: 1) { edges { node { id } } } }`));
    const unsaid = operationCost(schema, parse(`{ groups { edges { node { id } } } }`));
    expect(unsaid - 1).toBe((one - 1) * 20);
  });
});

describe('page size', () => {
  it('refuses first: 101 naming the argument', async () => {
    expectError(await t.gql(`{ groups(first: 101) { totalCount } }`), 'BAD_USER_INPUT', 'first');
    expect(ok(await t.gql(`{ groups(first: 100) { totalCount } }`)).groups.totalCount).toBeGreaterThan(0);
  });
});

describe('HTTP requests', () => {
  const post = (body: string, contentType = 'application/json') =>
    fetch(t.api.url, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('refuses a batch (an array body) with 400 and says so', async () => {
    const res = await post(JSON.stringify([{ query: '{ topics { id } }' }, { query: '{ topics { id } }' }]));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].message).toMatch(/batching/i);
    expect(body.data).toBeUndefined();
  });

  it('answers a body over 100 KB with 413 and a GraphQL-style JSON error', async () => {
    const padding = 'x'.repeat(101 * 1024);
    const res = await post(JSON.stringify({ query: `{ topics { id } } # ${padding}` }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ errors: [{ message: 'The request body is over 100 KB.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('accepts a body just under 100 KB', async () => {
    const padding = 'x'.repeat(99 * 1024);
    const res = await post(JSON.stringify({ query: `{ topics { id } } # ${padding}` }));
    expect(res.status).toBe(200);
    expect((await res.json()).errors).toBeUndefined();
  });

  it('answers a body that is not JSON with 400 and a JSON error', async () => {
    const res = await post('{ "query": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('WebSocket messages', () => {
  /** Opens a raw graphql-transport-ws socket and waits for connection_ack. */
  async function acknowledgedSocket(): Promise<WebSocket> {
    const socket = new WebSocket(t.api.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.once('message', resolve);
      socket.once('error', reject);
    });
    return socket;
  }
  const closeCode = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

  it('closes the socket with 1009 when a message is over 64 KB', async () => {
    const socket = await acknowledgedSocket();
    const closed = closeCode(socket);
    const query = `{ topics { id } } # ${'x'.repeat(WS_MAX_PAYLOAD)}`;
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
    expect(await closed).toBe(1009);
  });

  it('answers a message under 64 KB', async () => {
    const socket = await acknowledgedSocket();
    const query = `{ topics { id } } # ${'x'.repeat(WS_MAX_PAYLOAD - 1024)}`;
    const answer = new Promise<any>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
    expect(await answer).toMatchObject({ id: '1', type: 'next', payload: { data: { topics: expect.any(Array) } } });
    const closed = closeCode(socket);
    socket.close(1000);
    expect(await closed).toBe(1000);
  });
});
