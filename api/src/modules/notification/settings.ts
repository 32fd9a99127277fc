import type { EntityManager } from '@mikro-orm/postgresql';
import { ALL_KINDS, NotificationKind } from './notification.enums.js';

/** A person's choice for one kind: shown in the app, sent by email. Without a row, both are on. */
export interface KindSetting {
  kind: NotificationKind;
  inApp: boolean;
  email: boolean;
}

/** Every kind's setting for `userId`, in the order of the enum. */
export async function settingsOf(em: EntityManager, userId: string): Promise<KindSetting[]> {
  const rows: Array<{ kind: NotificationKind; in_app: boolean; email: boolean }> = await em.execute(
    'select kind, in_app, email from notification_settings where user_id = ?',
    [userId],
  );
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return ALL_KINDS.map((kind) => ({ kind, inApp: byKind.get(kind)?.in_app ?? true, email: byKind.get(kind)?.email ?? true }));
}

/** Changes some kinds' settings (an omitted channel keeps its value); one statement per kind, an upsert. */
export async function saveSettings(em: EntityManager, userId: string, changes: Array<{ kind: NotificationKind; inApp?: boolean | null; email?: boolean | null }>) {
  for (const c of changes) {
    await em.execute(
      `insert into notification_settings (user_id, kind, in_app, email) values (?, ?, coalesce(?::boolean, true), coalesce(?::boolean, true))
       on conflict (user_id, kind) do update set in_app = coalesce(?::boolean, notification_settings.in_app), email = coalesce(?::boolean, notification_settings.email)`,
      [userId, c.kind, c.inApp ?? null, c.email ?? null, c.inApp ?? null, c.email ?? null],
    );
  }
}
