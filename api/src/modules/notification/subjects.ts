import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationKind } from './notification.enums.js';
import type { NotifyPayload, ReminderPayload } from './notify.js';

/** What one notification says, and the SQL that selects who gets it (a `user_id` column), decided when the job runs. */
export interface Subject {
  kind: NotificationKind;
  /** With person and kind, makes the notification once only. */
  subject: string;
  groupId: string | null;
  eventId: string | null;
  title: string;
  body: string;
  url: string;
  recipients: { sql: string; params: unknown[] };
}

/**
 * Notifications of one kind to write, as SQL selecting one row per person and subject: `user_id`, `subject`,
 * `group_id`, `event_id`, `title`, `body`, `url` (what workers.ts inserts).
 */
export interface Notes {
  kind: NotificationKind;
  sql: string;
  params: unknown[];
}

/** The notes of one subject: the same text for each of its recipients. */
export function notesOf(s: Subject): Notes {
  return {
    kind: s.kind,
    sql: `select distinct r.user_id, ?::text as subject, ?::uuid as group_id, ?::uuid as event_id, ?::text as title, ?::text as body, ?::text as url
          from (${s.recipients.sql}) r`,
    params: [s.subject, s.groupId, s.eventId, s.title, s.body, s.url, ...s.recipients.params],
  };
}

/** `when` in the group's time zone: "Sat 28 Mar 2026, 19:00 GMT". */
export function formatWhen(when: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
  }).format(when);
}

/** Whether `userCol` is an ACTIVE member of group `g`. */
export const ACTIVE = (userCol: string) => `exists (select 1 from memberships am where am.group_id = g.id and am.user_id = ${userCol} and am.status = 'ACTIVE')`;
const ANSWERED = `select r.user_id from rsvps r join events e on e.id = r.event_id join groups g on g.id = e.group_id
  where r.event_id = ? and r.status in ('GOING', 'WAITLISTED') and r.user_id is distinct from ?::uuid and ${ACTIVE('r.user_id')}`;

type Row = Record<string, any>;
const one = async (em: EntityManager, sql: string, params: unknown[]): Promise<Row | null> => ((await em.execute(sql, params)) as Row[])[0] ?? null;

const EVENT = `select e.id, e.title, e.starts_at, e.status, e.group_id, g.name as group_name, g.slug, g.timezone,
  v.name as venue_name, v.city as venue_city, e.online_url from events e join groups g on g.id = e.group_id left join venues v on v.id = e.venue_id where e.id = ?`;

const place = (e: Row) => (e.venue_name ? ` at ${e.venue_name}${e.venue_city ? `, ${e.venue_city}` : ''}` : e.online_url ? ' (online)' : '');

