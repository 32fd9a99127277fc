import { createHash } from 'node:crypto';
import type pg from 'pg';

// The ceiling's read side: the contract's pages answered with hand-written SQL (the same rows and fields the API
// reads), shaped as the API's JSON answers, field for field, so the bench can check the two agree.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Viewer {
  id: string;
  name: string;
}

/** The API's opaque cursor (shared/pagination.ts encodeCursor). */
export const cursor = (values: Array<string | number | Date>) =>
  Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? { d: v.toISOString() } : v)))).toString('base64url');
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const location = (lat: number | null, lng: number | null) => (lat === null || lng === null ? null : { lat, lng });
export const notFound = (what: string) => ({ message: `${what} not found.`, extensions: { code: 'NOT_FOUND' } });

/** The viewer of a bearer token, as the API finds it (SHA-256 of the token, live session); null when none. */
export async function authenticate(pool: pg.Pool, authorization: string | undefined): Promise<Viewer | null> {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  if (!token) return null;
  const hash = createHash('sha256').update(token).digest('hex');
  const { rows } = await pool.query(
    'select u.id, u.name from sessions s join users u on u.id = s.user_id where s.token_hash = $1 and s.expires_at > now()',
    [hash],
  );
  return rows[0] ?? null;
}

/** The contract's EventPage. */
export async function eventPage(pool: pg.Pool, viewer: Viewer | null, eventId: string): Promise<{ data: Json; errors?: Json[] }> {
  const viewerId = viewer?.id ?? null;
  const [main, hosts, going, count] = await Promise.all([
    pool.query(
      `select e.*, g.slug as g_slug, g.name as g_name, g.timezone, g.visibility,
              v.name as v_name, v.address as v_address, v.city as v_city, v.lat as v_lat, v.lng as v_lng,
              m.id as m_id, m.role as m_role, m.status as m_status, r.id as r_id, r.status as r_status, r.guests as r_guests,
              case when r.status = 'WAITLISTED' then (select count(*)::int from rsvps w where w.event_id = e.id and w.status = 'WAITLISTED'
                and (w.waitlisted_at, w.id) <= (r.waitlisted_at, r.id)) end as r_position,
              t.id as t_id, t.message_count as t_message_count
       from events e join groups g on g.id = e.group_id
       left join venues v on v.id = e.venue_id
       left join memberships m on m.group_id = e.group_id and m.user_id = $2
       left join rsvps r on r.event_id = e.id and r.user_id = $2
       left join threads t on t.event_id = e.id
       where e.id = $1`,
      [eventId, viewerId],
    ),
    pool.query(
      // Hosts who are ACTIVE members of the event's group (Gather's event.loaders.ts hostsByEventId).
      `select u.id, u.name from event_hosts h join events e on e.id = h.event_id
       join memberships m on m.group_id = e.group_id and m.user_id = h.user_id and m.status = 'ACTIVE'
       join users u on u.id = h.user_id where h.event_id = $1 order by h.created_at, h.user_id`,
      [eventId],
    ),
    pool.query(
      `select r.id, r.guests, r.seated_at, u.id as user_id, u.name from rsvps r join users u on u.id = r.user_id
       where r.event_id = $1 and r.status = 'GOING' order by r.seated_at, r.id limit 21`,
      [eventId],
    ),
    pool.query(`select count(*)::int as n from rsvps where event_id = $1 and status = 'GOING'`, [eventId]),
  ]);
  const e = main.rows[0];
  const member = e && e.m_status === 'ACTIVE';
  if (!e || (e.visibility === 'PRIVATE' && !member)) return { data: { event: null }, errors: [notFound('Event')] };
  const isHost = hosts.rows.some((h) => h.id === viewerId);
  const seesLink = viewerId !== null && ((member && e.m_role === 'ORGANIZER') || isHost || e.r_status === 'GOING');
  const page = going.rows.slice(0, 20);
  return {
    data: {
      event: {
        id: e.id, title: e.title, description: e.description, startsAt: iso(e.starts_at), endsAt: iso(e.ends_at), timezone: e.timezone,
        status: e.status, capacity: e.capacity, guestLimit: e.guest_limit, goingCount: e.going_count, waitlistCount: e.waitlist_count,
        onlineUrl: seesLink ? e.online_url : null, attendanceVersion: e.attendance_version,
        venue: e.venue_id ? { name: e.v_name, address: e.v_address, city: e.v_city, location: location(e.v_lat, e.v_lng) } : null,
        group: { id: e.group_id, slug: e.g_slug, name: e.g_name, viewerMembership: e.m_id ? { id: e.m_id, role: e.m_role, status: e.m_status } : null },
        hosts: hosts.rows.map((h) => ({ id: h.id, name: h.name })),
        viewerRsvp: e.r_id ? { id: e.r_id, status: e.r_status, guests: e.r_guests, waitlistPosition: e.r_position } : null,
        attendees: {
          totalCount: count.rows[0].n,
          pageInfo: { hasNextPage: going.rows.length > 20, endCursor: page.length ? cursor([page.at(-1).seated_at, page.at(-1).id]) : null },
          edges: page.map((r) => ({ node: { id: r.id, guests: r.guests, user: { id: r.user_id, name: r.name } } })),
        },
        thread: e.t_id ? { id: e.t_id, messageCount: e.t_message_count } : null,
      },
    },
  };
}

