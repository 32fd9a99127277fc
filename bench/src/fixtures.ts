import { createHash } from 'node:crypto';
import type pg from 'pg';
import { tokenOf } from './dataset/generate.js';

/** A benchmark user with the session token the generator gave them. */
export interface BenchUser {
  index: number;
  id: string;
  name: string;
  token: string;
  tokenHash: string;
}

/** What the scenarios ask for, picked from the dataset: the popular event, group and people. */
export interface Fixtures {
  /** The upcoming event with the most people going, in a public group, and one of them as the viewer. */
  eventPage: { eventId: string; viewer: BenchUser };
  /** The group with the most members, and a plain member of it as the viewer. */
  groupPage: { slug: string; groupId: string; viewer: BenchUser };
  /** Words and a place: the popular group's first topic, within 50 km of it. */
  explore: { search: string; near: { lat: number; lng: number; radiusKm: number }; first: number };
  /** Active members of the most popular group, oldest first (they answer, watch and chat). */
  hotGroup: { id: string; organizer: BenchUser; members: BenchUser[] };
  /** Pairs of an upcoming event and an active member of its group, over many events and groups. */
  spread: Array<{ eventId: string; user: BenchUser }>;
}

const userFrom = (row: { email: string; id: string; name: string }): BenchUser => {
  const index = Number(/^user(\d+)@bench\.test$/.exec(row.email)?.[1]);
  const token = tokenOf(index);
  return { index, id: row.id, name: row.name, token, tokenHash: createHash('sha256').update(token).digest('hex') };
};

export async function loadFixtures(pool: pg.Pool, need: { members: number; spreadEvents: number }): Promise<Fixtures> {
  const hot = (
    await pool.query(`select e.id from events e join groups g on g.id = e.group_id
      where g.visibility = 'PUBLIC' and e.status = 'SCHEDULED' and e.starts_at > now() and e.title not like 'Bench %'
      order by e.going_count desc, e.id limit 1`)
  ).rows[0];
  const eventViewer = (
    await pool.query(
      `select u.id, u.email, u.name from rsvps r join users u on u.id = r.user_id where r.event_id = $1 and r.status = 'GOING'
       order by r.seated_at, r.id limit 1 offset 5`,
      [hot.id],
    )
  ).rows[0];
  const group = (
    await pool.query(`select g.id, g.slug, g.lat, g.lng, t.name as topic from groups g
      join group_topics gt on gt.group_id = g.id and gt.position = 0 join topics t on t.id = gt.topic_id
      where g.visibility = 'PUBLIC' order by g.member_count desc, g.id limit 1`)
  ).rows[0];
  const members = (
    await pool.query(
      `select u.id, u.email, u.name, m.role from memberships m join users u on u.id = m.user_id
       where m.group_id = $1 and m.status = 'ACTIVE' order by m.created_at, m.id limit $2`,
      [group.id, need.members + 1],
    )
  ).rows;
  const organizer = members.find((m) => m.role === 'ORGANIZER');
  const spread = (
    await pool.query(
      `select e.id as event_id, u.id, u.email, u.name from (
         select e.id, e.group_id from events e join groups g on g.id = e.group_id
         where g.visibility = 'PUBLIC' and e.status = 'SCHEDULED' and e.starts_at > now() + interval '1 day' and e.group_id <> $1
         order by e.id limit $2) e
       cross join lateral (select m.user_id from memberships m where m.group_id = e.group_id and m.status = 'ACTIVE'
                           order by m.created_at desc, m.id limit 4) m
       join users u on u.id = m.user_id order by e.id, u.id`,
      [group.id, need.spreadEvents],
    )
  ).rows;
  return {
    eventPage: { eventId: hot.id, viewer: userFrom(eventViewer) },
    groupPage: { slug: group.slug, groupId: group.id, viewer: userFrom(members.find((m) => m.role === 'MEMBER') ?? members[0]) },
    explore: { search: group.topic, near: { lat: group.lat, lng: group.lng, radiusKm: 50 }, first: 20 },
    hotGroup: { id: group.id, organizer: userFrom(organizer), members: members.filter((m) => m !== organizer).map(userFrom) },
    spread: spread.map((row) => ({ eventId: row.event_id, user: userFrom(row) })),
  };
}

/**
 * A new upcoming event in the popular group, with no answers yet (and, as every event has, a host and a thread),
 * so each RSVP or fan-out measurement starts from the same state. Returns its id and its thread's id.
 */
export async function createBenchEvent(
  pool: pg.Pool,
  fixtures: Fixtures,
  options: { title: string; capacity: number | null; guestLimit: number },
): Promise<{ eventId: string; threadId: string }> {
  const organizer = fixtures.hotGroup.organizer.id;
  const { rows } = await pool.query(
    `with e as (
       insert into events (id, group_id, title, description, starts_at, ends_at, capacity, guest_limit, status, created_by_id)
       values (gen_random_uuid(), $1, $2, 'Made by the benchmark.', now() + interval '7 days', now() + interval '7 days 2 hours', $3, $4, 'SCHEDULED', $5)
       returning id, group_id, title, created_by_id),
     h as (insert into event_hosts (event_id, user_id) select id, created_by_id from e),
     t as (insert into threads (id, group_id, event_id, title, author_id) select gen_random_uuid(), group_id, id, title, created_by_id from e returning id)
     select e.id as event_id, t.id as thread_id from e, t`,
    [fixtures.hotGroup.id, options.title, options.capacity, options.guestLimit, organizer],
  );
  return { eventId: rows[0].event_id, threadId: rows[0].thread_id };
}
