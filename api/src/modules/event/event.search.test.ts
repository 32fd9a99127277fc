import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, print, validate, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/seed.js';
import type { Database } from '../../db/database.js';
import { buildGatherSchema } from '../../server/schema.js';
import { freshDatabase } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { insertEvent, type EventSpec } from '../../test/events.js';
import { createGroup, expectError, ok, signUp, sql, unique } from '../../test/factories.js';
import { EventStatus } from './event.enums.js';
import { eventCountSql, eventPageSql, type EventFilter } from './event.search.js';
import { Venue } from './venue.entity.js';

// The contract's ExploreEvents operation, as the web client sends it.
const EXPLORE = `query ExploreEvents($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id title startsAt endsAt goingCount capacity
        group { id slug name }
        venue { name city }
      }
    }
  }
}`;

const OSLO = { lat: 59.9139, lng: 10.7522 };
const BERGEN = { lat: 60.3913, lng: 5.3221 };
const BERLIN = { lat: 52.52, lng: 13.405 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApi;
let organizer: { id: string; token: string };
beforeAll(async () => {
  t = await startTestApi();
  organizer = await signUp(t, 'Organizer');
});
afterAll(() => t?.close());

/** Puts an event straight into the database (this feature only reads events). */
const addEvent = (groupId: string, spec: EventSpec) => insertEvent(t, organizer.id, groupId, spec);

const fromNow = (ms: number) => new Date(Date.now() + ms);
/** A word no other test uses (letters only, so it survives stemming). */
const uniqueWord = (prefix: string) => `${prefix}${unique().replace(/\d/g, (d) => 'ghijklmnop'[Number(d)])}`;

type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ cursor: string; node: { id: string; title: string } }> };

async function explore(filter: Record<string, unknown>, first = 100, after?: string): Promise<Page> {
  return ok(await t.gql(EXPLORE, { filter, first, after })).events;
}
const ids = async (filter: Record<string, unknown>) => (await explore(filter)).edges.map((e) => e.node.id);

/** Walks the whole list `first` at a time and returns the ids in order. */
async function pageThrough(filter: Record<string, unknown>, first: number): Promise<string[]> {
  const all: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await explore(filter, first, after);
    all.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return all;
    expect(page.edges).toHaveLength(first);
    after = page.pageInfo.endCursor!;
  }
  throw new Error('paging did not end');
}