/** The contract's GroupPage. */
export async function groupPage(pool: pg.Pool, viewer: Viewer | null, slug: string): Promise<{ data: Json; errors?: Json[] }> {
  const { rows } = await pool.query(
    `select g.*, m.id as m_id, m.role as m_role, m.status as m_status from groups g
     left join memberships m on m.group_id = g.id and m.user_id = $2 where g.slug = $1`,
    [slug, viewer?.id ?? null],
  );
  const g = rows[0];
  if (!g) return { data: { group: null }, errors: [notFound('Group')] };
  const inside = g.visibility === 'PUBLIC' || g.m_status === 'ACTIVE';
  const none = { rows: [] as any[] };
  const [topics, organizers, upcoming, upcomingCount, past, threads, threadCount] = await Promise.all([
    pool.query('select t.slug, t.name from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = $1 order by gt.position', [g.id]),
    inside
      ? pool.query(
          `select m.id, m.role, u.id as user_id, u.name from memberships m join users u on u.id = m.user_id
           where m.group_id = $1 and m.role = 'ORGANIZER' and m.status = 'ACTIVE' order by m.created_at, m.id limit 6`,
          [g.id],
        )
      : none,
    inside
      ? pool.query(
          `select id, title, starts_at, going_count, waitlist_count, capacity from events
           where group_id = $1 and ends_at > now() order by starts_at, id limit 11`,
          [g.id],
        )
      : none,
    inside ? pool.query('select count(*)::int as n from events where group_id = $1 and ends_at > now()', [g.id]) : { rows: [{ n: 0 }] },
    inside
      ? pool.query('select id, title, starts_at from events where group_id = $1 and ends_at <= now() order by starts_at desc, id desc limit 6', [g.id])
      : none,
    inside
      ? pool.query(
          `select id, title, message_count, last_message_at from threads where group_id = $1 and event_id is null
           order by coalesce(last_message_at, created_at) desc, id desc limit 11`,
          [g.id],
        )
      : none,
    inside ? pool.query('select count(*)::int as n from threads where group_id = $1 and event_id is null', [g.id]) : { rows: [{ n: 0 }] },
  ]);
  return {
    data: {
      group: {
        id: g.id, slug: g.slug, name: g.name, description: g.description, city: g.city, timezone: g.timezone, visibility: g.visibility,
        joinMode: g.join_mode, joinQuestion: g.join_question, memberCount: g.member_count, createdAt: iso(g.created_at),
        location: { lat: g.lat, lng: g.lng },
        topics: topics.rows.map((t) => ({ slug: t.slug, name: t.name })),
        organizers: { edges: organizers.rows.slice(0, 5).map((m) => ({ node: { id: m.id, role: m.role, user: { id: m.user_id, name: m.name } } })) },
        viewerMembership: g.m_id ? { id: g.m_id, role: g.m_role, status: g.m_status } : null,
        upcoming: {
          totalCount: upcomingCount.rows[0].n,
          edges: upcoming.rows.slice(0, 10).map((e) => ({
            node: { id: e.id, title: e.title, startsAt: iso(e.starts_at), goingCount: e.going_count, waitlistCount: e.waitlist_count, capacity: e.capacity },
          })),
        },
        past: { edges: past.rows.slice(0, 5).map((e) => ({ node: { id: e.id, title: e.title, startsAt: iso(e.starts_at) } })) },
        threads: {
          totalCount: threadCount.rows[0].n,
          edges: threads.rows.slice(0, 10).map((t) => ({
            node: { id: t.id, title: t.title, messageCount: t.message_count, lastMessageAt: iso(t.last_message_at) },
          })),
        },
      },
    },
  };
}

