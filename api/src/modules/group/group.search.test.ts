import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { createGroup as createGroupAs, expectError, joinGroup, ok, signUp, sql } from '../../test/factories.js';
import { query, type Statement } from '../../db/read.js';
import { groupCountSql, groupPageSql } from './group.search.js';
import type { GroupFilter } from './group.inputs.js';

// The contract's ExploreGroups operation, as the web client sends it.
const EXPLORE = `query ExploreGroups($search: String, $topic: String, $near: GeoInput, $first: Int, $after: String) {
  groups(filter: { search: $search, topic: $topic, near: $near }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id slug name city memberCount visibility topics { slug name } } }
  }
}`;

const OSLO = { lat: 59.9139, lng: 10.7522 };
const BERGEN = { lat: 60.3913, lng: 5.3221 };
const BERLIN = { lat: 52.52, lng: 13.405 };
const SANDVIKA = { lat: 59.8906, lng: 10.5245 }; // a suburb about 13 km west of central Oslo

let t: TestApi;
let organizer: string;
let joiners: string[];
beforeAll(async () => {
  t = await startTestApi();
  [organizer, ...joiners] = (await Promise.all(['Olga', 'Per', 'Kari', 'Nils'].map((name) => signUp(t, name)))).map((u) => u.token);
});
afterAll(() => t?.close());

/** A word no other test uses (letters only, so it survives stemming), to keep each test to its own groups. */
const uniqueWord = (prefix: string) => `${prefix}${randomBytes(3).toString('hex').replace(/\d/g, (d) => 'ghijklmnop'[Number(d)])}`;

interface GroupSpec {
  name: string;
  description?: string;
  city?: string;
  at?: { lat: number; lng: number };
  topics?: string[];
  members?: number;
}

/** A group made by the organizer, joined by `members - 1` others. */
async function createGroup(spec: GroupSpec): Promise<{ id: string; slug: string }> {
  const group = await createGroupAs(t, organizer, {
    name: spec.name,
    description: spec.description ?? 'We meet now and then.',
    city: spec.city ?? 'Oslo',
    location: spec.at ?? OSLO,
    topics: spec.topics ?? [],
  });
  for (const token of joiners.slice(0, (spec.members ?? 1) - 1)) await joinGroup(t, token, group.id);
  return group;
}

type Filter = { search?: string; topic?: string; near?: { lat: number; lng: number; radiusKm: number } };

async function explore(filter: Filter, first = 100, after?: string) {
  return ok(await t.gql(EXPLORE, { ...filter, first, after })).groups as {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: { id: string; slug: string; name: string; memberCount: number } }>;
  };
}