describe('events: discovery', () => {
  it('lists upcoming scheduled events of public groups, soonest first; never a private group\'s', async () => {
    const group = await createGroup(t, organizer.token);
    const past = await addEvent(group.id, { title: 'Over', startsAt: fromNow(-3 * DAY) });
    const ongoing = await addEvent(group.id, { title: 'Going on now', startsAt: fromNow(-HOUR), hours: 2 });
    const tomorrow = await addEvent(group.id, { title: 'Tomorrow', startsAt: fromNow(DAY) });
    const nextWeek = await addEvent(group.id, { title: 'Next week', startsAt: fromNow(7 * DAY) });
    await addEvent(group.id, { title: 'Called off', startsAt: fromNow(2 * DAY), status: EventStatus.CANCELLED });
    const hidden = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    await addEvent(hidden.id, { title: 'Members only', startsAt: fromNow(DAY) });

    const page = await explore({ groupSlug: group.slug });
    expect(page.edges.map((e) => e.node.id)).toEqual([ongoing, tomorrow, nextWeek]);
    expect(page.totalCount).toBe(3);
    expect(page.edges[0].node).toMatchObject({ title: 'Going on now' });
    expect(await ids({ groupSlug: hidden.slug })).toEqual([]);
    expect((await explore({ groupSlug: hidden.slug })).totalCount).toBe(0);
    // Past events come back with a time window that reaches back.
    expect(await ids({ groupSlug: group.slug, startsAfter: fromNow(-10 * DAY).toISOString(), startsBefore: fromNow(-DAY).toISOString() })).toEqual([past]);
    const everything = await explore({});
    expect(everything.edges.map((e) => e.node.title)).not.toContain('Members only');
  });

  it('takes a time window: startsAfter included, startsBefore excluded', async () => {
    const group = await createGroup(t, organizer.token);
    const at = (days: number) => new Date(Date.UTC(2031, 0, 1 + days, 18));
    const [first, second, third] = [await addEvent(group.id, { startsAt: at(0) }), await addEvent(group.id, { startsAt: at(1) }), await addEvent(group.id, { startsAt: at(2) })];
    const window = (from: Date | null, to: Date | null) => ids({ groupSlug: group.slug, startsAfter: from?.toISOString(), startsBefore: to?.toISOString() });
    expect(await window(at(0), at(2))).toEqual([first, second]);
    expect(await window(at(1), null)).toEqual([second, third]);
    expect(await window(null, at(1))).toEqual([first]);
    expect(await window(at(2), at(1))).toEqual([]);
  });

  it('searches titles and descriptions (web search syntax), the most relevant first', async () => {
    const word = uniqueWord('quiz');
    const group = await createGroup(t, organizer.token);
    const inTitle = await addEvent(group.id, { title: `Pub ${word} night`, startsAt: fromNow(9 * DAY) });
    const inDescription = await addEvent(group.id, { title: 'Trivia', description: `A ${word} with prizes.`, startsAt: fromNow(DAY) });
    await addEvent(group.id, { title: 'Something else', startsAt: fromNow(DAY) });
    await addEvent(group.id, { title: `Old ${word}`, startsAt: fromNow(-5 * DAY) });
    const hidden = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    await addEvent(hidden.id, { title: `Secret ${word}`, startsAt: fromNow(DAY) });

    const found = await explore({ search: word });
    expect(found.edges.map((e) => e.node.id)).toEqual([inTitle, inDescription]);
    expect(found.totalCount).toBe(2);
    expect(await ids({ search: `${word} -prizes` })).toEqual([inTitle]);
    expect(await ids({ search: `"pub ${word}"` })).toEqual([inTitle]);
  });

  it('filters by the group\'s topic', async () => {
    const topic = uniqueWord('Pottery ');
    const slug = topic.toLowerCase().replace(/ /g, '-');
    const potters = await createGroup(t, organizer.token, { topics: [topic, 'Art'] });
    const others = await createGroup(t, organizer.token, { topics: ['Art'] });
    const wheel = await addEvent(potters.id, { title: 'Wheel throwing', startsAt: fromNow(3 * DAY) });
    const glaze = await addEvent(potters.id, { title: 'Glazing', startsAt: fromNow(2 * DAY) });
    await addEvent(others.id, { title: 'Painting', startsAt: fromNow(DAY) });
    expect(await ids({ topic: slug })).toEqual([glaze, wheel]);
    expect(await ids({ topic: slug, search: 'glazing' })).toEqual([glaze]);
  });

  it('finds events near a place: at their venue, else where their group meets', async () => {
    const topic = uniqueWord('Places ');
    const slug = topic.toLowerCase().replace(/ /g, '-');
    const oslo = await createGroup(t, organizer.token, { topics: [topic], location: OSLO });
    const berlin = await createGroup(t, organizer.token, { topics: [topic], location: BERLIN, city: 'Berlin', timezone: 'Europe/Berlin' });
    const inBergen = await addEvent(oslo.id, { title: 'Trip to Bergen', startsAt: fromNow(DAY), venue: { name: 'Bryggen', ...BERGEN } });
    const noLocation = await addEvent(oslo.id, { title: 'Venue without a map pin', startsAt: fromNow(2 * DAY), venue: { name: 'Somewhere' } });
    const online = await addEvent(oslo.id, { title: 'Online', startsAt: fromNow(3 * DAY) });
    const visitingOslo = await addEvent(berlin.id, { title: 'Berliners visit Oslo', startsAt: fromNow(4 * DAY), venue: { name: 'Operahuset', lat: 59.9075, lng: 10.7531 } });
    const atHome = await addEvent(berlin.id, { title: 'At home in Berlin', startsAt: fromNow(5 * DAY), venue: { name: 'Tempelhof', lat: 52.4736, lng: 13.4017 } });

    const near = (at: { lat: number; lng: number }, radiusKm: number) => ids({ topic: slug, near: { ...at, radiusKm } });
    expect(await near(OSLO, 50)).toEqual([noLocation, online, visitingOslo]);
    expect(await near(BERGEN, 50)).toEqual([inBergen]);
    expect(await near(BERLIN, 50)).toEqual([atHome]);
    expect(await near(OSLO, 400)).toEqual([inBergen, noLocation, online, visitingOslo]);
    expect((await explore({ topic: slug, near: { ...OSLO, radiusKm: 50 } })).totalCount).toBe(3);
    expectError(await t.gql(EXPLORE, { filter: { near: { ...OSLO, radiusKm: 5000 } } }), 'BAD_USER_INPUT', 'filter.near.radiusKm');
  });
});

