import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config.js';
import { verifyPassword } from '../../modules/user/password.js';
import { startApi, type RunningApi } from '../../server/app.js';
import { freshDatabase } from '../../test/database.js';
import type { Database } from '../database.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from './community.js';
import { DatabaseNotEmptyError, seedDemoData, seedIfEmpty, type SeedSummary } from './seed.js';

const NOW = new Date('2026-11-20T12:00:00Z');

let db: Database;
let config: Config;
let summary: SeedSummary;
beforeAll(async () => {
  ({ db, config } = await freshDatabase());
  summary = await seedDemoData(db.orm, { scale: 1, seed: 7, passwordLogN: 10, now: NOW });
});
afterAll(() => db?.close());

const query = <T = Record<string, any>>(sql: string, params: unknown[] = []): Promise<T[]> => db.orm.em.fork().execute(sql, params);
const one = async (sql: string, params: unknown[] = []) => (await query(sql, params))[0];
/** Rows that break an invariant; the test expects none. */
const violations = (sql: string) => query(sql);

describe('demo data (scale 1)', () => {
  it('is quick and of the promised size', async () => {
    console.log('seed scale 1:', JSON.stringify(summary));
    expect(summary.ms).toBeLessThan(15_000); // about 10 s is the goal on the embedded database
    expect(summary).toMatchObject({ users: 1000, groups: 60 });
    const counts = await one(`select (select count(*) from users)::int as users, (select count(*) from groups)::int as groups,
      (select count(*) from events)::int as events, (select count(*) from rsvps)::int as rsvps, (select count(*) from messages)::int as messages`);
    expect(counts).toMatchObject({ users: summary.users, groups: summary.groups, events: summary.events, rsvps: summary.rsvps, messages: summary.messages });
  });

  it('spreads groups over twelve cities with their time zones and over all twenty starter topics', async () => {
    const cities = await query(`select city, timezone, count(*)::int as n from groups group by city, timezone`);
    expect(cities.map((c) => c.n)).toEqual(Array(12).fill(5));
    expect(cities.map((c) => `${c.city} ${c.timezone}`).sort()).toEqual([
      'Bangalore Asia/Kolkata', 'Berlin Europe/Berlin', 'London Europe/London', 'Mexico City America/Mexico_City',
      'Nairobi Africa/Nairobi', 'New York America/New_York', 'Oslo Europe/Oslo', 'San Francisco America/Los_Angeles',
      'São Paulo America/Sao_Paulo', 'Sydney Australia/Sydney', 'Tokyo Asia/Tokyo', 'Toronto America/Toronto',
    ].sort());
    expect((await one(`select count(distinct topic_id)::int as n from group_topics`)).n).toBe(20);
    expect(await violations(`select slug from groups where length(description) < 80 or description !~ '\\. .*\\.'`)).toEqual([]);
  });

  it('keeps member counts, topic counts and topic names exact, and every group has an organizer', async () => {
    expect(await violations(`select g.slug from groups g where g.member_count <> (select count(*) from memberships m where m.group_id = g.id and m.status = 'ACTIVE')`)).toEqual([]);
    expect(await violations(`select t.slug from topics t where t.group_count <> (select count(*) from group_topics gt where gt.topic_id = t.id)`)).toEqual([]);
    expect(await violations(`select g.slug from groups g where g.topic_names <> (select string_agg(t.name, ' ' order by gt.position) from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = g.id)`)).toEqual([]);
    expect(await violations(`select g.slug from groups g where not exists (select 1 from memberships m where m.group_id = g.id and m.role = 'ORGANIZER' and m.status = 'ACTIVE')`)).toEqual([]);
    const statuses = await query(`select status, count(*)::int as n from memberships group by status`);
    expect(statuses.map((s) => s.status).sort()).toEqual(expect.arrayContaining(['ACTIVE', 'PENDING']));
    expect((await one(`select count(*)::int as n from groups where visibility = 'PRIVATE'`)).n).toBeGreaterThan(0);
  });

  it('keeps attendance counts equal to the RSVP rows, with full events and waitlists', async () => {
    expect(await violations(`select e.id from events e where
        e.going_count <> coalesce((select sum(1 + r.guests) from rsvps r where r.event_id = e.id and r.status = 'GOING'), 0)
        or e.waitlist_count <> (select count(*) from rsvps r where r.event_id = e.id and r.status = 'WAITLISTED')
        or e.attendance_version < (select count(*) from rsvps r where r.event_id = e.id)
        or e.going_count > coalesce(e.capacity, e.going_count)`)).toEqual([]);
    expect(await violations(`select r.id from rsvps r join events e on e.id = r.event_id where r.guests > e.guest_limit
        or not exists (select 1 from memberships m where m.group_id = e.group_id and m.user_id = r.user_id and m.status = 'ACTIVE')`)).toEqual([]);
    const shape = await one(`select count(*) filter (where waitlist_count > 0 and capacity is not null)::int as full_with_waitlist,
        count(*) filter (where starts_at > ?)::int as upcoming, count(*) filter (where ends_at < ?)::int as past,
        count(*) filter (where status = 'CANCELLED')::int as cancelled, count(*) filter (where venue_id is null)::int as online from events`, [NOW, NOW]);
    expect(shape.full_with_waitlist).toBeGreaterThan(10);
    expect(shape.upcoming).toBeGreaterThan(60);
    expect(shape.past).toBeGreaterThan(100);
    expect(shape.cancelled).toBeGreaterThan(0);
    expect(shape.online).toBeGreaterThan(0);
    // An event's venue is one of its own group's; its creator hosts it.
    expect(await violations(`select e.id from events e left join venues v on v.id = e.venue_id where (e.venue_id is not null and v.group_id <> e.group_id)
        or (e.venue_id is null and e.online_url is null) or not exists (select 1 from event_hosts h where h.event_id = e.id and h.user_id = e.created_by_id)`)).toEqual([]);
    expect(await violations(`select id from rsvps where attended and status <> 'GOING'`)).toEqual([]);
  });

  it('gives every event its own thread, and groups discussions, with exact message counts', async () => {
    expect(await violations(`select e.id from events e where (select count(*) from threads t where t.event_id = e.id) <> 1`)).toEqual([]);
    expect(await violations(`select t.id from threads t join events e on e.id = t.event_id where t.group_id <> e.group_id`)).toEqual([]);
    expect(await violations(`select t.id from threads t where t.message_count <> (select count(*) from messages m where m.thread_id = t.id)
        or t.last_message_at is distinct from (select max(created_at) from messages m where m.thread_id = t.id)`)).toEqual([]);
    const discussions = await one(`select count(*)::int as n, coalesce(sum(message_count), 0)::int as messages from threads where event_id is null`);
    expect(discussions.n).toBeGreaterThanOrEqual(60);
    expect(discussions.messages).toBeGreaterThan(discussions.n);
    expect(await query(`select id from messages where created_at > ? union all select id from rsvps where created_at > ?`, [NOW, NOW])).toEqual([]);
  });

  it('has a demo account that organizes groups, and the API serves the data', async () => {
    const demo = await one(`select id, password_hash from users where email = ?`, [DEMO_EMAIL]);
    expect(await verifyPassword(DEMO_PASSWORD, demo.password_hash)).toBe(true);
    const organizes = await one(`select count(*)::int as n from memberships where user_id = ? and role = 'ORGANIZER' and status = 'ACTIVE'`, [demo.id]);
    expect(organizes.n).toBeGreaterThanOrEqual(2);
    expect((await one(`select count(*)::int as n from rsvps r join events e on e.id = r.event_id where r.user_id = ? and e.starts_at > ?`, [demo.id, NOW])).n).toBeGreaterThan(0);
    // The bell has something to show: requests to its groups, new events, replies; some unread.
    const bell = await query(`select kind, read_at from notifications where user_id = ? and in_app`, [demo.id]);
    expect([...new Set(bell.map((n) => n.kind))]).toEqual(expect.arrayContaining(['EVENT_CREATED', 'THREAD_REPLY']));
    expect(bell.filter((n) => n.read_at === null).length).toBeGreaterThan(0);
    // Upcoming events have their 24-hour reminders waiting on the job queue, one each.
    const reminders = await one(`select count(*)::int as n, count(distinct singleton_key)::int as d from pgboss.job where name = 'event-reminder' and state = 'created'`);
    const upcoming = await one(`select count(*)::int as n from events where status = 'SCHEDULED' and starts_at > now() + interval '1 day'`);
    expect(reminders).toEqual({ n: upcoming.n, d: upcoming.n });
    expect(upcoming.n).toBeGreaterThan(0);
    // Every account shares one hash (hashed once, for speed).
    expect((await one(`select count(distinct password_hash)::int as n from users`)).n).toBe(1);

    const api: RunningApi = await startApi(config, { db });
    try {
      const gql = async (q: string, variables: Record<string, unknown> = {}) =>
        (await (await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q, variables }) })).json()) as any;
      const login = await gql(`mutation ($input: LogInInput!) { logIn(input: $input) { user { email } } }`, { input: { email: DEMO_EMAIL, password: DEMO_PASSWORD } });
      expect(login.errors).toBeUndefined();
      expect(login.data.logIn.user.email).toBe(DEMO_EMAIL);
      const groups = await gql(`{ groups(filter: { near: { lat: 59.9139, lng: 10.7522, radiusKm: 30 } }) { totalCount edges { node { city } } } }`);
      expect(groups.data.groups.totalCount).toBe(5);
      expect(new Set(groups.data.groups.edges.map((e: any) => e.node.city))).toEqual(new Set(['Oslo']));
    } finally {
      await api.close();
    }
  });
});

