import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import type { Mail } from './mailer.js';
import { KIND_LABELS, type NotificationKind } from './notification.enums.js';
import { unsubscribeToken } from './unsubscribe.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Address of this API as email readers reach it. */
export const publicApiUrl = (config: Config) => (config.PUBLIC_API_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

/**
 * The email of one notification, with its one-click unsubscribe link (in the text and as List-Unsubscribe headers);
 * null when its person has turned this kind's email off since it was written.
 */
export async function emailOf(em: EntityManager, orm: MikroORM, config: Config, notificationId: string): Promise<Mail | null> {
  const [n]: Array<{ user_id: string; email: string; name: string; kind: NotificationKind; title: string; body: string; url: string; wanted: boolean }> =
    await em.execute(
      `select n.user_id, u.email, u.name, n.kind, n.title, n.body, n.url, coalesce(ns.email, true) as wanted
       from notifications n join users u on u.id = n.user_id
       left join notification_settings ns on ns.user_id = n.user_id and ns.kind = n.kind where n.id = ?`,
      [notificationId],
    );
  if (!n || !n.wanted) return null;
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
