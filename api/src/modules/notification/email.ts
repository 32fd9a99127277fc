import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import type { Mail } from './mailer.js';
import { KIND_LABELS, type NotificationKind } from './notification.enums.js';
import { unsubscribeToken } from './unsubscribe.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Address of this API as email readers reach it. */
export const publicApiUrl = (config: Config) => (config.PUBLIC_API_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

/**
 * The emails of some notifications (one statement), each with its one-click unsubscribe link (in the text and as
 * List-Unsubscribe headers); none for a notification whose person has turned this kind's email off since.
 */
export async function emailsOf(em: EntityManager, orm: MikroORM, config: Config, notificationIds: string[]): Promise<Map<string, Mail>> {
  const rows: Array<{ id: string; user_id: string; email: string; name: string; kind: NotificationKind; title: string; body: string; url: string }> = await em.execute(
    `select n.id, n.user_id, u.email, u.name, n.kind, n.title, n.body, n.url
     from notifications n join users u on u.id = n.user_id
     left join notification_settings ns on ns.user_id = n.user_id and ns.kind = n.kind where n.id in (?) and coalesce(ns.email, true)`,
    [notificationIds],
  );
  const mails = new Map<string, Mail>();
  for (const n of rows) mails.set(n.id, await emailOf(orm, config, n));
  return mails;
}

async function emailOf(orm: MikroORM, config: Config, n: { user_id: string; email: string; name: string; kind: NotificationKind; title: string; body: string; url: string }): Promise<Mail> {
  const web = config.PUBLIC_URL;
  const link = `${web}${n.url}`;
  const unsubscribe = `${publicApiUrl(config)}/unsubscribe?token=${await unsubscribeToken(orm, n.user_id, n.kind)}`;
  const label = KIND_LABELS[n.kind];
  return {
    to: n.email,
    subject: n.title,
    text: `Hi ${n.name},\n\n${n.title}\n${n.body}\n\n${link}\n\n--\nStop emails about ${label}: ${unsubscribe}\nAll settings: ${web}/me/settings\n`,
    html:
      `<p>Hi ${escape(n.name)},</p><p><strong>${escape(n.title)}</strong><br>${escape(n.body)}</p>` +
      `<p><a href="${escape(link)}">Open in Gather</a></p><hr>` +
      `<p style="font-size:small;color:#555"><a href="${escape(unsubscribe)}">Stop emails about ${escape(label)}</a> · ` +
      `<a href="${escape(web)}/me/settings">All settings</a></p>`,
    headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
