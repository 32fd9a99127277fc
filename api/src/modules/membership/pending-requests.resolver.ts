import DataLoader from 'dataloader';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { query, type Read } from '../../db/read.js';
import { Group } from '../group/group.entity.js';
import { Me } from '../user/me.type.js';
import { MemberRole } from './membership.enums.js';
import { hasRole } from './membership.policy.js';

/** Pending join requests per group, one query per batch. */
export const pendingLoaders = (em: Context['em']) => ({
  countByGroupId: new DataLoader<string, number>(async (groupIds) => {
    const rows = await query(em, {
      text: `select group_id, count(*)::int as n from memberships where status = 'PENDING' and group_id = any($1) group by group_id`,
      values: [groupIds],
    });
    const counts = new Map(rows.map((row) => [row.group_id as string, Number(row.n)]));
    return groupIds.map((id) => counts.get(id) ?? 0);
  }),
});

@Resolver(() => Group)
export class GroupPendingResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'Join requests waiting for an answer: for the group\'s organizers; null for everyone else.' })
  async pendingRequestCount(@Root() group: Read<Group>, @Ctx() ctx: Context) {
    if (!(await hasRole(ctx, group.id, [MemberRole.ORGANIZER]))) return null;
    return ctx.loaders.get(pendingLoaders).countByGroupId.load(group.id);
  }
}

@Resolver(() => Me)
export class MePendingResolver {
  @FieldResolver(() => Int, { description: 'Join requests waiting for an answer in all the groups you organize.' })
  async pendingRequestCount(@Root() me: Me, @Ctx() ctx: Context) {
    const [row] = await query(ctx.em, {
      text: `select count(*)::int as n from memberships p join memberships o on o.group_id = p.group_id
             where p.status = 'PENDING' and o.user_id = $1 and o.role = 'ORGANIZER' and o.status = 'ACTIVE'`,
      values: [me.id],
    });
    return Number(row.n);
  }
}
