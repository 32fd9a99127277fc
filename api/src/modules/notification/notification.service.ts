import type { Context } from '../../server/context.js';
import { badInput, isId } from '../../shared/errors.js';
import { findPage } from '../../shared/find-page.js';
import type { Connection } from '../../shared/pagination.js';
import { requireViewer } from '../user/auth.service.js';
import { Notification } from './notification.entity.js';
import type { NotificationKind } from './notification.enums.js';
import { saveSettings, settingsOf, type KindSetting } from './settings.js';
import type { Read } from '../../db/read.js';

/** The viewer's in-app notifications, newest first. */
export function myNotifications(ctx: Context, userId: string, page: { first?: number | null; after?: string | null }): Promise<Connection<Read<Notification>>> {
  return findPage(ctx.em, Notification, { user: userId, inApp: true }, [['createdAt', 'desc'], ['id', 'desc']], page);
}

/** How many of the viewer's in-app notifications are unread. */
export async function unreadCount(ctx: Context, userId: string): Promise<number> {
  const [row]: Array<{ n: number }> = await ctx.em.execute('select count(*)::int as n from notifications where user_id = ? and in_app and read_at is null', [userId]);
  return row.n;
}

/** Marks some (`ids`, only the viewer's own count) or all of the viewer's notifications read; returns the unread count after. */
export async function markRead(ctx: Context, ids: string[] | null | undefined, all: boolean | null | undefined): Promise<number> {
  const viewer = requireViewer(ctx);
  if (!all && !ids?.length) throw badInput('ids', 'name the notifications to mark read, or pass all: true');
  if (ids && ids.length > 500) throw badInput('ids', 'at most 500 at a time');
  const bad = ids?.findIndex((id) => !isId(id)) ?? -1;
  if (!all && bad >= 0) throw badInput(`ids.${bad}`, 'is not a notification id');
  if (all) await ctx.em.execute('update notifications set read_at = now() where user_id = ? and read_at is null', [viewer.id]);
  else await ctx.em.execute('update notifications set read_at = now() where user_id = ? and read_at is null and id in (?)', [viewer.id, ids]);
  return unreadCount(ctx, viewer.id);
}

export function mySettings(ctx: Context, userId: string): Promise<KindSetting[]> {
  return settingsOf(ctx.em, userId);
}

/** Changes the viewer's settings for the kinds named (each kind once); returns every kind's setting. */
export async function updateSettings(ctx: Context, changes: Array<{ kind: NotificationKind; inApp?: boolean | null; email?: boolean | null }>): Promise<KindSetting[]> {
  const viewer = requireViewer(ctx);
  const seen = new Set<string>();
  changes.forEach((c, i) => {
    if (seen.has(c.kind)) throw badInput(`settings.${i}.kind`, `${c.kind} is named twice`);
    seen.add(c.kind);
  });
  await ctx.em.transactional((em) => saveSettings(em, viewer.id, changes));
  return settingsOf(ctx.em, viewer.id);
}
