import { scryptSync } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { Catalog } from '../api-bridge.js';
import type { DatasetSize } from '../options.js';
import { makeGroups } from './groups.js';

/** The password of every benchmark user (its hash is shared; nobody logs in during the bench, tokens are inserted). */
export const BENCH_PASSWORD = 'bench-password';
/** The session token of user i (1-based): sessions are inserted with its SHA-256, as the API stores them. */
export const tokenOf = (user: number) => `bench-token-${user}`;

/** Finds `factor` so that sum(f(factor)) comes to `target`, by bisection (f grows with factor). */
async function calibrate(client: PoolClient, sumSql: string, target: number): Promise<number> {
  let low = 0;
  let high = 1;
  const sum = async (factor: number) => Number((await client.query(sumSql, [factor])).rows[0].n);
  while ((await sum(high)) < target && high < 1e12) high *= 2;
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if ((await sum(mid)) < target) low = mid;
    else high = mid;
  }
  return high;
}

function passwordHash(): string {
  const salt = Buffer.from('gather-bench-salt');
  const key = scryptSync(BENCH_PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$10$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Fills a freshly migrated database with set-based SQL (generate_series; no row-by-row inserts): users, groups
 * with Zipf-like sizes, memberships, venues, events whose RSVP counts follow a heavy tail, RSVPs that obey the
 * attendance rules, event chats and discussions with skewed message counts, and a session per user. Every
 * denormalized count is computed from the rows. `log` hears each step and its time.
 */
export async function generate(client: PoolClient, catalog: Catalog, size: DatasetSize, seed: number, log: (msg: string) => void) {
  const U = size.users;
  const salt = (n: number) => seed * 100 + n;
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const started = Date.now();
    const result = await client.query(sql, params);
    log(`  ${what}: ${result.rowCount ?? 0} rows, ${Date.now() - started} ms`);
    return result;
  };
  const { groups, venues } = makeGroups(catalog, size, seed);
  const userOf = (k: string) => `bench.id('user', 1 + ((g.start + (${k}) * g.stride) % ${U}))`;

  await client.query(`
    set session_replication_role = replica; -- consistent by construction: skip foreign-key triggers while loading
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set synchronous_commit = off;
    set max_parallel_workers_per_gather = 0;
    create schema bench;
    create function bench.r(k bigint, salt int) returns float8 language sql immutable parallel safe
      as $$ select (hashint8extended(k, salt) & 4503599627370495)::float8 / 4503599627370496.0 $$;
    create function bench.id(kind text, k bigint) returns uuid language sql immutable parallel safe
      as $$ select md5(kind || ':' || k)::uuid $$;`);

  // Loading into unindexed tables and indexing once afterwards is several times faster than index upkeep per row:
  // secondary indexes of the big tables go, and their primary keys and unique constraints (nothing references them).
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def from pg_index i
     where i.indrelid = any(array['users', 'memberships', 'events', 'rsvps', 'threads', 'messages', 'sessions']::regclass[])
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
  );
  const { rows: constraints } = await client.query<{ table: string; name: string; def: string }>(
    `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def from pg_constraint c
     where c.conrelid = any(array['memberships', 'rsvps', 'messages', 'sessions']::regclass[]) and c.contype in ('p', 'u')`,
  );
  for (const index of indexes) await client.query(`drop index ${index.name}`);
  for (const c of constraints) await client.query(`alter table ${c.table} drop constraint ${c.name}`);

  await step(
    'users',
    `insert into users (id, email, password_hash, name, bio, city, lat, lng, created_at)
     select bench.id('user', i), 'user' || i || '@bench.test', $1,
            ($2::text[])[1 + floor(bench.r(i, ${salt(1)}) * array_length($2::text[], 1))::int] || ' ' ||
            ($3::text[])[1 + floor(bench.r(i, ${salt(2)}) * array_length($3::text[], 1))::int],
            '', c.name,
            case when bench.r(i, ${salt(3)}) < 0.5 then c.lat + (bench.r(i, ${salt(4)}) - 0.5) * 0.15 end,
            case when bench.r(i, ${salt(3)}) < 0.5 then c.lng + (bench.r(i, ${salt(5)}) - 0.5) * 0.25 end,
            now() - interval '1 day' * (400 + floor(bench.r(i, ${salt(6)}) * 800))
     from generate_series(1, ${U}) i
     join (select * from jsonb_to_recordset($4::jsonb) as c(n int, name text, lat float8, lng float8)) c on c.n = i % $5::int`,
    [passwordHash(), catalog.firstNames, catalog.lastNames, JSON.stringify(catalog.cities.map((c, n) => ({ n, ...c }))), catalog.cities.length],
  );

  await step(
    'group specs',
    `create temp table bg as
     select g.*, now() - g.created_days * interval '1 day' as created_at, bench.id('group', g.rank) as id
     from jsonb_to_recordset($1::jsonb) as g(rank int, name text, slug text, description text, city text, lat float8, lng float8,
       timezone text, visibility text, join_mode text, join_question text, topic_names text, created_days int, members int,
       pending int, start bigint, stride bigint, two_organizers boolean, venues int, titles text[], topics text[])`,
    [JSON.stringify(groups)],
  );
  await step(
    'groups',
    `insert into groups (id, slug, name, description, city, lat, lng, timezone, visibility, join_mode, join_question,
       member_count, topic_names, created_at, updated_at)
     select id, slug, name, description, city, lat, lng, timezone, visibility, join_mode, join_question, members, topic_names, created_at, created_at
     from bg`,
  );
  await step(
    'group topics',
    `insert into group_topics (group_id, topic_id, position)
     select g.id, t.id, (p.position - 1)::smallint from bg g cross join lateral unnest(g.topics) with ordinality p(slug, position)
     join topics t on t.slug = p.slug`,
  );
  await step(
    'memberships',
    `insert into memberships (id, group_id, user_id, role, status, answer, created_at, joined_at, updated_at)
     select bench.id('membership', g.rank::bigint * 10000000 + k), g.id, ${userOf('k')},
            case when k = 0 or (k = 1 and g.two_organizers) then 'ORGANIZER' when k <= 2 then 'EVENT_ORGANIZER' else 'MEMBER' end,
            case when k < g.members then 'ACTIVE' else 'PENDING' end,
            case when g.join_mode = 'APPROVAL' and k > 0 then 'I heard about you from a friend.' end,
            t.at, case when k < g.members then t.at end, t.at
     from bg g cross join lateral generate_series(0, g.members + g.pending - 1) k
     cross join lateral (select g.created_at + (now() - g.created_at) * (k::float8 / (g.members + g.pending)) as at) t`,
  );
  await step(
    'venues',
    `insert into venues (id, group_id, name, address, city, lat, lng)
     select bench.id('venue', v.rank::bigint * 10 + v.v), bench.id('group', v.rank), v.name, v.address, v.city, v.lat, v.lng
     from jsonb_to_recordset($1::jsonb) as v(rank int, v int, name text, address text, city text, lat float8, lng float8)`,
    [JSON.stringify(venues)],
  );

  // Events: every group has one, the rest go to popular groups more often (rank ~ G·u^2.2).
  await step(
    'event specs',
    `create temp table ev as
     select j as n, bench.id('event', j) as id, g.rank, g.id as group_id, g.members,
            g.titles[1 + (j % array_length(g.titles, 1))] as title, s.upcoming,
            s.starts_at, s.starts_at + interval '1 hour' * (2 + (j % 2)) as ends_at,
            least(now(), s.starts_at) - interval '1 day' * (3 + floor(bench.r(j, ${salt(23)}) * 37)) as created_at,
            case when bench.r(j, ${salt(24)}) < 0.15 then null else bench.id('venue', g.rank::bigint * 10 + 1 + floor(bench.r(j, ${salt(25)}) * g.venues)::int) end as venue_id,
            case when g.rank > 10 and bench.r(j, ${salt(26)}) < 0.05 then 'CANCELLED' else 'SCHEDULED' end as status,
            ${userOf('0')} as created_by, ${userOf('2')} as cohost, bench.r(j, ${salt(27)}) < 0.3 as two_hosts,
            power(greatest(bench.r(j, ${salt(22)}), 1e-9), -0.8) * sqrt(g.members) as weight,
            floor(bench.r(j, ${salt(28)}) * g.members)::int as off,
            0 as c, null::int as capacity, 0 as guest_limit
     from generate_series(1, ${size.events}) j
     join bg g on g.rank = case when j <= ${size.groups} then j else least(${size.groups}, 1 + floor(${size.groups} * power(bench.r(j, ${salt(20)}), 2.2))::int) end
     cross join lateral (
       select bench.r(j, ${salt(21)}) < 0.3 as upcoming,
              date_trunc('hour', now()) + case when bench.r(j, ${salt(21)}) < 0.3
                then interval '1 hour' * (2 + floor(bench.r(j, ${salt(29)}) * 90 * 24))
                else -interval '1 hour' * (26 + floor(bench.r(j, ${salt(29)}) * 400 * 24)) end as starts_at
     ) s`,
  );
  const rsvpFactor = await calibrate(client, 'select sum(least(members, round(weight * $1))) as n from ev', size.rsvps);
  await step(
    'event sizes',
    `update ev set c = least(members, round(weight * $1))::int,
       capacity = case when bench.r(n, ${salt(30)}) < 0.35 then null
                       else greatest(1, round(least(members, round(weight * $1)) * (0.6 + 0.9 * bench.r(n, ${salt(31)}))))::int end,
       guest_limit = floor(bench.r(n, ${salt(32)}) * 3)::int`,
    [rsvpFactor],
  );
  // Answers in order: GOING while seats last, then WAITLISTED; guests only where capacity is unlimited, so a
  // waitlisted party never fits in the seats left (the promotion rule holds in the data as generated).
  await step(
    'rsvps',
    `insert into rsvps (id, event_id, user_id, status, guests, attended, waitlisted_at, seated_at, created_at, updated_at)
     select bench.id('rsvp', x.key), x.event_id, x.user_id, x.status,
            case when x.status = 'NOT_GOING' then 0 else x.guests end,
            x.status = 'GOING' and x.ends_at < now() and bench.r(x.key, ${salt(33)}) < 0.85,
            case when x.status = 'WAITLISTED' then x.at end, case when x.status = 'GOING' then x.at end, x.at, x.at
     from (
       select e.n::bigint * 10000000 + j as key, e.id as event_id, e.ends_at, e.created_at + j * interval '1 second' as at,
              ${userOf('(e.off + j) % g.members')} as user_id,
              case when d.declined then 'NOT_GOING' when e.capacity is null then 'GOING'
                   when sum((not d.declined)::int) over (partition by e.n order by j) <= e.capacity then 'GOING'
                   else 'WAITLISTED' end as status,
              case when e.capacity is null and e.guest_limit > 0 and bench.r(e.n::bigint * 10000000 + j, ${salt(34)}) < 0.3
                   then 1 + floor(bench.r(e.n::bigint * 10000000 + j, ${salt(35)}) * e.guest_limit)::int else 0 end as guests
       from ev e join bg g on g.rank = e.rank
       cross join lateral generate_series(0, e.c - 1) j
       cross join lateral (select bench.r(e.n::bigint * 10000000 + j, ${salt(36)}) < 0.08 as declined) d
     ) x`,
  );
  await step(
    'events',
    `insert into events (id, group_id, title, description, starts_at, ends_at, venue_id, online_url, capacity, guest_limit, status,
       created_by_id, going_count, waitlist_count, attendance_version, created_at, updated_at)
     select e.id, e.group_id, e.title, e.title || ': ' || g.description, e.starts_at, e.ends_at, e.venue_id,
            case when e.venue_id is null then 'https://meet.example.com/' || left(e.id::text, 8) end,
            e.capacity, e.guest_limit, e.status, e.created_by,
            coalesce(a.going, 0), coalesce(a.waiting, 0), coalesce(a.answers, 0), e.created_at, e.created_at
     from ev e join bg g on g.rank = e.rank
     left join (select event_id, sum(1 + guests) filter (where status = 'GOING') as going,
                       count(*) filter (where status = 'WAITLISTED') as waiting, count(*) as answers
                from rsvps group by event_id) a on a.event_id = e.id`,
  );
  await step(
    'event hosts',
    `insert into event_hosts (event_id, user_id, created_at)
     select id, created_by, created_at from ev
     union all select id, cohost, created_at + interval '1 second' from ev where two_hosts and cohost <> created_by`,
  );

  // Threads: each event's chat, and one to four discussions per group; message counts follow a heavy tail.
  await step(
    'thread specs',
    `create temp table th as
     select e.n::bigint as key, bench.id('thread', e.n) as id, e.rank, e.group_id, e.id as event_id, e.title, e.created_by as author_id,
            e.created_at, power(greatest(bench.r(e.n, ${salt(40)}), 1e-9), -0.9) as weight, 0 as c
     from ev e
     union all
     select k.key, bench.id('thread', k.key), g.rank, g.id, null, ($1::text[])[1 + ((g.rank + d) % array_length($1::text[], 1))],
            ${userOf('0')}, g.created_at + (now() - g.created_at) * bench.r(k.key, ${salt(41)}),
            power(greatest(bench.r(k.key, ${salt(42)}), 1e-9), -0.9), 0
     from bg g cross join lateral generate_series(1, 1 + g.rank % 4) d
     cross join lateral (select ${size.events}::bigint + g.rank * 10 + d as key) k`,
    [catalog.discussionTitles],
  );
  const messageFactor = await calibrate(client, 'select sum(round(weight * $1)) as n from th', size.messages);
  await client.query('update th set c = round(weight * $1)::int', [messageFactor]);
  await step(
    'messages',
    `insert into messages (id, thread_id, author_id, body, created_at, edited_at, deleted)
     select bench.id('message', t.key * 10000000 + j), t.id, ${userOf('(t.key * 7 + j * 13) % g.members')},
            case when x.deleted then '' when t.event_id is null
                 then ($1::text[])[1 + floor(bench.r(t.key * 10000000 + j, ${salt(51)}) * array_length($1::text[], 1))::int]
                 else ($2::text[])[1 + floor(bench.r(t.key * 10000000 + j, ${salt(51)}) * array_length($2::text[], 1))::int] end,
            x.at, case when not x.deleted and bench.r(t.key * 10000000 + j, ${salt(52)}) < 0.05 then x.at + interval '5 minutes' end, x.deleted
     from th t join bg g on g.rank = t.rank cross join lateral generate_series(0, t.c - 1) j
     cross join lateral (
       select t.created_at + (least(now(), t.created_at + interval '30 days') - t.created_at) * ((j + 1)::float8 / (t.c + 1)) as at,
              bench.r(t.key * 10000000 + j, ${salt(50)}) < 0.03 as deleted
     ) x`,
    [catalog.discussionLines, catalog.eventLines],
  );
  await step(
    'threads',
    `insert into threads (id, group_id, event_id, title, author_id, message_count, last_message_at, created_at)
     select t.id, t.group_id, t.event_id, t.title, t.author_id, coalesce(a.n, 0), a.last, t.created_at
     from th t left join (select thread_id, count(*) as n, max(created_at) as last from messages group by thread_id) a on a.thread_id = t.id`,
  );
  await step(
    'sessions',
    `insert into sessions (id, user_id, token_hash, created_at, expires_at)
     select bench.id('session', i), bench.id('user', i), encode(sha256(convert_to('bench-token-' || i, 'UTF8')), 'hex'), now(), now() + interval '10 years'
     from generate_series(1, ${U}) i`,
  );
  await step(
    'topic counts',
    `update topics t set group_count = coalesce((select count(*) from group_topics gt where gt.topic_id = t.id), 0)`,
  );
  await step(
    'member counts',
    `update groups g set member_count = a.n
     from (select group_id, count(*) as n from memberships where status = 'ACTIVE' group by group_id) a where a.group_id = g.id`,
  );
  const indexed = Date.now();
  for (const c of constraints) await client.query(`alter table ${c.table} add constraint ${c.name} ${c.def}`);
  for (const index of indexes) await client.query(index.def);
  log(`  ${constraints.length} constraints and ${indexes.length} indexes rebuilt: ${Date.now() - indexed} ms`);
  await client.query('reset session_replication_role');
}
