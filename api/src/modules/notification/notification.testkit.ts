import type { TestApi } from '../../test/api.js';
import { waitUntil } from '../../test/api-process.js';
import { contractOperation } from '../../test/events.js';
import { ok, sql } from '../../test/factories.js';

/** Helpers of the notification tests. */
export const NOTIFICATIONS = contractOperation('Notifications');

/** The in-app notifications of `token`'s user, newest first, and their unread count. */
export async function inbox(t: TestApi, token: string) {
  const me = ok(await t.gql(NOTIFICATIONS, { first: 50 }, token)).me;
  return { unread: me.unreadNotificationCount as number, items: me.notifications.edges.map((e: any) => e.node) as any[], total: me.notifications.totalCount as number };
}

/** Kinds of every notification row of `userId` (in-app or not), oldest first. */
export async function kindsOf(t: TestApi, userId: string): Promise<string[]> {
  const rows = await sql<{ kind: string }>(t, 'select kind from notifications where user_id = ? order by created_at, kind', [userId]);
  return rows.map((r) => r.kind);
}

/** Waits until no job of the queue is waiting or running (what was caused has been delivered). */
export async function queueSettled(t: TestApi, timeoutMs = 15_000): Promise<void> {
  await waitUntil(
    async () => {
      const [row] = await sql<{ n: number }>(t, `select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now()`);
      return row.n === 0;
    },
    'the job queue to settle',
    timeoutMs,
  );
}
