import { iso, list, notFoundBody, viewerCte } from './ceiling-sql-parts.js';

/**
 * The contract's GroupPage as one statement ($1 slug, $2 the token's SHA-256 or null): the viewer's session, the group
 * with the viewer's membership, topics, the first 5 organizers, upcoming events (10 and their count), past events (5)
 * and discussions (10 and their count), built into the answer's JSON text by PostgreSQL. What only members see is
 * empty outside a private group, as in the hand-written ceiling (ceiling-pages.ts groupPage).
 */
export const GROUP_PAGE_SQL = `with ${viewerCte(2)},
g as (
  select g.*, m.id as m_id, m.role as m_role, m.status as m_status, (g.visibility = 'PUBLIC' or m.status = 'ACTIVE') as inside
  from groups g left join viewer vw on true left join memberships m on m.group_id = g.id and m.user_id = vw.id
  where g.slug = $1)
select coalesce((select json_build_object('data', json_build_object('group', json_build_object(
  'id', g.id, 'slug', g.slug, 'name', g.name, 'description', g.description, 'city', g.city, 'timezone', g.timezone,
  'visibility', g.visibility, 'joinMode', g.join_mode, 'joinQuestion', g.join_question, 'memberCount', g.member_count,
  'createdAt', ${iso('g.created_at')}, 'location', json_build_object('lat', g.lat, 'lng', g.lng),
  'topics', (select ${list(`json_agg(json_build_object('slug', t.slug, 'name', t.name) order by gt.position)`)}
    from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = g.id),
  'organizers', json_build_object('edges', (select ${list(`json_agg(json_build_object('node', json_build_object('id', o.id, 'role', o.role,
      'user', json_build_object('id', o.user_id, 'name', o.name))) order by o.created_at, o.id)`)}
    from (select m.id, m.role, m.created_at, u.id as user_id, u.name from memberships m join users u on u.id = m.user_id
          where g.inside and m.group_id = g.id and m.role = 'ORGANIZER' and m.status = 'ACTIVE' order by m.created_at, m.id limit 5) o)),
  'viewerMembership', case when g.m_id is not null then json_build_object('id', g.m_id, 'role', g.m_role, 'status', g.m_status) end,
  'upcoming', json_build_object(
    'totalCount', case when g.inside then (select count(*)::int from events e where e.group_id = g.id and e.ends_at > now()) else 0 end,
    'edges', (select ${list(`json_agg(json_build_object('node', json_build_object('id', e.id, 'title', e.title, 'startsAt', ${iso('e.starts_at')},
        'goingCount', e.going_count, 'waitlistCount', e.waitlist_count, 'capacity', e.capacity)) order by e.starts_at, e.id)`)}
      from (select e.id, e.title, e.starts_at, e.going_count, e.waitlist_count, e.capacity from events e
            where g.inside and e.group_id = g.id and e.ends_at > now() order by e.starts_at, e.id limit 10) e)),
  'past', json_build_object(
    'edges', (select ${list(`json_agg(json_build_object('node', json_build_object('id', e.id, 'title', e.title, 'startsAt', ${iso('e.starts_at')}))
        order by e.starts_at desc, e.id desc)`)}
      from (select e.id, e.title, e.starts_at from events e
            where g.inside and e.group_id = g.id and e.ends_at <= now() order by e.starts_at desc, e.id desc limit 5) e)),
  'threads', json_build_object(
    'totalCount', case when g.inside then (select count(*)::int from threads t where t.group_id = g.id and t.event_id is null) else 0 end,
    'edges', (select ${list(`json_agg(json_build_object('node', json_build_object('id', t.id, 'title', t.title, 'messageCount', t.message_count,
        'lastMessageAt', ${iso('t.last_message_at')})) order by t.active desc, t.id desc)`)}
      from (select t.id, t.title, t.message_count, t.last_message_at, coalesce(t.last_message_at, t.created_at) as active from threads t
            where g.inside and t.group_id = g.id and t.event_id is null
            order by coalesce(t.last_message_at, t.created_at) desc, t.id desc limit 10) t))
)))::text from g), '${notFoundBody('group', 'Group')}') as body`;
