import { enqueue, registerWorker, type JobContext } from '../../jobs/jobs.js';
import { mailerFor } from './mailer.js';
import type { NotifyPayload, ReminderPayload } from './notify.js';
import { publishAdded } from './notification.live.js';
import { emailOf } from './email.js';
import { reminderOf, subjectOf, type Subject } from './subjects.js';

// The workers of notifications (docs/ARCHITECTURE.md, "Notifications"). Every step is idempotent: notifications are
// inserted `on conflict do nothing` on (user, kind, subject), and only a row inserted now gets its email job and its
// live push, so a job that runs twice, or in two processes at once, tells each person once.

interface Inserted {
  id: string;
  user_id: string;
  in_app: boolean;
  email: boolean;
}

/** Writes the notifications of `s` for its recipients as they are now, queues their emails, then pushes them live. */
async function deliver(ctx: JobContext, s: Subject): Promise<number> {
  const rows = await ctx.em.transactional(async (em) => {
    const rows: Inserted[] = await em.execute(
      `with recipients as (${s.recipients.sql}),
       prefs as (select distinct r.user_id, coalesce(ns.in_app, true) as in_app, coalesce(ns.email, true) as email
                 from recipients r left join notification_settings ns on ns.user_id = r.user_id and ns.kind = ?),
       ins as (insert into notifications (id, user_id, kind, subject, group_id, event_id, title, body, url, in_app, created_at)
               select gen_random_uuid(), p.user_id, ?, ?, ?, ?, ?, ?, ?, p.in_app, now() from prefs p where p.in_app or p.email
               on conflict (user_id, kind, subject) do nothing
               returning id, user_id, in_app)
       select ins.id, ins.user_id, ins.in_app, p.email from ins join prefs p on p.user_id = ins.user_id`,
      [...s.recipients.params, s.kind, s.kind, s.subject, s.groupId, s.eventId, s.title, s.body, s.url],
    );
    for (const row of rows) if (row.email) await enqueue(em, 'notification-email', { notificationId: row.id }, { singletonKey: row.id });
    return rows;
  });
  await publishAdded(ctx.em.fork(), ctx.live, rows.filter((r) => r.in_app).map((r) => ({ id: r.id, userId: r.user_id })));
  return rows.length;
}

registerWorker<NotifyPayload>('notify', async (payload, ctx) => {
  const subject = await subjectOf(ctx.em, payload);
  if (subject) await deliver(ctx, subject);
});

registerWorker<ReminderPayload>('event-reminder', async (payload, ctx) => {
  const subject = await reminderOf(ctx.em, payload);
  if (subject) await deliver(ctx, subject);
});

/** How long a claimed email may stay unsent before another run may try it (a process that died mid-send). */
const CLAIM_TIMEOUT = '5 minutes';

/**
 * Emails one notification. The row is claimed first (one statement, so two runs never both send); the send happens
 * outside any transaction (no connection held while talking SMTP); a failed send gives the claim back and retries.
 * A process that dies between sending and recording may send once more after CLAIM_TIMEOUT: at least once, not twice
 * in any other case.
 */
registerWorker<{ notificationId: string }>('notification-email', async ({ notificationId }, ctx) => {
  const [claimed]: Array<{ id: string }> = await ctx.em.execute(
    `update notifications set email_claimed_at = now() where id = ? and email_sent_at is null
       and (email_claimed_at is null or email_claimed_at < now() - interval '${CLAIM_TIMEOUT}') returning id`,
    [notificationId],
  );
  if (!claimed) return;
  try {
    const mail = await emailOf(ctx.em, ctx.orm, ctx.config, notificationId);
    if (mail) await mailerFor(ctx.config, ctx.log).send(mail);
    await ctx.em.execute('update notifications set email_sent_at = now() where id = ?', [notificationId]);
  } catch (error) {
    await ctx.em.execute('update notifications set email_claimed_at = null where id = ?', [notificationId]).catch(() => {});
    throw error;
  }
});
