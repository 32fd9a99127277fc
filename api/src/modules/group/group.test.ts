import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { addMember, createGroup, expectError, groupInput, joinGroup, ok, signUp, sql, unique } from '../../test/factories.js';

const CREATE = `mutation ($input: CreateGroupInput!) {
  createGroup(input: $input) {
    id slug name description city timezone visibility joinMode joinQuestion memberCount
    location { lat lng } topics { slug name groupCount } viewerMembership { id role status }
  }
}`;
const UPDATE = `mutation ($id: ID!, $input: UpdateGroupInput!) {
  updateGroup(id: $id, input: $input) { id slug name description city timezone visibility joinMode joinQuestion location { lat lng } topics { slug name } }
}`;
const GROUP = `query ($slug: String!) { group(slug: $slug) { id slug name memberCount topics { slug name groupCount } } }`;
const TOPICS = `query { topics { id slug name groupCount } }`;
const GROUPS = `query ($filter: GroupFilter, $first: Int, $after: String) {
  groups(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id slug memberCount } }
  }
}`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

/** groupCount of each topic slug, as the `topics` query lists them (0 when absent). */
async function topicCounts(...slugs: string[]): Promise<number[]> {
  const list: Array<{ slug: string; groupCount: number }> = ok(await t.gql(TOPICS)).topics;
  return slugs.map((slug) => list.find((topic) => topic.slug === slug)?.groupCount ?? 0);
}