describe('events: paging', () => {
  it('pages soonest-first without duplicates or gaps, through equal and microsecond-apart start times', async () => {
    const group = await createGroup(t, organizer.token);
    const same = new Date(Date.UTC(2032, 5, 1, 17));
    const created = [
      ...(await Promise.all([1, 2, 3, 4].map(() => addEvent(group.id, { startsAt: same })))),
      await addEvent(group.id, { startsAt: new Date(same.getTime() - DAY) }),
      await addEvent(group.id, { startsAt: new Date(same.getTime() + DAY) }),
    ];
    // Two more a microsecond apart (JavaScript dates cannot say that; PostgreSQL can).
    const [{ id: a }, { id: b }] = await sql<{ id: string }>(t, `select id from events where id in (?, ?) order by id`, [created[4], created[5]]);
    await sql(t, `update events set starts_at = '2032-06-03 17:00:00.000001+00', ends_at = '2032-06-03 19:00:00+00' where id = ?`, [a]);
    await sql(t, `update events set starts_at = '2032-06-03 17:00:00.000002+00', ends_at = '2032-06-03 19:00:00+00' where id = ?`, [b]);
    const expected = (await sql<{ id: string }>(t, `select e.id from events e join groups g on g.id = e.group_id where g.slug = ? order by e.starts_at, e.id`, [group.slug])).map((r) => r.id);
    expect(expected).toHaveLength(6);
    expect(expected.slice(-2)).toEqual([a, b]);
    for (const first of [1, 2, 4, 100]) expect(await pageThrough({ groupSlug: group.slug }, first)).toEqual(expected);
  });

  it('pages equally relevant search results by id', async () => {
    const word = uniqueWord('salsa');
    const group = await createGroup(t, organizer.token);
    const best = await addEvent(group.id, { title: `${word} ${word} night`, startsAt: fromNow(5 * DAY) });
    const tied = await Promise.all([1, 2, 3, 4, 5].map((i) => addEvent(group.id, { title: `Evening ${i}`, description: `Learn ${word}.`, startsAt: fromNow(i * DAY) })));
    const expected = [best, ...tied.sort()];
    expect(await ids({ search: word })).toEqual(expected);
    for (const first of [1, 2, 3]) expect(await pageThrough({ search: word }, first)).toEqual(expected);
  });

  it('refuses malformed cursors, cursors of another ordering and oversized pages', async () => {
    const word = uniqueWord('cursor');
    const group = await createGroup(t, organizer.token);
    await Promise.all([1, 2].map((i) => addEvent(group.id, { title: `${word} ${i}`, startsAt: fromNow(i * DAY) })));
    const searchCursor = (await explore({ search: word }, 1)).pageInfo.endCursor;
    const timeCursor = (await explore({ groupSlug: group.slug }, 1)).pageInfo.endCursor;
    expectError(await t.gql(EXPLORE, { filter: {}, first: 1, after: 'nonsense' }), 'BAD_USER_INPUT', 'after');
    expectError(await t.gql(EXPLORE, { filter: {}, first: 1, after: searchCursor }), 'BAD_USER_INPUT', 'after');
    expectError(await t.gql(EXPLORE, { filter: { search: word }, first: 1, after: timeCursor }), 'BAD_USER_INPUT', 'after');
    expectError(await t.gql(EXPLORE, { filter: {}, first: 101 }), 'BAD_USER_INPUT', 'first');
  });
});

describe('events: schema and plans', () => {
  it('answers the contract\'s ExploreEvents operation, with each event\'s group and venue', async () => {
    const contract = parse(readFileSync(fileURLToPath(new URL('../../../../schema/contract.graphql', import.meta.url)), 'utf8'));
    const operation = contract.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && d.name?.value === 'ExploreEvents');
    expect(validate(await buildGatherSchema(), { kind: contract.kind, definitions: [operation!] }).map((e) => e.message)).toEqual([]);
    const group = await createGroup(t, organizer.token);
    const id = await addEvent(group.id, { title: 'Picnic', startsAt: fromNow(DAY), venue: { name: 'Frognerparken', ...OSLO } });
    await addEvent(group.id, { title: 'Online quiz', startsAt: fromNow(2 * DAY) });
    const data = ok(await t.gql(print(operation!), { filter: { groupSlug: group.slug }, first: 10 }));
    expect(data.events.edges.map((e: { node: unknown }) => e.node)).toEqual([
      expect.objectContaining({ id, title: 'Picnic', goingCount: 0, capacity: null, group: { id: group.id, slug: group.slug, name: group.name }, venue: { name: 'Frognerparken', city: null } }),
      expect.objectContaining({ title: 'Online quiz', venue: null }),
    ]);
  });

  // Plans depend on table statistics: look at them on a database with the demo data in it, analyzed.
  let seeded: Database;
  beforeAll(async () => {
    ({ db: seeded } = await freshDatabase());
    await seedDemoData(seeded.orm, { scale: 0.5, passwordLogN: 10 });
    await seeded.orm.em.fork().execute('analyze');
  });
  afterAll(() => seeded?.close());

  /** The plan PostgreSQL picks with sequential scans disabled: shows that an index can serve the query. */
  async function plan(query: { sql: string; params: unknown[] }): Promise<string> {
    return seeded.orm.em.fork().transactional(async (em) => {
      await em.execute('set local enable_seqscan = off');
      const rows: Array<{ 'QUERY PLAN': string }> = await em.execute(`explain ${query.sql}`, query.params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  it('walks the start-time index for the soonest events and both location indexes for near', async () => {
    const cursor = Buffer.from(JSON.stringify(['soonest', '1893492000500000', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    expect(await plan(eventPageSql(seeded.orm.em.fork(), {}, null, 21))).toContain('Index Scan using events_starts_idx');
    expect(await plan(eventPageSql(seeded.orm.em.fork(), {}, cursor, 21))).toContain('events_starts_idx');
    const near: EventFilter = { near: Object.assign({ ...OSLO, radiusKm: 25 }) };
    for (const query of [eventPageSql(seeded.orm.em.fork(), near, null, 21), eventCountSql(near)]) {
      const text = await plan(query);
      expect(text).toContain('groups_lat_lng_idx');
      expect(text).toContain('venues_lat_lng_idx');
    }
  });
});