/** Walks the whole list `first` at a time; returns the ids in order and checks the page flags on the way. */
async function pageThrough(filter: Filter, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await explore(filter, first, after);
    ids.push(...page.edges.map((e) => e.node.id));
    expect(page.edges.length).toBeLessThanOrEqual(first);
    if (!page.pageInfo.hasNextPage) return ids;
    expect(page.edges).toHaveLength(first);
    after = page.pageInfo.endCursor!;
  }
  throw new Error('paging did not end');
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('groups: full-text search', () => {
  it('searches name, topics and description, the most relevant first', async () => {
    const word = uniqueWord('kayak');
    const inName = await createGroup({ name: `Oslo ${word} club` });
    const inTopics = await createGroup({ name: 'Paddlers of the fjord', topics: [word] });
    const inDescription = await createGroup({ name: 'Sea people', description: `Sunday trips; bring your own ${word}.` });
    await createGroup({ name: 'Unrelated hikers', description: 'We walk.' });

    const found = await explore({ search: word });
    expect(found.edges.map((e) => e.node.id)).toEqual([inName.id, inTopics.id, inDescription.id]);
    expect(found.totalCount).toBe(3);
  });

  it('understands web search syntax: phrases, exclusions and or', async () => {
    const a = uniqueWord('alpha');
    const b = uniqueWord('bravo');
    const both = await createGroup({ name: `${a} ${b} society` });
    const onlyA = await createGroup({ name: `${a} circle`, description: `Not quite ${b} people, but close.` });
    const onlyB = await createGroup({ name: `${b} circle` });

    const phrase = await explore({ search: `"${a} ${b}"` });
    expect(phrase.edges.map((e) => e.node.id)).toEqual([both.id]);
    const without = await explore({ search: `${a} -${b}` });
    expect(without.edges.map((e) => e.node.id)).toEqual([]);
    const either = await explore({ search: `${a} or ${b}` });
    expect(either.edges.map((e) => e.node.id).sort()).toEqual([both.id, onlyA.id, onlyB.id].sort());
    expect(either.totalCount).toBe(3);
  });

  it('pages through equally relevant groups by id, without duplicates or gaps', async () => {
    const word = uniqueWord('choir');
    const top = await Promise.all([1, 2].map((i) => createGroup({ name: `${word} ensemble ${i}` })));
    const tied = await Promise.all([1, 2, 3, 4, 5].map((i) => createGroup({ name: `Singers ${i}`, description: `Four-part ${word} songs.` })));
    const expected = [...top.sort(byId), ...tied.sort(byId)].map((g) => g.id);

    expect((await explore({ search: word })).edges.map((e) => e.node.id)).toEqual(expected);
    for (const first of [1, 2, 3]) expect(await pageThrough({ search: word }, first)).toEqual(expected);
    expect((await explore({ search: word }, 2)).totalCount).toBe(7);
  });
});

describe('groups: topic filter', () => {
  it('keeps groups with the topic (by slug), alone or with a search', async () => {
    const topic = uniqueWord('Sea kayaking ');
    const slug = topic.toLowerCase().replace(/ /g, '-');
    const word = uniqueWord('paddle');
    const tagged = await createGroup({ name: `${word} friends`, topics: ['Hiking', topic] });
    const taggedOther = await createGroup({ name: 'Quiet water', topics: [topic] });
    await createGroup({ name: `${word} without the topic` });

    const byTopic = await explore({ topic: slug });
    expect(byTopic.edges.map((e) => e.node.id).sort()).toEqual([tagged.id, taggedOther.id].sort());
    expect(byTopic.edges[0].node).toMatchObject({ memberCount: 1 });
    expect(byTopic.totalCount).toBe(2);
    expect((await explore({ topic: slug, search: word })).edges.map((e) => e.node.id)).toEqual([tagged.id]);
    expect((await explore({ topic: `${slug}-nothing` })).totalCount).toBe(0);
  });
});

