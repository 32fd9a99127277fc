import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation } from '../../test/events.js';
import { createGroup, expectError, ok, signUp, sql, unique } from '../../test/factories.js';

// Topics grow like tags, so one account must not be able to flood them (docs/ARCHITECTURE.md, "Limits").

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ RATE_LIMIT_NEW_TOPICS_PER_USER: { points: 12, seconds: 86_400 } });
});
afterAll(() => t?.close());

const UPDATE = 'mutation ($id: ID!, $topics: [String!]) { updateGroup(id: $id, input: { topics: $topics }) { id topics { slug } } }';
const TOPICS = 'query ($first: Int) { topics(first: $first) { slug name groupCount } }';
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('topics cannot be flooded', () => {
  it('a user creates at most their daily allowance of new topics; reusing existing ones is free', async () => {
    const flooder = await signUp(t, 'Flooder');
    const tag = unique();
    const group = await createGroup(t, flooder.token, { topics: names(`a${tag}`, 10) });
    ok(await t.gql(UPDATE, { id: group.id, topics: names(`b${tag}`, 2) }, flooder.token)); // 12 new topics in all
    const refused = await t.gql(UPDATE, { id: group.id, topics: names(`c${tag}`, 1) }, flooder.token);
    expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(refused.errors?.[0].message).toMatch(/too many new topics/);
    // Nothing of the refused change was written: the group keeps its topics and no topic was created.
    const [{ n }] = await sql<{ n: number }>(t, 'select count(*)::int as n from topics where slug like ?', [`c${tag}%`]);
    expect(n).toBe(0);
    const kept = ok(await t.gql(contractOperation('GroupPage'), { slug: group.slug })).group.topics.map((x: { slug: string }) => x.slug);
    expect(kept).toEqual(names(`b${tag}`, 2).map((s) => s.replace(' ', '-')));
    // Topics that already exist cost nothing, and someone else's allowance is their own.
    ok(await t.gql(UPDATE, { id: group.id, topics: names(`a${tag}`, 10) }, flooder.token));
    const other = await signUp(t, 'Other');
    await createGroup(t, other.token, { topics: names(`c${tag}`, 1) });
  });

  it('topic names are short', async () => {
    const user = await signUp(t, 'Namer');
    const group = await createGroup(t, user.token);
    expectError(await t.gql(UPDATE, { id: group.id, topics: ['x'.repeat(41)] }, user.token), 'BAD_USER_INPUT', 'input.topics');
    ok(await t.gql(UPDATE, { id: group.id, topics: ['y'.repeat(40)] }, user.token));
  });

  it('`topics` is bounded, most used first, and hides topics no group uses', async () => {
    const user = await signUp(t, 'Lister');
    const tag = unique();
    const popular = `p${tag}`;
    for (let i = 0; i < 3; i++) await createGroup(t, (await signUp(t, 'Fan')).token, { topics: [popular] });
    const lonely = await createGroup(t, user.token, { topics: [`l${tag}`] });
    ok(await t.gql(UPDATE, { id: lonely.id, topics: [] }, user.token)); // no group uses it any more

    const all = ok(await t.gql(TOPICS, { first: 100 })).topics as Array<{ slug: string; groupCount: number }>;
    expect(all.length).toBeLessThanOrEqual(100);
    expect(all.map((x) => x.slug)).toContain(popular);
    expect(all.map((x) => x.slug)).not.toContain(`l${tag}`);
    expect(all.every((x) => x.groupCount > 0)).toBe(true);
    const counts = all.map((x) => x.groupCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const byDefault = ok(await t.gql(contractOperation('Topics'))).topics;
    expect(byDefault.length).toBeLessThanOrEqual(50);
    expect(ok(await t.gql(TOPICS, { first: 2 })).topics).toHaveLength(2);
    expectError(await t.gql(TOPICS, { first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(TOPICS, { first: -1 }), 'BAD_USER_INPUT', 'first');
  });

  it('the explore page\'s list stays bounded however many topics exist', async () => {
    // 150 topics in use, put straight into the database (the allowance above keeps one account from doing it).
    const tag = unique();
    await sql(t, `insert into topics (id, slug, name, group_count) select gen_random_uuid(), 'bulk-${tag}-' || i, 'Bulk ${tag} ' || i, 1 from generate_series(1, 150) i`);
    const byDefault = ok(await t.gql(contractOperation('Topics'))).topics;
    expect(byDefault).toHaveLength(50);
    const text = JSON.stringify(ok(await t.gql(TOPICS, { first: 100 })));
    expect(text.length).toBeLessThan(20_000);
  });
});
