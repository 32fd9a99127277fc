import { execute, parse, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test/api.js';
import { contractOperation } from '../test/contract.js';
import { webDocument } from '../test/web-documents.js';
import { eventWithOrganizer } from '../test/events.js';
import { addMember, ok } from '../test/factories.js';
import { authenticatedContext } from './auth-context.js';
import { buildGatherSchema } from './schema.js';

// HTTP runs operations compiled by graphql-jit (compiled-execution.ts); these pages must answer exactly as graphql-js does.
let t: TestApi;
let world: { organizer: string; member: string; eventId: string; slug: string };
beforeAll(async () => {
  t = await startTestApi();
  const { organizer, group, event } = await eventWithOrganizer(t);
  const member = await addMember(t, organizer.token, group.id);
  ok(await t.gql(contractOperation('Rsvp'), { eventId: event.id, response: 'YES' }, member.token));
  world = { organizer: organizer.token, member: member.token, eventId: event.id, slug: group.slug };
});
afterAll(() => t?.close());

/** The same operation through graphql-js's own execute, on a context signed in as `token`. */
async function interpreted(query: string, variables: Record<string, unknown>, token: string | null) {
  const schema = (interpreted.schema ??= await buildGatherSchema());
  const contextValue = await authenticatedContext({ orm: t.api.db.orm, config: t.config }, token ? { authorization: `Bearer ${token}` } : {});
  return (await execute({ schema, document: parse(query), variableValues: variables, contextValue })) as ExecutionResult;
}
interpreted.schema = undefined as Awaited<ReturnType<typeof buildGatherSchema>> | undefined;

/** What both answers must share: the data, and each error's message and path (Apollo adds the codes graphql-js lacks). */
const shape = (r: { data?: unknown; errors?: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number> }> }) => ({
  data: JSON.parse(JSON.stringify(r.data ?? null)),
  errors: (r.errors ?? []).map((e) => ({ message: e.message, path: e.path })),
});

describe('compiled execution', () => {
  it("answers the contract's pages as graphql-js does, signed in and anonymous", async () => {
    const pages: Array<[string, Record<string, unknown>]> = [
      ['Me', {}],
      ['Topics', {}],
      ['EventPage', { id: world.eventId }],
      ['EventAttendees', { id: world.eventId, first: 5 }],
      ['GroupPage', { slug: world.slug }],
      ['GroupMembers', { slug: world.slug, first: 5 }],
      ['ExploreGroups', { first: 5 }],
      ['ExploreEvents', { first: 5 }],
      ['Notifications', { first: 5 }],
    ];
    const schema = (interpreted.schema ??= await buildGatherSchema());
    for (const [name] of pages) expect(isCompiledQuery(compileQuery(schema, parse(contractOperation(name)), name)), `${name} compiles`).toBe(true);
    // The contract's documents, and the web client's own (fragments spread as the browser sends them).
    const documents = [
      ...pages.map(([name, variables]) => ({ name, query: contractOperation(name), variables })),
      ...pages.filter(([name]) => ['EventPage', 'GroupPage', 'ExploreGroups'].includes(name)).map(([name, variables]) => ({ name: `web ${name}`, query: webDocument(name), variables })),
    ];
    for (const token of [world.member, world.organizer, null]) {
      for (const { name, query, variables } of documents) {
        const overHttp = await t.gql(query, variables, token);
        if (name.startsWith('web ')) expect(overHttp.errors, name).toBeUndefined(); // the web's pages answer in full
        expect(shape(overHttp), `${name} ${token ? 'signed in' : 'anonymous'}`).toEqual(shape(await interpreted(query, variables, token)));
      }
    }
  });

  it('keeps errors, null bubbling, @include/@skip and variable errors as graphql-js has them', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      // a resolver's own error (not found), with its path
      ['query ($id: ID!) { event(id: $id) { id title } }', { id: '00000000-0000-0000-0000-000000000000' }],
      ['query ($id: ID!) { a: event(id: $id) { id } b: event(id: "nope") { id } }', { id: world.eventId }],
      // signed-out access to a signed-in field
      ['{ me { id } }', {}],
      // directives, with variables and literals
      ['query ($id: ID!, $yes: Boolean!) { event(id: $id) { id title @include(if: $yes) startsAt @skip(if: $yes) group { name @skip(if: false) } } }', { id: world.eventId, yes: true }],
      // variable coercion: wrong type, missing, a bad date deep in an input
      ['query ($id: ID!) { event(id: $id) { id } }', { id: 12.5 }],
      ['query ($id: ID!) { event(id: $id) { id } }', {}],
      ['query ($f: EventFilter) { events(filter: $f, first: 2) { edges { node { id } } } }', { f: { startsBefore: 'not a date' } }],
    ];
    for (const [query, variables] of cases) {
      const got = await t.gql(query, variables, null);
      expect(shape(got), query).toEqual(shape(await interpreted(query, variables, null)));
      // every one of these is the client's own mistake: shown with its code, never masked
      expect(got.errors?.map((e) => e.extensions?.code).filter((code) => !code || code === 'INTERNAL_SERVER_ERROR') ?? [], query).toEqual([]);
    }
  });
});
