import { NotificationKind } from './notification.enums.js';
import { ACTIVE, type Notes } from './subjects.js';

/**
 * The THREAD_REPLY notifications of a batch of messages (one `notify` job gathers a thread's burst, notify.ts), in
 * one statement. For each message: everyone who had written in its thread when it came (not deleted, still an ACTIVE
 * member), but not its author. One notification per thread and person per hour (the subject `thread@hour`): a lively
 * chat tells you there are replies, not each line of it, and it carries the earliest of the batch's replies that
 * tells you (what one job per message, run in order, said). Deleted messages tell nobody.
 */
export function threadReplies(messageIds: string[]): Notes {
  return {
    kind: NotificationKind.THREAD_REPLY,
    sql: `select distinct on (w.author_id, m.subject) w.author_id as user_id, m.subject, m.group_id, m.event_id,
            m.author_name || ' replied in "' || m.title || '"' as title,
            case when length(m.body) > 200 then left(m.body, 199) || '…' else m.body end as body,
            '/groups/' || g.slug || '/threads/' || m.thread_id as url
          from (select m.id, m.thread_id, m.author_id, m.body, m.created_at, u.name as author_name, t.title, t.event_id, t.group_id,
                       m.thread_id || '@' || to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as subject
                from messages m join users u on u.id = m.author_id join threads t on t.id = m.thread_id
                where m.id in (?) and not m.deleted) m
          join groups g on g.id = m.group_id
          join messages w on w.thread_id = m.thread_id and not w.deleted and w.author_id <> m.author_id and w.created_at <= m.created_at
          where ${ACTIVE('w.author_id')}
          order by w.author_id, m.subject, m.created_at, m.id`,
    params: [messageIds],
  };
}
