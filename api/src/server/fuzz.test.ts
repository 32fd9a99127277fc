import fc from 'fast-check';
import { Kind, parse, print, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test/api.js';
import { contractOperations } from '../test/contract.js';
import { contractOperation, createEvent, eventWithOrganizer, rsvp } from '../test/events.js';
import { addMember, createGroup, joinGroup, ok, signUp, type TestUser } from '../test/factories.js';
import { anyJson, badCursor, hostileString, variablesFor } from '../test/fuzz-inputs.js';
import { checkInvariants, sqlOf } from '../test/invariants.js';
import { waitUntil } from '../test/api-process.js';
import { subscribe, wsClient } from '../test/ws.js';
import { buildGatherSchema } from './schema.js';

/** Generated requests per contract operation, and per kind of malformed request. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

/** Every query and mutation of the contract (subscriptions travel over WebSockets). */
const OPERATIONS = contractOperations.filter((d) => d.operation !== 'subscription');
/** What an answer must never carry: a stack, SQL, driver words, file paths. */
const LEAK = /\bat \S+:\d+:\d+|\.(js|ts):\d+|\b(select|insert into|update|delete from)\b.+\b(from|set|where|values)\b|violates|constraint|syntax error at or near|invalid input syntax|invalid byte sequence|knex|ECONN|node_modules/i;

interface Raw {
  status: number;
  text: string;
  contentType: string;
}

/** Asserts a well-formed GraphQL answer: JSON, 2xx/4xx, `errors` (if any) a list of {message, extensions.code}, nothing internal. */
function expectWellFormed(raw: Raw, what: string) {
  const where = `${what} → ${raw.status} ${raw.text.slice(0, 500)}`;
  expect([200, 400, 401, 405, 413, 415], where).toContain(raw.status);
  expect(raw.contentType, where).toMatch(/^application\/(graphql-response\+)?json/);
  const body = JSON.parse(raw.text) as { data?: unknown; errors?: unknown };
  expect(typeof body === 'object' && body !== null && !Array.isArray(body), where).toBe(true);
  if (body.errors === undefined) {
    expect(raw.status, where).toBe(200);
    expect(typeof body.data === 'object' && body.data !== null, where).toBe(true);
    return;
  }
  expect(Array.isArray(body.errors) && body.errors.length > 0, where).toBe(true);
  for (const error of body.errors as Array<Record<string, any>>) {
    expect(typeof error.message === 'string' && error.message.length > 0, where).toBe(true);
    expect(typeof error.extensions?.code, where).toBe('string');
    expect(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'], where).not.toContain(error.extensions.code); // the database is up: any such is a crash
    expect(error.extensions.stacktrace, where).toBeUndefined();
    expect(error.message, where).not.toMatch(LEAK);
  }
}

describe('fuzzing: every operation of the contract, with hostile and malformed input', () => {
  let t: TestApi;
  let schema: GraphQLSchema;
  let world: { organizer: TestUser; member: TestUser; ids: string[]; slugs: string[]; cursors: string[] };

  async function send(init: { body?: string | Uint8Array; contentType?: string | null; token?: string | null; method?: string; search?: string }): Promise<Raw> {
    const headers: Record<string, string> = {};
    if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await fetch(t.api.url + (init.search ?? ''), { method: init.method ?? 'POST', headers, body: init.body as never });
    return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
  }

  beforeAll(async () => {
    t = await startTestApi();
    schema = await buildGatherSchema();
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 3, guestLimit: 2, onlineUrl: 'https://meet.example/x' });
    const member = await addMember(t, organizer.token, group.id);
    const other = await addMember(t, organizer.token, group.id);
    const rsvpId = ok(await rsvp(t, member.token, event.id, 'YES', 1)).rsvp.id;
    ok(await rsvp(t, other.token, event.id, 'YES', 2)); // waitlisted
    const past = await createEvent(t, organizer.token, group.id, { startsAt: new Date(Date.now() - 3 * 3600_000).toISOString() });
    const thread = ok(await t.gql(contractOperation('CreateThread'), { input: { groupId: group.id, title: 'Fuzz', body: 'first' } }, member.token)).createThread;
    const page = ok(await t.gql(contractOperation('ThreadMessages'), { id: thread.id }, member.token)).thread.messages;
    const approval = await createGroup(t, organizer.token, { joinMode: 'APPROVAL', visibility: 'PRIVATE' });
    const pending = await joinGroup(t, (await signUp(t, 'Pending')).token, approval.id, 'please');
    const members = ok(await t.gql(contractOperation('GroupMembers'), { slug: group.slug, first: 1 })).group.members;
    world = {
      organizer,
      member,
      ids: [group.id, event.id, past.id, thread.id, page.edges[0].node.id, rsvpId, member.membershipId, other.membershipId, approval.id, pending.id, member.id],
      slugs: [group.slug, approval.slug],
      cursors: [page.pageInfo.startCursor, members.pageInfo.endCursor],
    };
  });
  afterAll(() => t?.close());
  // Whatever a run wrote (groups, events, RSVPs, messages), it broke nothing.
  afterEach(async () => {
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  });

  for (const operation of OPERATIONS) {
    const name = operation.name!.value;
    it(`${name}: well-typed hostile variables`, async () => {
      const query = print(operation);
      const variables = variablesFor(schema, operation, fc.constantFrom(...world.ids), {
        slug: fc.constantFrom(...world.slugs),
        groupSlug: fc.constantFrom(...world.slugs),
        after: fc.oneof(fc.constantFrom(...world.cursors), badCursor),
        before: fc.oneof(fc.constantFrom(...world.cursors), badCursor),
      });
      // LogOut would end the shared sessions: it runs signed out.
      const token = name === 'LogOut' ? fc.constant(null) : fc.constantFrom(world.organizer.token, world.member.token, null);
      await fc.assert(
        fc.asyncProperty(variables, token, async (vars, tok) => {
          expectWellFormed(await send({ body: JSON.stringify({ query, variables: vars }), token: tok }), `${name} ${JSON.stringify(vars).slice(0, 300)}`);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('a NUL character (which PostgreSQL cannot store) is BAD_USER_INPUT naming where it is, on HTTP and WebSocket', async () => {
    const { member } = world;
    const [threadId] = world.ids.slice(3, 4);
    const viaVariable = await t.gql(contractOperation('PostMessage'), { threadId, body: 'a\u0000b' }, member.token);
    expect([viaVariable.status, viaVariable.errors?.[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'body' }]);
    const nested = await t.gql(contractOperation('UpdateProfile'), { input: { name: 'ok', city: '\u0000' } }, member.token);
    expect(nested.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.city' });
    const literal = await t.gql(`mutation { updateProfile(input: { bio: "x\\u0000y" }) { id } }`, {}, member.token);
    expect(literal.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.bio' });
    const client = wsClient(t.api.url, member.token);
    try {
      const overWs = subscribe(client, contractOperation('ThreadActivity'), { threadId: `${threadId}\u0000` });
      await waitUntil(() => overWs.completed, 'the refusal');
      expect(overWs.errors.map((e: any) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: 'threadId' }]);
    } finally {
      await client.dispose();
    }
    expect(ok(await t.gql(contractOperation('Me'), {}, member.token)).me.bio).not.toContain('y');
  });

  it('variables nested hundreds to thousands deep: 400 BAD_USER_INPUT naming the variable, never a crash', async () => {
    // Written as text: JSON.stringify itself overflows the stack on such values.
    const nestedText = (depth: number, list: boolean) => (list ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    // Operations the schema serves (those of open issues fail validation before their variables are read).
    const withVariables = OPERATIONS.filter((op) => (op.variableDefinitions ?? []).length > 0 && validate(schema, { kind: Kind.DOCUMENT, definitions: [op] }).length === 0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withVariables), fc.nat(), fc.integer({ min: 10, max: 6000 }), fc.boolean(), async (operation, pick, depth, list) => {
        const names = operation.variableDefinitions!.map((d) => d.variable.name.value);
        const name = names[pick % names.length];
        const body = `{"query":${JSON.stringify(print(operation))},"variables":{${JSON.stringify(name)}:${nestedText(depth, list)}}}`;
        const raw = await send({ body, token: world.member.token });
        expectWellFormed(raw, `${operation.name!.value} ${name} nested ${depth}`);
        expect([raw.status, JSON.parse(raw.text).errors[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: name }]);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('a subscription sent over HTTP is a bad request, not a crash', async () => {
    const raw = await send({ body: JSON.stringify({ query: contractOperation('EventAttendance'), variables: { eventId: world.ids[1] } }) });
    expectWellFormed(raw, 'subscription over HTTP');
    expect([raw.status, JSON.parse(raw.text).errors[0].extensions.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('variables of the wrong type, missing or extra', async () => {
    const ops = fc.constantFrom(...OPERATIONS);
    const wrong = fc.dictionary(fc.constantFrom('input', 'id', 'eventId', 'groupId', 'threadId', 'slug', 'first', 'guests', 'response', 'body', 'nope'), anyJson, { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(ops, wrong, fc.constantFrom(world.organizer.token, null), async (operation, vars, token) => {
        expectWellFormed(await send({ body: JSON.stringify({ query: print(operation), variables: vars }), token }), `${operation.name!.value} ${JSON.stringify(vars).slice(0, 300)}`);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('broken documents: garbage, truncated or mangled contract operations', async () => {
    const mangled = fc.tuple(fc.constantFrom(...OPERATIONS.map((o) => print(o))), fc.nat(), fc.nat(), hostileString).map(([doc, a, b, junk]) => {
      const [from, to] = [a % doc.length, b % doc.length].sort((x, y) => x - y);
      return doc.slice(0, from) + junk + doc.slice(to);
    });
    const documents = fc.oneof(mangled, hostileString, fc.constantFrom('{', '{ __typename', 'query { me { id } } query { me { id } }', 'subscription { eventAttendance(eventId: "x") { version } }', '{ __schema { types { name } } }'));
    await fc.assert(
      fc.asyncProperty(documents, fc.option(hostileString), async (query, operationName) => {
        expectWellFormed(await send({ body: JSON.stringify({ query, operationName }) }), `document ${query.slice(0, 200)}`);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('garbage bodies, bodies of the wrong shape, odd content types and methods', async () => {
    const bodies = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      anyJson.map((v) => JSON.stringify(v)),
      fc.record({ query: anyJson, variables: anyJson, operationName: anyJson, extensions: anyJson }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.constantFrom('[]', '[{"query":"{ topics { id } }"},{"query":"{ topics { id } }"}]', 'null', '"query"', '{"query":"{ topics { id } }","variables":"{}"}', '\u0000', ''),
    );
    const contentTypes = fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/graphql', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', null);
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, fc.constantFrom('POST', 'PUT', 'PATCH'), fc.constantFrom(world.member.token, null, 'not-a-token'), async (body, contentType, method, token) => {
        const raw = await send({ body, contentType, method, token });
        expect(raw.status, `${method} ${contentType} ${String(body).slice(0, 200)} → ${raw.text.slice(0, 300)}`).toBeLessThan(500);
        if (raw.contentType.includes('json')) expectWellFormed(raw, `${method} ${contentType} ${String(body).slice(0, 200)}`);
      }),
      { numRuns: RUNS * 8 },
    );
  });

  it('GET requests with garbage parameters', async () => {
    const params = fc.dictionary(fc.constantFrom('query', 'variables', 'operationName', 'extensions', 'x'), hostileString, { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(params, fc.boolean(), async (p, preflight) => {
        const search = `?${new URLSearchParams(p)}`;
        const res = await fetch(t.api.url + search, { headers: preflight ? { 'apollo-require-preflight': '1' } : {} });
        const raw = { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
        // A URL longer than Node's header limit (16 KB) is refused by HTTP itself (431), before any GraphQL.
        if (raw.status === 431) expect(search.length).toBeGreaterThan(8_000);
        else expectWellFormed(raw, `GET ${search.slice(0, 200)}`);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