const EARTH_RADIUS_KM = 6371.0088;

/** The API's bounding box of a circle (shared/geo.ts), for circles that do not cross the antimeridian or a pole. */
function box(near: { lat: number; lng: number; radiusKm: number }) {
  const r = near.radiusKm / EARTH_RADIUS_KM;
  const dLat = (r * 180) / Math.PI;
  const dLng = (Math.asin(Math.sin(r) / Math.cos((near.lat * Math.PI) / 180)) * 180) / Math.PI;
  return [near.lat - dLat, near.lat + dLat, near.lng - dLng, near.lng + dLng];
}

/** The contract's ExploreGroups with words and a place (ordered by relevance, as the API orders a search). */
export async function exploreGroups(
  pool: pg.Pool,
  vars: { search: string; near: { lat: number; lng: number; radiusKm: number }; first: number },
): Promise<{ data: Json }> {
  const where = `g.search @@ websearch_to_tsquery('english', $1) and g.lat between $2 and $3 and g.lng between $4 and $5
    and (2 * ${EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(g.lat - $6) / 2), 2) + cos(radians($6)) * cos(radians(g.lat))
        * power(sin(radians(g.lng - $7) / 2), 2)))) <= $8`;
  const params = [vars.search, ...box(vars.near), vars.near.lat, vars.near.lng, vars.near.radiusKm];
  const [page, count] = await Promise.all([
    pool.query(
      `select g.id, g.slug, g.name, g.city, g.member_count, g.visibility, ts_rank_cd(g.search, websearch_to_tsquery('english', $1))::float8 as sort_key
       from groups g where ${where} order by sort_key desc, g.id limit $9`,
      [...params, vars.first + 1],
    ),
    pool.query(`select count(*)::int as n from groups g where ${where}`, params),
  ]);
  const groups = page.rows.slice(0, vars.first);
  const topics = groups.length
    ? (
        await pool.query(
          'select gt.group_id, t.slug, t.name from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = any($1) order by gt.position',
          [groups.map((g) => g.id)],
        )
      ).rows
    : [];
  const edges = groups.map((g) => ({
    cursor: cursor(['relevance', Number(g.sort_key), g.id]),
    node: {
      id: g.id, slug: g.slug, name: g.name, city: g.city, memberCount: g.member_count, visibility: g.visibility,
      topics: topics.filter((t) => t.group_id === g.id).map((t) => ({ slug: t.slug, name: t.name })),
    },
  }));
  return {
    data: {
      groups: {
        totalCount: count.rows[0].n,
        pageInfo: { hasNextPage: page.rows.length > vars.first, endCursor: edges.at(-1)?.cursor ?? null },
        edges,
      },
    },
  };
}