/** The notification a `notify` job stands for, or null when what it was about is gone or changed back. */
export async function subjectOf(em: EntityManager, p: NotifyPayload): Promise<Subject | null> {
  const stamped = `${p.id}@${p.at}`;
  switch (p.kind) {
    case NotificationKind.JOIN_REQUESTED:
    case NotificationKind.MEMBERSHIP_APPROVED:
    case NotificationKind.MEMBERSHIP_REJECTED: {
      const m = await one(
        em,
        `select m.user_id, m.status, m.answer, u.name as user_name, g.id as group_id, g.name as group_name, g.slug
         from memberships m join users u on u.id = m.user_id join groups g on g.id = m.group_id where m.id = ?`,
        [p.id],
      );
      const wanted = { JOIN_REQUESTED: 'PENDING', MEMBERSHIP_APPROVED: 'ACTIVE', MEMBERSHIP_REJECTED: 'REJECTED' }[p.kind];
      if (!m || m.status !== wanted) return null;
      const base = { kind: p.kind, subject: stamped, groupId: m.group_id, eventId: null };
      if (p.kind === NotificationKind.JOIN_REQUESTED) {
        return {
          ...base,
          title: `${m.user_name} asked to join ${m.group_name}`,
          body: m.answer ? `Their answer: "${m.answer}"` : 'Review the request on the group\'s manage page.',
          url: `/groups/${m.slug}/manage`,
          recipients: {
            sql: `select am.user_id from memberships am where am.group_id = ? and am.role = 'ORGANIZER' and am.status = 'ACTIVE'`,
            params: [m.group_id],
          },
        };
      }
      const approved = p.kind === NotificationKind.MEMBERSHIP_APPROVED;
      return {
        ...base,
        title: approved ? `You are now a member of ${m.group_name}` : `Your request to join ${m.group_name} was declined`,
        body: approved ? 'Your request to join was approved. See what is coming up.' : 'The organizers declined your request. You may ask again.',
        url: `/groups/${m.slug}`,
        recipients: { sql: 'select ?::uuid as user_id', params: [m.user_id] },
      };
    }
    case NotificationKind.EVENT_CREATED:
    case NotificationKind.EVENT_CANCELLED:
    case NotificationKind.EVENT_CHANGED: {
      const e = await one(em, EVENT, [p.id]);
      const cancelled = p.kind === NotificationKind.EVENT_CANCELLED;
      if (!e || (e.status === 'CANCELLED') !== cancelled) return null;
      const when = formatWhen(new Date(e.starts_at), e.timezone);
      const text = {
        EVENT_CREATED: [`New event in ${e.group_name}: ${e.title}`, `${when}${place(e)}.`],
        EVENT_CANCELLED: [`Cancelled: ${e.title}`, `${e.group_name} called off the event of ${when}.`],
        EVENT_CHANGED: [`Moved: ${e.title}`, `It is now ${when}${place(e)}.`],
      }[p.kind];
      return {
        kind: p.kind,
        subject: p.kind === NotificationKind.EVENT_CHANGED ? stamped : p.id,
        groupId: e.group_id,
        eventId: e.id,
        title: text[0],
        body: text[1],
        url: `/events/${e.id}`,
        recipients:
          p.kind === NotificationKind.EVENT_CREATED
            ? { sql: `select am.user_id from memberships am where am.group_id = ? and am.status = 'ACTIVE' and am.user_id is distinct from ?::uuid`, params: [e.group_id, p.actorId] }
            : { sql: ANSWERED, params: [e.id, p.actorId] },
      };
    }
    case NotificationKind.WAITLIST_PROMOTED: {
      const r = await one(em, `select r.user_id, r.status, r.event_id from rsvps r where r.id = ?`, [p.id]);
      const e = r?.status === 'GOING' ? await one(em, EVENT, [r.event_id]) : null;
      if (!r || !e || e.status === 'CANCELLED') return null;
      return {
        kind: p.kind,
        subject: stamped,
        groupId: e.group_id,
        eventId: e.id,
        title: `You have a seat: ${e.title}`,
        body: `A place freed up and you moved off the waitlist. ${formatWhen(new Date(e.starts_at), e.timezone)}${place(e)}.`,
        url: `/events/${e.id}`,
        recipients: { sql: `select r.user_id from rsvps r join events e on e.id = r.event_id join groups g on g.id = e.group_id where r.id = ? and r.status = 'GOING' and ${ACTIVE('r.user_id')}`, params: [p.id] },
      };
    }
    default:
      return null;
  }
}

/** The reminder an `event-reminder` job stands for; null when the event was cancelled or moved since. */
export async function reminderOf(em: EntityManager, p: ReminderPayload): Promise<Subject | null> {
  const e = await one(em, EVENT, [p.eventId]);
  if (!e || e.status === 'CANCELLED' || new Date(e.starts_at).getTime() !== new Date(p.startsAt).getTime()) return null;
  return {
    kind: NotificationKind.EVENT_REMINDER,
    subject: `${e.id}@${p.startsAt}`,
    groupId: e.group_id,
    eventId: e.id,
    title: `Tomorrow: ${e.title}`,
    body: `${formatWhen(new Date(e.starts_at), e.timezone)}${place(e)}. You said you are going; if plans changed, update your RSVP to free your seat.`,
    url: `/events/${e.id}`,
    recipients: { sql: `select r.user_id from rsvps r join events e on e.id = r.event_id join groups g on g.id = e.group_id where r.event_id = ? and r.status = 'GOING' and ${ACTIVE('r.user_id')}`, params: [e.id] },
  };
}
