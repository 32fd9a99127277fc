import type { EntityManager } from '@mikro-orm/postgresql';
import { scheduleReminders } from '../../modules/notification/notify.js';

/**
 * The demo account's bell: notifications written straight from the seeded rows (the seeder bypasses the services, so
 * no job told anyone): requests to join its groups, new events in its groups, replies where it wrote. Some read.
 */
export async function seedDemoNotifications(em: EntityManager, demoEmail: string, now: Date): Promise<number> {
  const rows = await em.execute(
    `with demo as (select id from users where email = ?),
     requests as (
       select 'JOIN_REQUESTED' as kind, m.id::text as subject, g.id as group_id, null::uuid as event_id,
              u.name || ' asked to join ' || g.name as title,
              coalesce('Their answer: "' || m.answer || '"', 'Review the request on the group''s manage page.') as body,
              '/groups/' || g.slug || '/manage' as url
       from memberships m join groups g on g.id = m.group_id join users u on u.id = m.user_id
       where m.status = 'PENDING' and exists (select 1 from memberships o, demo where o.group_id = g.id and o.user_id = demo.id and o.role = 'ORGANIZER' and o.status = 'ACTIVE')
       order by m.created_at desc limit 4),
     upcoming as (
       select 'EVENT_CREATED', e.id::text, g.id, e.id, 'New event in ' || g.name || ': ' || e.title,
              to_char(e.starts_at at time zone g.timezone, 'Dy DD Mon, HH24:MI'), '/events/' || e.id
       from events e join groups g on g.id = e.group_id
       where e.starts_at > ?::timestamptz and e.status = 'SCHEDULED'
         and exists (select 1 from memberships o, demo where o.group_id = g.id and o.user_id = demo.id and o.status = 'ACTIVE')
       order by e.starts_at limit 4),
     replies as (
       select distinct on (t.id) 'THREAD_REPLY', m.id::text, g.id, t.event_id, u.name || ' replied in "' || t.title || '"',
              left(m.body, 200), '/groups/' || g.slug || '/threads/' || t.id
       from messages m join threads t on t.id = m.thread_id join groups g on g.id = t.group_id join users u on u.id = m.author_id, demo
       where m.author_id <> demo.id and not m.deleted and exists (select 1 from messages w where w.thread_id = t.id and w.author_id = demo.id)
       order by t.id, m.created_at desc limit 3),
     chosen as (select *, row_number() over () as n from (select * from requests union all select * from upcoming union all select * from replies) x)
     insert into notifications (id, user_id, kind, subject, group_id, event_id, title, body, url, created_at, read_at)
     select gen_random_uuid(), demo.id, c.kind, c.subject, c.group_id, c.event_id, c.title, c.body, c.url,
            ?::timestamptz - c.n * interval '97 minutes', case when c.n > 6 then ?::timestamptz else null end
     from chosen c, demo
     on conflict do nothing returning id`,
    [demoEmail, now, now, now],
  );
  return rows.length;
}

/** Reminders of the seeded upcoming events, as createEvent would have scheduled them (one statement). */
export async function seedReminders(em: EntityManager): Promise<void> {
  const rows: Array<{ id: string; starts_at: Date }> = await em.execute(`select id, starts_at from events where status = 'SCHEDULED' and starts_at > now() + interval '1 day'`);
  await scheduleReminders(em, rows.map((r) => ({ id: r.id, startsAt: new Date(r.starts_at) })));
}