describe('groups: near a place', () => {
  it('finds groups within the radius, nearest first (Oslo, Bergen, Berlin)', async () => {
    const topic = uniqueWord('Cities ');
    const slug = topic.toLowerCase().replace(/ /g, '-');
    const oslo = await createGroup({ name: 'Oslo group', at: OSLO, topics: [topic] });
    const sandvika = await createGroup({ name: 'Sandvika group', at: SANDVIKA, topics: [topic] });
    const bergen = await createGroup({ name: 'Bergen group', city: 'Bergen', at: BERGEN, topics: [topic] });
    const berlin = await createGroup({ name: 'Berlin group', city: 'Berlin', at: BERLIN, topics: [topic], members: 4 });

    const ids = async (radiusKm: number, at = OSLO) => (await explore({ topic: slug, near: { ...at, radiusKm } })).edges.map((e) => e.node.id);
    expect(await ids(50)).toEqual([oslo.id, sandvika.id]); // Bergen is about 305 km away, Berlin about 840 km
    expect(await ids(10)).toEqual([oslo.id]);
    expect(await ids(400)).toEqual([oslo.id, sandvika.id, bergen.id]);
    expect(await ids(500)).toEqual([oslo.id, sandvika.id, bergen.id]);
    expect(await ids(50, BERLIN)).toEqual([berlin.id]);
    expect(await ids(500, BERGEN)).toEqual([bergen.id, sandvika.id, oslo.id]);
    // Without near the biggest group comes first.
    expect((await explore({ topic: slug })).edges[0].node.id).toBe(berlin.id);
  });

  it('cuts the circle exactly at the radius, also far north and across the antimeridian', async () => {
    const topic = uniqueWord('Edges ');
    const slug = topic.toLowerCase().replace(/ /g, '-');
    const kmPerDegreeLat = (6371.0088 * Math.PI) / 180;
    const inside = await createGroup({ name: 'Just inside', at: { lat: OSLO.lat + 49.5 / kmPerDegreeLat, lng: OSLO.lng }, topics: [topic] });
    await createGroup({ name: 'Just outside', at: { lat: OSLO.lat + 50.5 / kmPerDegreeLat, lng: OSLO.lng }, topics: [topic] });
    // Tromsø: 499.5 km due east lies beyond radius / cos(latitude) degrees of longitude (a box must be wider).
    const tromso = { lat: 69.6496, lng: 18.956 };
    const east = await createGroup({ name: 'East of Tromsø', at: { lat: tromso.lat, lng: tromso.lng + lngDegreesAlongParallel(tromso.lat, 499.5) }, topics: [topic] });
    // Taveuni, Fiji, sits on the 180th meridian.
    const westOf180 = await createGroup({ name: 'West of 180', at: { lat: -16.8, lng: 179.9 }, topics: [topic] });
    const eastOf180 = await createGroup({ name: 'East of 180', at: { lat: -16.8, lng: -179.9 }, topics: [topic] });

    const ids = async (at: { lat: number; lng: number }, radiusKm: number) =>
      (await explore({ topic: slug, near: { ...at, radiusKm } })).edges.map((e) => e.node.id);
    expect(await ids(OSLO, 50)).toEqual([inside.id]);
    expect(await ids(tromso, 500)).toEqual([east.id]);
    expect(await ids({ lat: -16.8, lng: 179.99 }, 50)).toEqual([westOf180.id, eastOf180.id]);
    expect(await ids({ lat: -16.8, lng: 179.8 }, 50)).toEqual([westOf180.id, eastOf180.id]);
    expect(await ids({ lat: -16.8, lng: -179.95 }, 50)).toEqual([eastOf180.id, westOf180.id]);
    expect(await ids({ lat: -16.8, lng: -179.7 }, 50)).toEqual([eastOf180.id, westOf180.id]);
  });

  it('pages through groups at equal distance by id', async () => {
    const topic = uniqueWord('Same spot ');
    const slug = topic.toLowerCase().replace(/ /g, '-');
    const near = await createGroup({ name: 'Nearest', at: OSLO, topics: [topic] });
    const same = await Promise.all([1, 2, 3, 4, 5].map((i) => createGroup({ name: `Same spot ${i}`, at: SANDVIKA, topics: [topic] })));
    const far = await createGroup({ name: 'Farther', at: BERGEN, topics: [topic] });
    const expected = [near.id, ...same.sort(byId).map((g) => g.id), far.id];
    const filter = { topic: slug, near: { ...OSLO, radiusKm: 400 } };
    for (const first of [1, 2, 3, 100]) expect(await pageThrough(filter, first)).toEqual(expected);
    expect((await explore(filter, 1)).totalCount).toBe(7);
  });
});

