import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test/api.js';
import { contractOperation, createEvent, insertEvent } from '../test/events.js';
import { createGroup, ok, signUp, type TestGroup, type TestUser } from '../test/factories.js';
import WebSocket from 'ws';
import { waitUntil } from '../test/api-process.js';

// Hostile input must be a 400 / BAD_USER_INPUT naming the argument, never a 500 (docs/ARCHITECTURE.md, "Limits").

let t: TestApi;
let organizer: TestUser;
let group: TestGroup;
let threadId: string;
let eventId: string;

beforeAll(async () => {
  t = await startTestApi();
  organizer = await signUp(t, 'Organizer');
  group = await createGroup(t, organizer.token);
  eventId = (await createEvent(t, organizer.token, group.id)).id;
  threadId = ok(await t.gql(contractOperation('CreateThread'), { input: { groupId: group.id, title: 'Hi', body: 'first' } }, organizer.token)).createThread.id;
});
afterAll(() => t?.close());

/** JSON text of `{"a":{"a":…"x"…}}` nested `depth` times (written out: JSON.stringify itself overflows the stack on it). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
/** `[[[…"x"…]]]` nested `depth` times. */
const nestedList = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;

/** Posts a request whose variables are given as raw JSON texts, by name. */
async function postRaw(query: string, variables: Record<string, string>, token: string | null) {
  const vars = `{${Object.entries(variables).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  const res = await fetch(t.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: `{"query":${JSON.stringify(query)},"variables":${vars}}`,
  });
  return { status: res.status, body: (await res.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> }, size: vars.length };
}

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const FAR_DATE = { d: '-271821-04-20T00:00:00.000Z' };
const UUID = '00000000-0000-4000-8000-000000000000';
/** Cursors that decode and have plausible shapes, holding a date PostgreSQL cannot store or a number out of any range: refused. */
const FORGED = [
  [FAR_DATE, UUID],
  ['soonest', FAR_DATE, UUID],
  ['members', FAR_DATE, UUID],
  [FAR_DATE, FAR_DATE, UUID],
  [FAR_DATE],
  ['soonest', -8.64e21, UUID],
  ['soonest', '-8640000000000000000000', UUID],
  ['soonest', '999999999999999999', UUID],
  ['members', 2 ** 40, UUID],
].map(cursor);
/** Cursors with storable values no page ever handed out: refused, or paging from there; never a 500. */
const ODD = [['relevance', 1e308, UUID], ['distance', -1e308, UUID], ['soonest', '0', UUID]].map(cursor);

describe('hostile input is BAD_USER_INPUT naming the argument', () => {
  it('variables nested 5,000 deep (30 KB) over HTTP', async () => {
    for (const [query, variables, field] of [
      [contractOperation('CreateGroup'), { input: nested(5000) }, 'input'],
      [contractOperation('CreateGroup'), { input: `{"name":"x","topics":${nestedList(5000)}}` }, 'input'],
      [contractOperation('ExploreEvents'), { filter: nested(5000) }, 'filter'],
      [contractOperation('ExploreEvents'), { first: nestedList(5000) }, 'first'],
    ] as const) {
      const res = await postRaw(query, variables, organizer.token);
      expect(res.size).toBeGreaterThan(10_000);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect((await fetch(t.api.url.replace(/graphql$/, 'healthz'))).status).toBe(200);
  });

  it('variables nested 5,000 deep over WebSocket: an error naming the variable, the socket stays open', async () => {
    const socket = new WebSocket(t.api.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: any[] = [];
    let closed: number | null = null;
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    socket.on('close', (code) => (closed = code));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${organizer.token}` } }));
    await waitUntil(() => messages.some((m) => m.type === 'connection_ack'), 'the ack');
    const query = JSON.stringify(contractOperation('ThreadActivity'));
    socket.send(`{"id":"deep","type":"subscribe","payload":{"query":${query},"variables":{"threadId":${nested(5000)}}}}`);
    await waitUntil(() => messages.some((m) => m.id === 'deep'), 'the refusal');
    expect(messages.find((m) => m.id === 'deep')).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'BAD_USER_INPUT', field: 'threadId' } }] });
    socket.send(JSON.stringify({ id: 'good', type: 'subscribe', payload: { query: contractOperation('ThreadActivity'), variables: { threadId } } }));
    await new Promise((r) => setTimeout(r, 300));
    expect(closed).toBeNull();
    expect(messages.filter((m) => m.id === 'good' && m.type === 'error')).toEqual([]);
    socket.close();
  });

  it('forged cursors holding far dates and numbers, on every list field', async () => {
    const lists: Array<[string, string, Record<string, unknown>, 'after' | 'before']> = [
      ['events', 'query ($c: String) { events(after: $c) { edges { cursor } } }', {}, 'after'],
      ['events (search)', 'query ($c: String) { events(after: $c, filter: { search: "meetup" }) { edges { cursor } } }', {}, 'after'],
      ['groups', 'query ($c: String) { groups(after: $c) { edges { cursor } } }', {}, 'after'],
      ['groups (search)', 'query ($c: String) { groups(after: $c, filter: { search: "x" }) { edges { cursor } } }', {}, 'after'],
      ['group.events', 'query ($c: String, $s: String!) { group(slug: $s) { events(after: $c) { edges { cursor } } } }', { s: group.slug }, 'after'],
      ['group.events(PAST)', 'query ($c: String, $s: String!) { group(slug: $s) { events(after: $c, when: PAST) { edges { cursor } } } }', { s: group.slug }, 'after'],
      ['group.members', 'query ($c: String, $s: String!) { group(slug: $s) { members(after: $c) { edges { cursor } } } }', { s: group.slug }, 'after'],
      ['group.threads', 'query ($c: String, $s: String!) { group(slug: $s) { threads(after: $c) { edges { cursor } } } }', { s: group.slug }, 'after'],
      ['event.attendees', 'query ($c: String, $id: ID!) { event(id: $id) { attendees(after: $c) { edges { cursor } } } }', { id: eventId }, 'after'],
      ['thread.messages', 'query ($c: String, $id: ID!) { thread(id: $id) { messages(before: $c) { edges { cursor } } } }', { id: threadId }, 'before'],
      ['me.memberships', 'query ($c: String) { me { memberships(after: $c) { edges { cursor } } } }', {}, 'after'],
      ['me.upcomingRsvps', 'query ($c: String) { me { upcomingRsvps(after: $c) { edges { cursor } } } }', {}, 'after'],
    ];
    const failures: string[] = [];
    for (const [name, query, variables, field] of lists) {
      for (const c of [...FORGED, ...ODD]) {
        const res = await t.gql(query, { ...variables, c }, organizer.token);
        const ext = res.errors?.[0]?.extensions;
        // A cursor holding a date PostgreSQL cannot store is refused; one holding storable values just pages from there.
        const refused = res.status === 200 && ext?.code === 'BAD_USER_INPUT' && ext?.field === field;
        const paged = res.status === 200 && !res.errors;
        if (!(refused || (paged && ODD.includes(c)))) {
          failures.push(`${name} ${Buffer.from(c, 'base64url').toString()}: ${res.status} ${JSON.stringify(res.errors?.[0] ?? res.data)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('dates before 1900 or after 2300, as variables and literals, on every DateTime input', async () => {
    for (const bad of ['0000-01-01T00:00:00Z', '1899-12-31T23:59:59Z', '2300-01-01T00:00:01Z', '+275760-09-13T00:00:00Z'.slice(1)]) {
      const literal = await t.gql(`{ events(filter: { startsAfter: "${bad}" }) { totalCount } }`);
      expect([literal.status, literal.errors?.[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'filter.startsAfter' }]);
      const variable = await t.gql('query ($f: EventFilter) { events(filter: $f) { totalCount } }', { f: { startsBefore: bad } });
      expect([variable.status, variable.errors?.[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'f.startsBefore' }]);
      const created = await t.gql(contractOperation('CreateEvent'), { input: { groupId: group.id, title: 'Far', startsAt: bad } }, organizer.token);
      expect([created.status, created.errors?.[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'input.startsAt' }]);
      const updated = await t.gql(contractOperation('UpdateEvent'), { id: eventId, input: { endsAt: bad } }, organizer.token);
      expect([updated.status, updated.errors?.[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'input.endsAt' }]);
    }
    for (const good of ['1900-01-01T00:00:00Z', '2299-12-31T23:59:59Z']) {
      ok(await t.gql(`{ events(filter: { startsAfter: "${good}" }) { totalCount } }`));
    }
  });

  it('an event lasts at most 14 days', async () => {
    const start = '2030-05-01T10:00:00Z';
    const long = await t.gql(contractOperation('CreateEvent'), { input: { groupId: group.id, title: 'Long', startsAt: start, endsAt: '2030-05-15T10:00:01Z' } }, organizer.token);
    expect(long.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.endsAt' });
    const fine = ok(await t.gql(contractOperation('CreateEvent'), { input: { groupId: group.id, title: 'Two weeks', startsAt: start, endsAt: '2030-05-15T10:00:00Z' } }, organizer.token));
    const stretched = await t.gql(contractOperation('UpdateEvent'), { id: fine.createEvent.id, input: { startsAt: '2030-04-30T10:00:00Z' } }, organizer.token);
    expect(ok(stretched).updateEvent).toBeTruthy(); // keeps its length
    const tooLong = await t.gql(contractOperation('UpdateEvent'), { id: fine.createEvent.id, input: { endsAt: '2030-06-01T10:00:00Z' } }, organizer.token);
    expect(tooLong.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.endsAt' });
  });

  it('event-search cursors page through events of any storable year (1650, 2290)', async () => {
    const old = await createGroup(t, organizer.token);
    const ids = [
      await insertEvent(t, organizer.id, old.id, { title: 'Old A', startsAt: '1650-03-01T10:00:00Z' }),
      await insertEvent(t, organizer.id, old.id, { title: 'Old B', startsAt: '1651-03-01T10:00:00Z' }),
      await insertEvent(t, organizer.id, old.id, { title: 'Far A', startsAt: '2290-03-01T10:00:00Z' }),
      await insertEvent(t, organizer.id, old.id, { title: 'Far B', startsAt: '2291-03-01T10:00:00Z' }),
    ];
    const query = 'query ($s: String, $c: String) { events(first: 1, after: $c, filter: { groupSlug: $s, startsAfter: "1900-01-01T00:00:00Z" }) { edges { node { id } cursor } pageInfo { hasNextPage endCursor } } }';
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = ok(await t.gql(query, { s: old.slug, c: after })).events;
      seen.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(ids.slice(2));
    const before = 'query ($s: String, $c: String) { events(first: 1, after: $c, filter: { groupSlug: $s, startsBefore: "1900-01-01T00:00:00Z" }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }';
    const first: any = ok(await t.gql(before, { s: old.slug })).events;
    const second: any = ok(await t.gql(before, { s: old.slug, c: first.pageInfo.endCursor })).events;
    expect([...first.edges, ...second.edges].map((e: any) => e.node.id)).toEqual(ids.slice(0, 2));
  });

  it('names and titles made only of blank or zero-width characters are refused', async () => {
    const invisible = ['\u200B\u200B', ' \u200D\u2060 ', '\uFEFF', '\u3164', '\u2800', '\u00A0\u200E\u200F', '\u034F\u115F'];
    for (const name of invisible) {
      const signUpRes = await t.gql(contractOperation('SignUp'), { input: { email: `blank.${Math.random().toString(36).slice(2)}@example.test`, password: 'correct horse battery', name } });
      expect(signUpRes.errors?.[0].extensions, JSON.stringify(name)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      const profile = await t.gql(contractOperation('UpdateProfile'), { input: { name } }, organizer.token);
      expect(profile.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      const created = await t.gql(contractOperation('CreateGroup'), { input: { name, description: 'd', city: 'Oslo', location: { lat: 59.9, lng: 10.7 }, timezone: 'Europe/Oslo' } }, organizer.token);
      expect(created.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      const updated = await t.gql(contractOperation('UpdateGroup'), { id: group.id, input: { name } }, organizer.token);
      expect(updated.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      const event = await t.gql(contractOperation('CreateEvent'), { input: { groupId: group.id, title: name, startsAt: '2030-01-01T10:00:00Z' } }, organizer.token);
      expect(event.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
      const eventUpdate = await t.gql(contractOperation('UpdateEvent'), { id: eventId, input: { title: name } }, organizer.token);
      expect(eventUpdate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
      const thread = await t.gql(contractOperation('CreateThread'), { input: { groupId: group.id, title: name, body: 'hello' } }, organizer.token);
      expect(thread.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    }
    // Names with visible characters next to invisible ones are fine.
    ok(await t.gql(contractOperation('UpdateProfile'), { input: { name: 'Zoë\u200D' } }, organizer.token));
  });
});
