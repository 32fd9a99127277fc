import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { leanColumns, leanQuery, placeholders } from '../../shared/lean.js';
import { Membership } from './membership.entity.js';

/** The viewer's own membership in each group (lean, shared/lean.ts; null when none), one query per batch of groups. */
export const membershipLoaders = (em: EntityManager, viewerId: string | null) => ({
  viewerByGroupId: new DataLoader<string, Membership | null>(async (groupIds) => {
    if (!viewerId) return groupIds.map(() => null);
    const { table, columns } = leanColumns(em, Membership, 't');
    const rows = await leanQuery(em, Membership, `select ${columns} from ${table} t where t.user_id = ? and t.group_id in (${placeholders(groupIds.length)})`, [
      viewerId,
      ...groupIds,
    ]);
    const byGroup = new Map(rows.map((m) => [m.group.id, m]));
    return groupIds.map((id) => byGroup.get(id) ?? null);
  }),
});
