import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test/api.js';
import { bulkMembers, contractOperation, createEvent } from '../test/events.js';
import { createGroup, ok, signUp, sql, type TestUser } from '../test/factories.js';
import { countQueries } from '../test/query-counter.js';
import { webDocument } from '../test/web-documents.js';

// No N+1: the SQL statements behind the contract's main pages do not grow with the data.

let t: TestApi;
let viewer: TestUser;
beforeAll(async () => {
  t = await startTestApi({ JOBS_WORK: false }); // no job queue polling or notification fan-out among the statements counted
  viewer = await signUp(t, 'Viewer');
});
afterAll(() => t?.close());

/** A group the viewer organizes, with `events` upcoming and as many past events, `threads` threads, and `attendees` going to each event. */
async function groupOf(size: { events: number; attendees: number; threads: number }) {
  const group = await createGroup(t, viewer.token, { topics: ['Hiking', 'Books', 'Tech'] });
  const people = await bulkMembers(t, group.id, size.attendees);
  for (const [when, sign] of [['upcoming', 1], ['past', -1]] as const) {
    await sql(
      t,
      `insert into events (id, group_id, title, starts_at, ends_at, status, created_by_id, capacity)
       select gen_random_uuid(), ?, ? || ' ' || i, now() + ? * (i + 1) * interval '1 day', now() + ? * (i + 1) * interval '1 day' + interval '2 hours',
              'SCHEDULED', ?, 1000
       from generate_series(1, ?) i`,
      [group.id, when, sign, sign, viewer.id, size.events],
    );
  }
  await sql(
    t,
    `insert into rsvps (id, event_id, user_id, status, guests, seated_at)
     select gen_random_uuid(), e.id, m.user_id, 'GOING', 0, now()
     from events e join memberships m on m.group_id = e.group_id and m.role = 'MEMBER'
     where e.group_id = ?`,
    [group.id],
  );
  await sql(t, `update events set going_count = ?, attendance_version = ? where group_id = ?`, [size.attendees, size.attendees, group.id]);
  await sql(
    t,
    `insert into threads (id, group_id, title, author_id, message_count, last_message_at)
     select gen_random_uuid(), ?, 'Thread ' || i, ?, 0, now() - i * interval '1 minute' from generate_series(1, ?) i`,
    [group.id, viewer.id, size.threads],
  );
  const event = await createEvent(t, viewer.token, group.id, { capacity: 1000 });
  await sql(
    t,
    `insert into rsvps (id, event_id, user_id, status, guests, seated_at)
     select gen_random_uuid(), ?, m.user_id, 'GOING', 0, now() from memberships m where m.group_id = ? and m.role = 'MEMBER'`,
    [event.id, group.id],
  );
  await sql(t, `update events set going_count = ? where id = ?`, [size.attendees, event.id]);
  return { slug: (await sql(t, 'select slug from groups where id = ?', [group.id]))[0].slug as string, eventId: event.id, people };
}

/** The statements one operation costs (the contract's document, or the given one), after checking it succeeded. */
async function statements(operation: string, variables: Record<string, unknown>, document = contractOperation(operation)) {
  const { result, queries, roundTrips } = await countQueries(() => t.gql(document, variables, viewer.token));
  ok(result);
  return { queries, roundTrips, data: result.data! };
}

describe('SQL statements per page', () => {
  it('GroupPage and EventPage cost the same for 5 events and 3 attendees as for 150 and 300', async () => {
    const small = await groupOf({ events: 5, attendees: 3, threads: 2 });
    const large = await groupOf({ events: 150, attendees: 300, threads: 40 }); // 90,000 RSVPs: larger setups outlast the statement timeout on a busy machine

    const groupSmall = await statements('GroupPage', { slug: small.slug });
    const groupLarge = await statements('GroupPage', { slug: large.slug });
    expect(groupLarge.data.group.upcoming.totalCount).toBe(151);
    expect(groupLarge.data.group.upcoming.edges).toHaveLength(10);
    expect(groupLarge.data.group.threads.edges).toHaveLength(10);
    expect(groupLarge.queries.length).toBe(groupSmall.queries.length);

    const eventSmall = await statements('EventPage', { id: small.eventId });
    const eventLarge = await statements('EventPage', { id: large.eventId });
    expect(eventLarge.data.event.attendees.totalCount).toBe(300);
    expect(eventLarge.data.event.attendees.edges).toHaveLength(20);
    expect(eventLarge.queries.length).toBe(eventSmall.queries.length);
    // A small, fixed number: one statement per relation or count, never one per row.
    expect(groupLarge.queries.length).toBeLessThanOrEqual(15);
    expect(eventLarge.queries.length).toBeLessThanOrEqual(15);
    // The reads of one level of the page go to PostgreSQL together (db/batch.ts), and a list's totalCount goes with
    // its page (countOnce): the session, the group or event, then what hangs from it.
    expect(groupLarge.roundTrips).toBeLessThanOrEqual(3);
    expect(eventLarge.roundTrips).toBeLessThanOrEqual(3);
  });

  it("the web client's own EventPage and GroupPage documents (fragments, covers, series) batch their reads too", async () => {
    const small = await groupOf({ events: 5, attendees: 3, threads: 2 });
    const large = await groupOf({ events: 150, attendees: 300, threads: 40 });
    for (const [name, vars] of [['GroupPage', (g: typeof small) => ({ slug: g.slug })], ['EventPage', (g: typeof small) => ({ id: g.eventId })]] as const) {
      await statements(name, vars(small), webDocument(name)); // a statement joins batches once its column types are known
      const few = await statements(name, vars(small), webDocument(name));
      const many = await statements(name, vars(large), webDocument(name));
      expect(many.queries.length).toBe(few.queries.length);
      expect(many.roundTrips).toBe(few.roundTrips);
      expect(many.roundTrips).toBeLessThan(many.queries.length);
    }
  });

  it('ExploreGroups costs the same for 5 results as for 50', async () => {
    for (let i = 0; i < 50; i++) await createGroup(t, viewer.token, { topics: ['Hiking', `Topic ${i % 7}`] });
    const five = await statements('ExploreGroups', { first: 5 });
    const fifty = await statements('ExploreGroups', { first: 50 });
    expect(fifty.data.groups.edges).toHaveLength(50);
    expect(fifty.data.groups.edges.every((e: { node: { topics: unknown[] } }) => e.node.topics.length > 0)).toBe(true);
    expect(fifty.queries.length).toBe(five.queries.length);
    expect(fifty.roundTrips).toBeLessThanOrEqual(3);
  });
});