/** Every group in the default order, walking all pages. */
async function allGroups(filter: Record<string, unknown> | null = null) {
  const nodes: Array<{ id: string; slug: string; memberCount: number }> = [];
  let after: string | null = null;
  for (;;) {
    const page: any = ok(await t.gql(GROUPS, { filter, first: 100, after })).groups;
    nodes.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

describe('createGroup', () => {
  it('makes the slug from the name, the creator its active organizer, and stores the group', async () => {
    const alice = await signUp(t, 'Alice');
    const name = `Oslo Hikers & Friends ${unique()}`;
    const input = groupInput({ name, visibility: 'PRIVATE', joinMode: 'APPROVAL', joinQuestion: ' Why hike? ' });
    const group = ok(await t.gql(CREATE, { input }, alice.token)).createGroup;
    expect(group).toMatchObject({
      slug: name.toLowerCase().replace(/ & /, '-').replace(/ /g, '-'),
      name,
      visibility: 'PRIVATE',
      joinMode: 'APPROVAL',
      joinQuestion: 'Why hike?',
      memberCount: 1,
      timezone: 'Europe/Oslo',
      location: { lat: 59.91, lng: 10.75 },
      topics: [],
      viewerMembership: { role: 'ORGANIZER', status: 'ACTIVE' },
    });
    const rows = await sql(t, 'select user_id, role, status, joined_at is not null as joined from memberships where group_id = ?', [group.id]);
    expect(rows).toEqual([{ user_id: alice.id, role: 'ORGANIZER', status: 'ACTIVE', joined: true }]);
    const [row] = await sql(t, 'select member_count, slug from groups where id = ?', [group.id]);
    expect(row).toEqual({ member_count: 1, slug: group.slug });
  });

  it('gives a second group of the same name the slug ending in -2, then -3', async () => {
    const owner = await signUp(t, 'Twin');
    const name = `Book Club ${unique()}`;
    const first = await createGroup(t, owner.token, { name });
    const second = await createGroup(t, owner.token, { name });
    const third = await createGroup(t, owner.token, { name: name.toUpperCase() });
    expect([second.slug, third.slug]).toEqual([`${first.slug}-2`, `${first.slug}-3`]);
  });

  it('gives groups created at once with one name distinct slugs', async () => {
    const owner = await signUp(t, 'Racer');
    const name = `Same Name ${unique()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => t.gql(CREATE, { input: groupInput({ name, topics: [name] }) }, owner.token)));
    const slugs = results.map((res) => ok(res).createGroup.slug).sort();
    const base = name.toLowerCase().replace(/ /g, '-');
    expect(slugs).toEqual([base, `${base}-2`, `${base}-3`, `${base}-4`, `${base}-5`]);
    expect(await topicCounts(base)).toEqual([5]);
  });

  it('creates unknown topics, reuses known ones, and keeps each topic\'s group count exact', async () => {
    const owner = await signUp(t, 'Topical');
    const fresh = `Urban Sketching ${unique()}`;
    const freshSlug = fresh.toLowerCase().replace(/ /g, '-');
    const [hikingBefore] = await topicCounts('hiking');
    const group = ok(
      await t.gql(CREATE, { input: groupInput({ topics: ['Hiking', fresh, `  ${fresh.toUpperCase()} `] }) }, owner.token),
    ).createGroup;
    expect(group.topics.map((topic: any) => topic.slug)).toEqual(['hiking', freshSlug]);
    expect(group.topics[1].name).toBe(fresh);
    expect(await topicCounts('hiking', freshSlug)).toEqual([hikingBefore + 1, 1]);
    await createGroup(t, owner.token, { topics: [fresh] });
    expect(await topicCounts('hiking', freshSlug)).toEqual([hikingBefore + 1, 2]);
    const [{ n }] = await sql(t, 'select count(*)::int as n from topics where slug = ?', [freshSlug]);
    expect(n).toBe(1);
  });

  it('refuses more than ten topics, an unknown time zone and bad fields, writing nothing', async () => {
    const owner = await signUp(t, 'Careful');
    const name = `Refused ${unique()}`;
    const eleven = Array.from({ length: 11 }, (_, i) => `Topic ${i} ${unique()}`);
    expectError(await t.gql(CREATE, { input: groupInput({ name, topics: eleven }) }, owner.token), 'BAD_USER_INPUT', 'input.topics');
    expectError(await t.gql(CREATE, { input: groupInput({ name, timezone: 'Mars/Olympus' }) }, owner.token), 'BAD_USER_INPUT', 'input.timezone');
    expectError(await t.gql(CREATE, { input: groupInput({ name, timezone: 'EST5EDT-nope' }) }, owner.token), 'BAD_USER_INPUT', 'input.timezone');
    expectError(await t.gql(CREATE, { input: groupInput({ name: '' }) }, owner.token), 'BAD_USER_INPUT', 'input.name');
    const badPlace = groupInput({ name, location: { lat: 10, lng: 181 } });
    expectError(await t.gql(CREATE, { input: badPlace }, owner.token), 'BAD_USER_INPUT', 'input.location.lng');
    expect(await sql(t, 'select id from groups where name = ?', [name])).toEqual([]);
    expect(await sql(t, 'select id from topics where slug = ?', [eleven[0].toLowerCase().replace(/ /g, '-')])).toEqual([]);
  });

  it('refuses anonymous callers', async () => {
    const name = `Anonymous ${unique()}`;
    const res = await t.gql(CREATE, { input: groupInput({ name }) });
    expectError(res, 'UNAUTHENTICATED');
    expect(await sql(t, 'select id from groups where name = ?', [name])).toEqual([]);
  });
});

describe('updateGroup', () => {
  it('lets an organizer change the profile and settings; the slug stays', async () => {
    const owner = await signUp(t, 'Updater');
    const group = await createGroup(t, owner.token);
    const input = {
      name: 'Renamed',
      description: 'New words.',
      city: 'Bergen',
      location: { lat: 60.39, lng: 5.32 },
      timezone: 'Europe/Berlin',
      visibility: 'PRIVATE',
      joinMode: 'APPROVAL',
      joinQuestion: 'Who are you?',
    };
    const updated = ok(await t.gql(UPDATE, { id: group.id, input }, owner.token)).updateGroup;
    expect(updated).toEqual({ id: group.id, slug: group.slug, topics: [], ...input });
    const cleared = ok(await t.gql(UPDATE, { id: group.id, input: { joinQuestion: '' } }, owner.token)).updateGroup;
    expect(cleared).toMatchObject({ name: 'Renamed', joinQuestion: null });
    const [row] = await sql(t, 'select name, city, timezone, visibility, join_mode, join_question from groups where id = ?', [group.id]);
    expect(row).toEqual({ name: 'Renamed', city: 'Bergen', timezone: 'Europe/Berlin', visibility: 'PRIVATE', join_mode: 'APPROVAL', join_question: null });
  });

  it('replaces the topics and moves each topic\'s group count', async () => {
    const owner = await signUp(t, 'Retopic');
    const [a, b, c] = ['A', 'B', 'C'].map((x) => `Topic ${x} ${unique()}`);
    const slug = (name: string) => name.toLowerCase().replace(/ /g, '-');
    const group = await createGroup(t, owner.token, { topics: [a, b] });
    expect(await topicCounts(slug(a), slug(b), slug(c))).toEqual([1, 1, 0]);
    const updated = ok(await t.gql(UPDATE, { id: group.id, input: { topics: [c, b] } }, owner.token)).updateGroup;
    expect(updated.topics.map((topic: any) => topic.slug)).toEqual([slug(c), slug(b)]);
    expect(await topicCounts(slug(a), slug(b), slug(c))).toEqual([0, 1, 1]);
    const same = ok(await t.gql(UPDATE, { id: group.id, input: { topics: [b, c] } }, owner.token)).updateGroup;
    expect(same.topics.map((topic: any) => topic.slug)).toEqual([slug(b), slug(c)]);
    expect(await topicCounts(slug(a), slug(b), slug(c))).toEqual([0, 1, 1]);
    ok(await t.gql(UPDATE, { id: group.id, input: { topics: [] } }, owner.token));
    expect(await topicCounts(slug(a), slug(b), slug(c))).toEqual([0, 0, 0]);
    const [row] = await sql(t, 'select topic_names from groups where id = ?', [group.id]);
    expect(row.topic_names).toBe('');
  });

  it('keeps topic counts exact when topic changes of one group race', async () => {
    const owner = await signUp(t, 'Racer');
    const names = Array.from({ length: 4 }, (_, i) => `Race ${i} ${unique()}`);
    const group = await createGroup(t, owner.token, { topics: names.slice(0, 2) });
    const sets = [names.slice(0, 2), names.slice(2), [names[0], names[3]], [names[1]], names];
    const results = await Promise.all([...sets, ...sets].map((topics) => t.gql(UPDATE, { id: group.id, input: { topics } }, owner.token)));
    results.forEach((res) => ok(res));
    const slugs = names.map((name) => name.toLowerCase().replace(/ /g, '-'));
    const links = await sql(t, 'select t.slug from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = ?', [group.id]);
    const linked = new Set(links.map((l) => l.slug));
    expect(await topicCounts(...slugs)).toEqual(slugs.map((slug) => (linked.has(slug) ? 1 : 0)));
  });

  it('refuses event organizers, members and outsiders (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
    const owner = await signUp(t, 'Keeper');
    const group = await createGroup(t, owner.token, { name: `Kept ${unique()}` });
    const eventOrganizer = await addMember(t, owner.token, group.id, 'EVENT_ORGANIZER');
    const member = await addMember(t, owner.token, group.id);
    const outsider = await signUp(t, 'Outsider');
    const change = { id: group.id, input: { name: 'Hijacked' } };
    for (const who of [eventOrganizer, member, outsider]) expectError(await t.gql(UPDATE, change, who.token), 'FORBIDDEN');
    expectError(await t.gql(UPDATE, change), 'UNAUTHENTICATED');
    const [row] = await sql(t, 'select name from groups where id = ?', [group.id]);
    expect(row.name).toBe(group.name);
  });

  it('answers NOT_FOUND for an unknown group and BAD_USER_INPUT for a bad time zone', async () => {
    const owner = await signUp(t, 'Lost');
    const group = await createGroup(t, owner.token);
    const unknown = { id: '00000000-0000-4000-8000-000000000000', input: { name: 'X' } };
    expectError(await t.gql(UPDATE, unknown, owner.token), 'NOT_FOUND');
    expectError(await t.gql(UPDATE, { id: 'not-a-uuid', input: { name: 'X' } }, owner.token), 'NOT_FOUND');
    const badZone = { id: group.id, input: { timezone: 'Nowhere/Atlantis' } };
    expectError(await t.gql(UPDATE, badZone, owner.token), 'BAD_USER_INPUT', 'input.timezone');
  });
});

describe('reading groups and topics', () => {
  it('answers an unknown slug with null and NOT_FOUND', async () => {
    const res = await t.gql(GROUP, { slug: `no-such-group-${unique()}` });
    expect(res.data).toEqual({ group: null });
    expectError(res, 'NOT_FOUND');
  });

  it('lists topics with their group counts, the most used first', async () => {
    const owner = await signUp(t, 'Lister');
    const name = `Listed ${unique()}`;
    await createGroup(t, owner.token, { topics: [name] });
    const topics: Array<{ slug: string; name: string; groupCount: number }> = ok(await t.gql(TOPICS)).topics;
    expect(topics.find((topic) => topic.name === name)).toMatchObject({ groupCount: 1 });
    expect(topics.every((topic) => topic.groupCount > 0)).toBe(true); // starter topics no group carries are not listed
    const counts = topics.map((topic) => topic.groupCount);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const [{ n }] = await sql(t, 'select count(*)::int as n from topics where group_count > 0');
    expect(topics).toHaveLength(Math.min(n, 50));
  });

  it('lists groups without a filter by member count, biggest first', async () => {
    const owner = await signUp(t, 'Counter');
    const big = await createGroup(t, owner.token);
    const middle = await createGroup(t, owner.token);
    for (let i = 0; i < 3; i++) await addMember(t, owner.token, big.id);
    await addMember(t, owner.token, middle.id);
    const list = await allGroups();
    const counts = list.map((g) => g.memberCount);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect(list.find((g) => g.id === big.id)?.memberCount).toBe(4);
    expect(list.findIndex((g) => g.id === big.id)).toBeLessThan(list.findIndex((g) => g.id === middle.id));
    const [{ n }] = await sql(t, 'select count(*)::int as n from groups');
    expect(list).toHaveLength(n);
    expect(new Set(list.map((g) => g.id)).size).toBe(n);
  });

  it('filters groups by a topic slug', async () => {
    const owner = await signUp(t, 'Filter');
    const topic = `Filtered ${unique()}`;
    const topicSlug = topic.toLowerCase().replace(/ /g, '-');
    const small = await createGroup(t, owner.token, { topics: ['Tech', topic] });
    const large = await createGroup(t, owner.token, { topics: [topic] });
    await createGroup(t, owner.token, { topics: ['Tech'] });
    await joinGroup(t, (await signUp(t)).token, large.id);
    const page = ok(await t.gql(GROUPS, { filter: { topic: topicSlug }, first: 10 })).groups;
    expect(page.totalCount).toBe(2);
    expect(page.edges.map((e: any) => e.node.id)).toEqual([large.id, small.id]);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });
});