describe('demo data seeding', () => {
  let other: Database;
  beforeAll(async () => {
    ({ db: other } = await freshDatabase());
  });
  afterAll(() => other?.close());

  const snapshot = async (d: Database) => {
    const rows = async (sql: string) => (await d.orm.em.fork().execute(sql)).map((r: Record<string, unknown>) => Object.values(r).join('|'));
    return {
      groups: await rows(`select slug, name, city, member_count from groups order by slug`),
      events: await rows(`select id, title, going_count, waitlist_count from events order by id`),
      users: await rows(`select email, name from users order by email`),
    };
  };

  it('makes the same data from the same seed, and other data from another', async () => {
    await seedDemoData(other.orm, { scale: 0.2, seed: 99, passwordLogN: 10, now: NOW });
    const first = await snapshot(other);
    expect(first.groups).toHaveLength(12);
    await seedDemoData(other.orm, { scale: 0.2, seed: 99, passwordLogN: 10, now: NOW, force: true });
    expect(await snapshot(other)).toEqual(first);
    await seedDemoData(other.orm, { scale: 0.2, seed: 100, passwordLogN: 10, now: NOW, force: true });
    const different = await snapshot(other);
    expect(different.groups).toHaveLength(12);
    expect(different.groups).not.toEqual(first.groups);
  });

  it('refuses a database that has data, unless forced; first start seeds only an empty embedded one', async () => {
    await expect(seedDemoData(other.orm, { scale: 0.1, passwordLogN: 10 })).rejects.toThrow(DatabaseNotEmptyError);
    expect(await seedIfEmpty(other, { SEED_DEMO_DATA: true, PASSWORD_SCRYPT_LOG_N: 10 })).toBe(false);
    const { db: empty } = await freshDatabase();
    try {
      expect(await seedIfEmpty(empty, { SEED_DEMO_DATA: false, PASSWORD_SCRYPT_LOG_N: 10 })).toBe(false);
      // Only the embedded database gets demo data; a server at DATABASE_URL is never touched.
      expect(await seedIfEmpty(empty, { SEED_DEMO_DATA: true, PASSWORD_SCRYPT_LOG_N: 10 })).toBe(empty.embedded);
      const [{ n }] = await empty.orm.em.fork().execute(`select count(*)::int as n from groups`);
      expect(n).toBe(empty.embedded ? 60 : 0);
    } finally {
      await empty.close();
    }
  });
});
