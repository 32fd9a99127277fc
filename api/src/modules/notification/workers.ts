import { enqueueMany, registerWorker, type JobContext } from '../../jobs/jobs.js';
import { emailsOf } from './email.js';
import { mailerFor } from './mailer.js';
import { NotificationKind } from './notification.enums.js';
import { publishAdded } from './notification.live.js';
import type { NotifyPayload, ReminderPayload } from './notify.js';
import { threadReplies } from './replies.js';
import { notesOf, reminderOf, subjectOf, type Notes } from './subjects.js';

// The workers of notifications (docs/ARCHITECTURE.md, "Notifications"). Every step is idempotent: notifications are
// inserted `on conflict do nothing` on (user, kind, subject), and only a row inserted now gets its email job and its
// live push, so a job that runs twice, or in two processes at once, tells each person once.

interface Inserted {
  id: string;
  user_id: string;
  in_app: boolean;
  email: boolean;
}

/** Notifications one `notification-email` job sends at most (a job stays short; several processes share the rest). */
const EMAILS_PER_JOB = 50;

/** Writes `notes` for their people's settings as they are now, queues their emails, then pushes them live. */
async function deliver(ctx: JobContext, notes: Notes): Promise<number> {
  const rows = await ctx.em.transactional(async (em) => {
    const rows: Inserted[] = await em.execute(
      `with notes as (${notes.sql}),
       prefs as (select n.*, coalesce(ns.in_app, true) as in_app, coalesce(ns.email, true) as email
                 from notes n left join notification_settings ns on ns.user_id = n.user_id and ns.kind = ?),
       ins as (insert into notifications (id, user_id, kind, subject, group_id, event_id, title, body, url, in_app, created_at)
               select gen_random_uuid(), p.user_id, ?, p.subject, p.group_id, p.event_id, p.title, p.body, p.url, p.in_app, now()
               from prefs p where p.in_app or p.email
               on conflict (user_id, kind, subject) do nothing
               returning id, user_id, subject, in_app)
       select ins.id, ins.user_id, ins.in_app, p.email from ins join prefs p on p.user_id = ins.user_id and p.subject = ins.subject`,
      [...notes.params, notes.kind, notes.kind],
    );
    const emails = rows.filter((r) => r.email).map((r) => r.id);
    const batches = Array.from({ length: Math.ceil(emails.length / EMAILS_PER_JOB) }, (_, i) => emails.slice(i * EMAILS_PER_JOB, (i + 1) * EMAILS_PER_JOB));
    await enqueueMany<EmailPayload>(em, 'notification-email', batches.map((notificationIds) => ({ payload: { notificationIds } })));
    return rows;
  });
  await publishAdded(ctx.em.fork(), ctx.live, rows.filter((r) => r.in_app).map((r) => ({ id: r.id, userId: r.user_id })));
  return rows.length;
}

registerWorker<NotifyPayload>('notify', async (payload, ctx) => {
  if (payload.kind === NotificationKind.THREAD_REPLY) await deliver(ctx, threadReplies(payload.items ?? [payload.id]));
  else {
    const subject = await subjectOf(ctx.em, payload);
    if (subject) await deliver(ctx, notesOf(subject));
  }
});

registerWorker<ReminderPayload>('event-reminder', async (payload, ctx) => {
  const subject = await reminderOf(ctx.em, payload);
  if (subject) await deliver(ctx, notesOf(subject));
});

/** How long a claimed email may stay unsent before another run may try it (a process that died mid-send). */
const CLAIM_TIMEOUT = '5 minutes';

/** The payload of a `notification-email` job: the notifications to email (`notificationId`: jobs of one). */
export interface EmailPayload {
  notificationIds?: string[];
  notificationId?: string;
}

/**
 * Emails a few notifications. The rows are claimed first (one statement, so two runs never both send one); the sends
 * happen outside any transaction (no connection held while talking SMTP), one after another; the sent are recorded
 * in one statement, a failed send gives its claim back and the job retries (with only what is left to send). A
 * process that dies between sending and recording may send those once more after CLAIM_TIMEOUT: at least once,
 * not twice in any other case.
 */
registerWorker<EmailPayload>('notification-email', async ({ notificationIds, notificationId }, ctx) => {
  const ids = notificationIds ?? (notificationId ? [notificationId] : []);
  if (ids.length === 0) return;
  const claimed: Array<{ id: string }> = await ctx.em.execute(
    `update notifications set email_claimed_at = now() where id in (?) and email_sent_at is null
       and (email_claimed_at is null or email_claimed_at < now() - interval '${CLAIM_TIMEOUT}') returning id`,
    [ids],
  );
  if (claimed.length === 0) return;
  const sent: string[] = [];
  let failure: unknown = null;
  try {
    const mails = await emailsOf(ctx.em, ctx.orm, ctx.config, claimed.map((c) => c.id));
    const mailer = mailerFor(ctx.config, ctx.log);
    for (const { id } of claimed) {
      const mail = mails.get(id);
      try {
        if (mail) await mailer.send(mail);
        sent.push(id);
      } catch (error) {
        failure ??= error;
      }
    }
  } catch (error) {
    failure = error;
  }
  if (sent.length > 0) await ctx.em.execute('update notifications set email_sent_at = now() where id in (?)', [sent]);
  if (failure === null) return;
  const unsent = claimed.map((c) => c.id).filter((id) => !sent.includes(id));
  await ctx.em.execute('update notifications set email_claimed_at = null where id in (?)', [unsent]).catch(() => {});
  throw failure;
});
