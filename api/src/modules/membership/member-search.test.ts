import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, createEvent, eventWithOrganizer, hoursFromNow, rsvp } from '../../test/events.js';
import { addMember, createGroup, expectError, joinGroup, ok, signUp } from '../../test/factories.js';
import { countQueries } from '../../test/query-counter.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const MEMBERS = `query ($slug: String!, $search: String, $first: Int, $after: String) {
  group(slug: $slug) { members(search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { role user { name } } } } }
}`;
const PENDING = `query ($slug: String!) { group(slug: $slug) { pendingRequestCount } me { pendingRequestCount } }`;

describe('Group.members(search)', () => {
  it('finds people by part of their name, any case, paged, with their roles', async () => {
    const organizer = await signUp(t, 'Olivia Organizer');
    const group = await createGroup(t, organizer.token);
    for (const name of ['Anna Berg', 'Hanna Lie', 'Johan Berg', 'Per 100%']) {
      const person = await signUp(t, name);
      await joinGroup(t, person.token, group.id);
    }
    const page1 = ok(await t.gql(MEMBERS, { slug: group.slug, search: 'ANNA', first: 1 })).group.members;
    expect(page1.totalCount).toBe(2);
    expect(page1.edges.map((e: any) => e.node.user.name)).toEqual(['Anna Berg']);
    const page2 = ok(await t.gql(MEMBERS, { slug: group.slug, search: 'ANNA', first: 1, after: page1.pageInfo.endCursor })).group.members;
    expect(page2.edges.map((e: any) => e.node.user.name)).toEqual(['Hanna Lie']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const bergs = ok(await t.gql(MEMBERS, { slug: group.slug, search: ' berg ' })).group.members;
    expect(bergs.edges.map((e: any) => [e.node.user.name, e.node.role])).toEqual([['Anna Berg', 'MEMBER'], ['Johan Berg', 'MEMBER']]);
    expect(ok(await t.gql(MEMBERS, { slug: group.slug, search: 'olivia' })).group.members.edges[0].node.role).toBe('ORGANIZER');
    // % is a letter, not a wildcard.
    expect(ok(await t.gql(MEMBERS, { slug: group.slug, search: '%' })).group.members.totalCount).toBe(1);
    expectError(await t.gql(MEMBERS, { slug: group.slug, search: 'x', after: 'bogus' }), 'BAD_USER_INPUT', 'after');
  });

  it('shows a private group\'s members to its members only', async () => {
    const organizer = await signUp(t, 'Private Organizer');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const stranger = await signUp(t, 'Stranger');
    expect(ok(await t.gql(MEMBERS, { slug: group.slug, search: 'private' }, stranger.token)).group.members.totalCount).toBe(0);
    expect(ok(await t.gql(MEMBERS, { slug: group.slug, search: 'private' }, organizer.token)).group.members.totalCount).toBe(1);
  });
});

describe('pendingRequestCount', () => {
  it('counts requests waiting for organizers, per group and across the groups they organize; null for others', async () => {
    const organizer = await signUp(t, 'Busy Organizer');
    const a = await createGroup(t, organizer.token, { joinMode: 'APPROVAL' });
    const b = await createGroup(t, organizer.token, { joinMode: 'APPROVAL' });
    for (const g of [a, a, b]) await joinGroup(t, (await signUp(t, 'Asker')).token, g.id, 'hi');
    const member = await addMember(t, organizer.token, (await createGroup(t, organizer.token)).id);
    expect(ok(await t.gql(PENDING, { slug: a.slug }, organizer.token))).toEqual({ group: { pendingRequestCount: 2 }, me: { pendingRequestCount: 3 } });
    expect(ok(await t.gql(PENDING, { slug: a.slug }, member.token))).toEqual({ group: { pendingRequestCount: null }, me: { pendingRequestCount: 0 } });
  });
});

describe('Event.attendedCount', () => {
  it('counts checked-in people, for a list of past events in one query', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { startsAt: hoursFromNow(-1), endsAt: hoursFromNow(1) });
    const [x, y] = [await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id)];
    const mark = contractOperation('MarkAttended');
    for (const p of [x, y]) {
      const id = ok(await rsvp(t, p.token, event.id, 'YES')).rsvp.id;
      if (p === x) ok(await t.gql(mark, { rsvpId: id, attended: true }, organizer.token));
    }
    await createEvent(t, organizer.token, group.id, { startsAt: hoursFromNow(2) });
    const query = `query ($slug: String!) { group(slug: $slug) { events(first: 20) { edges { node { id attendedCount } } } } }`;
    const { result, queries } = await countQueries(() => t.gql(query, { slug: group.slug }));
    expect(ok(result).group.events.edges.map((e: any) => e.node.attendedCount)).toEqual([1, 0]);
    expect(queries.filter((q) => q.includes('attended')).length).toBe(1);
  });
});
