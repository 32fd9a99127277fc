import { base64url, iso, list, notFoundBody, quoted, viewerCte } from './ceiling-sql-parts.js';

/**
 * The contract's EventPage as one statement ($1 event id, $2 the token's SHA-256 or null): the viewer's session, the
 * event with its group, the viewer's membership and RSVP, venue, hosts, the first 20 people going with their count and
 * cursor, and the event's chat, built into the answer's JSON text by PostgreSQL (the same rows and rules as the
 * hand-written ceiling, ceiling-pages.ts eventPage).
 */
export const EVENT_PAGE_SQL = `with ${viewerCte(2)},
e as (
  select e.*, g.slug as g_slug, g.name as g_name, g.timezone as g_timezone,
         m.id as m_id, m.role as m_role, m.status as m_status,
         r.id as r_id, r.status as r_status, r.guests as r_guests, r.waitlisted_at as r_waitlisted_at, vw.id as viewer_id
  from events e join groups g on g.id = e.group_id
  left join viewer vw on true
  left join memberships m on m.group_id = e.group_id and m.user_id = vw.id
  left join rsvps r on r.event_id = e.id and r.user_id = vw.id
  where e.id = $1::uuid and (g.visibility <> 'PRIVATE' or m.status = 'ACTIVE'))
select coalesce((select json_build_object('data', json_build_object('event', json_build_object(
  'id', e.id, 'title', e.title, 'description', e.description, 'startsAt', ${iso('e.starts_at')}, 'endsAt', ${iso('e.ends_at')},
  'timezone', e.g_timezone, 'status', e.status, 'capacity', e.capacity, 'guestLimit', e.guest_limit,
  'goingCount', e.going_count, 'waitlistCount', e.waitlist_count,
  'onlineUrl', case when e.viewer_id is not null and ((e.m_status = 'ACTIVE' and e.m_role = 'ORGANIZER') or e.r_status = 'GOING'
      or exists (select 1 from event_hosts h where h.event_id = e.id and h.user_id = e.viewer_id)) then e.online_url end,
  'attendanceVersion', e.attendance_version,
  'venue', (select json_build_object('name', v.name, 'address', v.address, 'city', v.city,
      'location', case when v.lat is not null and v.lng is not null then json_build_object('lat', v.lat, 'lng', v.lng) end)
    from venues v where v.id = e.venue_id),
  'group', json_build_object('id', e.group_id, 'slug', e.g_slug, 'name', e.g_name,
    'viewerMembership', case when e.m_id is not null then json_build_object('id', e.m_id, 'role', e.m_role, 'status', e.m_status) end),
  'hosts', (select ${list(`json_agg(json_build_object('id', u.id, 'name', u.name) order by h.created_at, h.user_id)`)}
    from event_hosts h join memberships hm on hm.group_id = e.group_id and hm.user_id = h.user_id and hm.status = 'ACTIVE'
    join users u on u.id = h.user_id where h.event_id = e.id),
  'viewerRsvp', case when e.r_id is not null then json_build_object('id', e.r_id, 'status', e.r_status, 'guests', e.r_guests,
    'waitlistPosition', case when e.r_status = 'WAITLISTED' then (select count(*)::int from rsvps w where w.event_id = e.id
      and w.status = 'WAITLISTED' and (w.waitlisted_at, w.id) <= (e.r_waitlisted_at, e.r_id)) end) end,
  'attendees', (select json_build_object(
      'totalCount', (select count(*)::int from rsvps c where c.event_id = e.id and c.status = 'GOING'),
      'pageInfo', json_build_object('hasNextPage', p.rows > 20,
        'endCursor', case when p.last_id is not null
          then ${base64url(`'[{"d":' || ${quoted(iso('p.last_at'))} || '},' || ${quoted('p.last_id')} || ']'`)} end),
      'edges', p.edges)
    from (select count(*) as rows,
            ${list(`json_agg(json_build_object('node', json_build_object('id', a.id, 'guests', a.guests,
              'user', json_build_object('id', a.user_id, 'name', a.name))) order by a.n) filter (where a.n <= 20)`)} as edges,
            (array_agg(a.seated_at order by a.n desc) filter (where a.n <= 20))[1] as last_at,
            (array_agg(a.id order by a.n desc) filter (where a.n <= 20))[1] as last_id
          from (select x.*, row_number() over (order by x.seated_at, x.id) as n
                from (select r.id, r.guests, r.seated_at, u.id as user_id, u.name from rsvps r join users u on u.id = r.user_id
                      where r.event_id = e.id and r.status = 'GOING' order by r.seated_at, r.id limit 21) x) a) p),
  'thread', (select json_build_object('id', t.id, 'messageCount', t.message_count) from threads t where t.event_id = e.id)
)))::text from e), '${notFoundBody('event', 'Event')}') as body`;
