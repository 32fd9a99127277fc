import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership } from './membership.entity.js';

/** The viewer's own membership in each group (null when none), one query per batch of groups. */
export const membershipLoaders = (em: EntityManager, viewerId: string | null) => ({
  viewerByGroupId: new DataLoader<string, Membership | null>(async (groupIds) => {
    if (!viewerId) return groupIds.map(() => null);
    const rows = await em.find(Membership, { user: viewerId, group: { $in: [...groupIds] } });
    const byGroup = new Map(rows.map((m) => [m.group.id, m]));
    return groupIds.map((id) => byGroup.get(id) ?? null);
  }),
});
