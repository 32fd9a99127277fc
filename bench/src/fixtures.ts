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
  /** What the page scenarios cycle through: many events, groups and searches, a few hot ones first (see mix below). */
  mix: PageMix;
}

/**
 * The pages users open, many of each: public events (the hottest first, then random ones with at least 20 going),
 * public groups (the largest first, then random ones), and searches (a topic of a group, near that group, at
 * several radii). Each item has a signed-in viewer: a member of the group (for half the events, someone going).
 */
export interface PageMix {
  events: Array<{ eventId: string; viewer: BenchUser }>;
  groups: Array<{ slug: string; viewer: BenchUser }>;
  searches: Array<{ search: string; near: { lat: number; lng: number; radiusKm: number }; first: number; viewer: BenchUser }>;
}

/** How many items of each kind the mix holds, and how many of them are the hottest / largest. */
export const MIX_SIZE = 200;
export const MIX_HOT = 5;
const RADII_KM = [10, 25, 50, 100];

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
    mix: await loadMix(pool),
    eventPage: { eventId: hot.id, viewer: userFrom(eventViewer) },
    groupPage: { slug: group.slug, groupId: group.id, viewer: userFrom(members.find((m) => m.role === 'MEMBER') ?? members[0]) },
    explore: { search: group.topic, near: { lat: group.lat, lng: group.lng, radiusKm: 50 }, first: 20 },
    hotGroup: { id: group.id, organizer: userFrom(organizer), members: members.filter((m) => m !== organizer).map(userFrom) },
    spread: spread.map((row) => ({ eventId: row.event_id, user: userFrom(row) })),
  };
}

/** The page mix (PageMix): deterministic (ordered by hashes of ids), so every run and every target gets the same one. */
async function loadMix(pool: pg.Pool): Promise<PageMix> {
  // A member of the group picked by a hash of `key`, among its 500 newest (an index walk, not a sort of every member).
  const memberOf = (group: string, key: string) => `(select m.user_id from memberships m where m.group_id = ${group} and m.status = 'ACTIVE'
      order by m.created_at desc, m.id desc
      offset abs(hashtext(${key}::text)) % least(500, greatest(1, (select c.member_count from groups c where c.id = ${group}))) limit 1)`;
  const anyMemberOf = (group: string, key: string) =>
    `coalesce(${memberOf(group, key)}, (select m.user_id from memberships m where m.group_id = ${group} and m.status = 'ACTIVE'
      order by m.created_at desc, m.id desc limit 1))`;
  const events = (
    await pool.query(
      `with pub as (
         select e.id, e.group_id, e.going_count, e.starts_at, e.status from events e join groups g on g.id = e.group_id
         where g.visibility = 'PUBLIC' and e.title not like 'Bench %'),
       hot as (select id, group_id, 0 as rank, going_count as k from pub where status = 'SCHEDULED' and starts_at > now() order by going_count desc, id limit $1),
       rest as (select id, group_id, 1 as rank, 0 as k from pub where id not in (select id from hot)
                order by (going_count >= 20) desc, md5(id::text) limit $2 - (select count(*) from hot)),
       picked as (select *, row_number() over (order by rank, k desc, md5(id::text)) as n from (select * from hot union all select * from rest) x)
       select p.id as event_id, u.id, u.email, u.name from picked p
       cross join lateral (select case (p.n - 1) % 4
           when 0 then (select r.user_id from rsvps r where r.event_id = p.id and r.status = 'GOING' order by r.seated_at, r.id
                        offset abs(hashtext(p.id::text)) % 20 limit 1)
           when 2 then (select r.user_id from rsvps r where r.event_id = p.id and r.status = 'WAITLISTED' order by r.waitlisted_at, r.id
                        offset abs(hashtext(p.id::text)) % 5 limit 1) end as answered) a
       join users u on u.id = coalesce(a.answered, ${anyMemberOf('p.group_id', 'p.id')})
       order by p.n`,
      [MIX_HOT, MIX_SIZE],
    )
  ).rows;
  const groups = (
    await pool.query(
      `with pub as (select id, slug, member_count from groups where visibility = 'PUBLIC' and member_count > 0),
       hot as (select id, slug, 0 as rank, member_count as k from pub order by member_count desc, id limit $1),
       rest as (select id, slug, 1 as rank, 0 as k from pub where id not in (select id from hot) order by md5(id::text) limit $2 - (select count(*) from hot)),
       picked as (select *, row_number() over (order by rank, k desc, md5(id::text)) as n from (select * from hot union all select * from rest) x)
       select p.slug, u.id, u.email, u.name from picked p
       join users u on u.id = case when (p.n - 1) % 4 = 2
         then (select x.id from users x order by x.id offset abs(hashtext(p.slug)) % 500 limit 1)
         else ${anyMemberOf('p.id', 'p.id')} end
       order by p.n`,
      [MIX_HOT, MIX_SIZE],
    )
  ).rows;
  // Searches: a topic of a group (any of its topics) or, every other time, a word of its name (not a stop word), near
  // that group (moved by up to ~5 km), at one of several radii (each group and topic at every radius, so that a small
  // dataset still has many searches).
  const searches = (
    await pool.query(
      `select s.*, u.id, u.email, u.name from (
         select case when k % 2 = 1 and numnode(websearch_to_tsquery('english', w.word)) > 0 then w.word else t.name end as search,
                g.id as group_id, g.slug, k,
                g.lat + ((abs(hashtext(concat(g.id, ':', gt.position, ':', k))) % 1000) / 1000.0 - 0.5) * 0.09 as lat,
                g.lng + ((abs(hashtext(concat(k, ':', gt.position, ':', g.id))) % 1000) / 1000.0 - 0.5) * 0.09 as lng,
                md5(concat(g.id, ':', gt.position, ':', k)) as h
         from groups g join group_topics gt on gt.group_id = g.id join topics t on t.id = gt.topic_id
         cross join generate_series(0, ${RADII_KM.length - 1}) k
         cross join lateral (select (string_to_array(g.name, ' '))[1 + abs(hashtext(concat(g.id, ':', gt.position, ':', k)))
                               % cardinality(string_to_array(g.name, ' '))] as word) w
         where g.visibility = 'PUBLIC' and g.member_count > 0
         order by h limit $1) s
       join users u on u.id = ${anyMemberOf('s.group_id', "concat(s.slug, ':', s.k)")}
       order by s.h`,
      [MIX_SIZE],
    )
  ).rows;
  return {
    events: events.map((row) => ({ eventId: row.event_id, viewer: userFrom(row) })),
    groups: groups.map((row) => ({ slug: row.slug, viewer: userFrom(row) })),
    searches: searches.map((row) => ({
      search: row.search,
      near: { lat: Number(row.lat), lng: Number(row.lng), radiusKm: RADII_KM[Number(row.k)] },
      first: 20,
      viewer: userFrom(row),
    })),
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