describe('groups: default order and paging', () => {
  it('lists the biggest groups first, ties by id, across pages of any size', async () => {
    const topic = uniqueWord('Sizes ');
    const slug = topic.toLowerCase().replace(/ /g, '-');
    const sizes = [3, 1, 1, 2, 1, 3, 4, 1];
    const groups = await Promise.all(sizes.map((members, i) => createGroup({ name: `Size ${i}`, topics: [topic], members })));
    const expected = groups
      .map((g, i) => ({ id: g.id, members: sizes[i] }))
      .sort((a, b) => b.members - a.members || byId(a, b))
      .map((g) => g.id);

    const all = await explore({ topic: slug });
    expect(all.edges.map((e) => e.node.id)).toEqual(expected);
    expect(all.edges.map((e) => e.node.memberCount)).toEqual([4, 3, 3, 2, 1, 1, 1, 1]);
    expect(all.pageInfo.hasNextPage).toBe(false);
    for (const first of [1, 2, 3, 5]) expect(await pageThrough({ topic: slug }, first)).toEqual(expected);
    const [{ n }] = await sql(
      t,
      `select count(*)::int as n from groups g join group_topics gt on gt.group_id = g.id join topics tp on tp.id = gt.topic_id where tp.slug = ?`,
      [slug],
    );
    expect((await explore({ topic: slug }, 2)).totalCount).toBe(n);
  });

  it('refuses a malformed cursor, a cursor of another ordering and an oversized page', async () => {
    expectError(await t.gql(EXPLORE, { first: 2, after: 'not-a-cursor' }), 'BAD_USER_INPUT', 'after');
    // A cursor of another ordering, or with a key no member count can have, is refused rather than failing in SQL.
    const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const someId = '00000000-0000-4000-8000-000000000000';
    const relevance = (await explore({ search: 'hiking' }, 1)).pageInfo.endCursor ?? cursor(['relevance', 0.25, someId]);
    expectError(await t.gql(EXPLORE, { first: 2, after: relevance }), 'BAD_USER_INPUT', 'after');
    expectError(await t.gql(EXPLORE, { search: 'hiking', first: 2, after: cursor(['members', 3, someId]) }), 'BAD_USER_INPUT', 'after');
    for (const key of [0.25, 2 ** 40, -1]) expectError(await t.gql(EXPLORE, { first: 2, after: cursor(['members', key, someId]) }), 'BAD_USER_INPUT', 'after');
    ok(await t.gql(EXPLORE, { first: 2, after: cursor(['members', 3, someId]) }));
    expectError(await t.gql(EXPLORE, { first: 101 }), 'BAD_USER_INPUT', 'first');
  });
});

describe('groups: query plans', () => {
  /** The plan PostgreSQL picks with sequential scans disabled: shows an index can serve the query. */
  async function plan(statement: Statement): Promise<string> {
    return t.api.db.orm.em.fork().transactional(async (em) => {
      await em.execute('set local enable_seqscan = off');
      const rows = await query(em, { text: `explain ${statement.text}`, values: statement.values });
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }
  const em = () => t.api.db.orm.em.fork();
  const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
  const someId = '00000000-0000-4000-8000-000000000000';

  it('uses the GIN index for search and the lat/lng index for near', async () => {
    const search: GroupFilter = { search: 'hiking -books' };
    const near: GroupFilter = { near: Object.assign({ ...OSLO, radiusKm: 50 }) };
    for (const [filter, index] of [[search, 'groups_search_idx'], [near, 'groups_lat_lng_idx']] as const) {
      const first = groupPageSql(em(), filter, null, 21);
      expect(await plan(first)).toContain(index);
      const next = groupPageSql(em(), filter, cursor([filter.search ? 'relevance' : 'distance', 0.5, someId]), 21);
      expect(await plan(next)).toContain(index);
      const count = groupCountSql(filter);
      expect(await plan(count)).toContain(index);
    }
    const biggest = groupPageSql(em(), {}, cursor(['members', 3, someId]), 21);
    expect(await plan(biggest)).toContain('groups_member_count_idx');
  });
});

/** Degrees of longitude that `km` along a parallel at `lat` spans (on the haversine sphere). */
function lngDegreesAlongParallel(lat: number, km: number): number {
  const r = km / 6371.0088;
  const cos = Math.cos((lat * Math.PI) / 180);
  return (2 * Math.asin(Math.sin(r / 2) / cos) * 180) / Math.PI;
}
