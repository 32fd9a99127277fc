import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { unauthenticated } from '../../shared/errors.js';
import { topic, type LivePublisher } from '../../shared/live.js';
import type { LiveStream } from '../live/live-stream.js';
import { watch } from '../live/live-watch.js';

// The live side of notifications: a topic of their own, keyed by person (docs/ARCHITECTURE.md, "Live protocol").

/** What `notificationAdded` delivers: plain JSON (it crosses Redis). */
export interface NotificationAddedPayload {
  unreadCount: number;
  notification: { id: string; kind: string; title: string; body: string; url: string; createdAt: string; readAt: null; groupId: string | null; eventId: string | null };
}

/** New notifications of one person (key: the user id). */
export const notificationTopic = topic<NotificationAddedPayload>('notifications');

/** After the commit: pushes new notifications to their people with their unread counts (two queries in all, however many people). */
export async function publishAdded(em: EntityManager, live: LivePublisher, added: Array<{ id: string; userId: string }>) {
  if (added.length === 0) return;
  const users = [...new Set(added.map((a) => a.userId))];
  const rows: Array<Record<string, any>> = await em.execute(
    'select id, user_id, kind, title, body, url, created_at, group_id, event_id from notifications where id in (?)',
    [added.map((a) => a.id)],
  );
  const counts: Array<{ user_id: string; n: number }> = await em.execute(
    'select user_id, count(*)::int as n from notifications where user_id in (?) and in_app and read_at is null group by user_id',
    [users],
  );
  const unread = new Map(counts.map((c) => [c.user_id, c.n]));
  for (const r of rows) {
    const payload: NotificationAddedPayload = {
      unreadCount: unread.get(r.user_id) ?? 0,
      notification: {
        id: r.id, kind: r.kind, title: r.title, body: r.body, url: r.url, createdAt: new Date(r.created_at).toISOString(), readAt: null,
        groupId: r.group_id, eventId: r.event_id,
      },
    };
    live.publish(notificationTopic, r.user_id, payload);
  }
}

/** The viewer's own notifications as they arrive; signed-in sockets only. Nothing to re-check: the topic is theirs. */
export function subscribeNotifications(ctx: Context): LiveStream<NotificationAddedPayload> {
  const viewer = ctx.viewer;
  if (!viewer) throw unauthenticated('Log in to get notifications.');
  return watch(ctx, null, (push) => ctx.live.listen(notificationTopic, viewer.id, push));
}
