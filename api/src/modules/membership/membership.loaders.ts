import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { columnsOf, readAll, type Read } from '../../db/read.js';
import { Membership } from './membership.entity.js';

/** The viewer's own membership in each group (a read row, db/read.ts; null when none), one query per batch of groups. */
export const membershipLoaders = (em: EntityManager, viewerId: string | null) => ({
  viewerByGroupId: new DataLoader<string, Read<Membership> | null>(async (groupIds) => {
    if (!viewerId) return groupIds.map(() => null);
    const { table, columns } = columnsOf(em, Membership, 't');
    const rows = await readAll(em, Membership, { text: `select ${columns} from ${table} t where t.user_id = $1 and t.group_id = any($2)`, values: [viewerId, groupIds] });
    const byGroup = new Map(rows.map((m) => [m.group.id, m]));
    return groupIds.map((id) => byGroup.get(id) ?? null);
  }),
});
