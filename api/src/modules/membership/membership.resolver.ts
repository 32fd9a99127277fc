import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { forbidden } from '../../shared/errors.js';
import { findPage } from '../../shared/find-page.js';
import { ConnectionType, ForwardPageArgs, emptyConnection } from '../../shared/pagination.js';
import { Group } from '../group/group.entity.js';
import { groupLoaders } from '../group/group.loaders.js';
import { Me } from '../user/me.type.js';
import { User } from '../user/user.entity.js';
import type { Read } from '../../db/read.js';
import { userLoaders, userPrimer } from '../user/user.loaders.js';
import { Membership } from './membership.entity.js';
import { MemberRole, MembershipStatus } from './membership.enums.js';
import { canSeeInside, hasRole } from './membership.policy.js';
import * as memberships from './membership.service.js';
import { searchMembers } from './member-search.js';
import { IsOptional, MaxLength } from 'class-validator';

export const MembershipConnection = ConnectionType('Membership', Membership, 'memberships');

@ArgsType()
class MembersArgs extends ForwardPageArgs {
  @Field(() => MemberRole, { nullable: true, description: 'Only members with this role.' })
  role?: MemberRole | null;

  @Field(() => MembershipStatus, { nullable: true, description: 'Default ACTIVE. Other statuses are for organizers.' })
  status?: MembershipStatus | null;

  @Field(() => String, { nullable: true, description: 'Only people whose name contains this text (any case), up to 100 characters.' })
  @MaxLength(100)
  @IsOptional()
  search?: string | null;
}

@Resolver(() => Membership)
export class MembershipResolver {
  @Mutation(() => Membership, { description: 'Joins an open group, or asks to join a group that approves members.' })
  joinGroup(
    @Arg('groupId', () => ID, { description: 'The group to join.' }) groupId: string,
    @Arg('answer', () => String, { nullable: true, description: 'Your answer to the group\'s join question.' }) answer: string | null,
    @Ctx() ctx: Context,
  ) {
    return memberships.joinGroup(ctx, groupId, answer);
  }

  @Mutation(() => Boolean, { description: 'Leaves a group or withdraws a request; false if you were not in it.' })
  leaveGroup(@Arg('groupId', () => ID, { description: 'The group to leave.' }) groupId: string, @Ctx() ctx: Context) {
    return memberships.leaveGroup(ctx, groupId);
  }

  @Mutation(() => Membership, { description: 'Approves or rejects a request to join (organizers only).' })
  reviewMembership(
    @Arg('membershipId', () => ID, { description: 'The pending request.' }) membershipId: string,
    @Arg('approve', { description: 'True to approve, false to reject.' }) approve: boolean,
    @Ctx() ctx: Context,
  ) {
    return memberships.reviewMembership(ctx, membershipId, approve);
  }

  @Mutation(() => Membership, { description: 'Gives a member a role (organizers only).' })
  setMemberRole(
    @Arg('membershipId', () => ID, { description: 'The member.' }) membershipId: string,
    @Arg('role', () => MemberRole, { description: 'The new role.' }) role: MemberRole,
    @Ctx() ctx: Context,
  ) {
    return memberships.setMemberRole(ctx, membershipId, role);
  }

  @Mutation(() => Boolean, { description: 'Removes a member or request, optionally banning them; removing a ban lifts it (organizers only).' })
  removeMember(
    @Arg('membershipId', () => ID, { description: 'The membership to remove.' }) membershipId: string,
    @Arg('ban', () => Boolean, { nullable: true, description: 'Also bar them from joining again. Default false.' }) ban: boolean | null,
    @Ctx() ctx: Context,
  ) {
    return memberships.removeMember(ctx, membershipId, ban ?? false);
  }

  @Mutation(() => Membership, {
    description:
      'Bans a person from the group by user id (organizers only): a member, a requester, a former member who left, or someone ' +
      'never in it. Their seats at upcoming events are freed; removeMember on the BANNED membership lifts the ban.',
  })
  banFromGroup(
    @Arg('groupId', () => ID, { description: 'The group.' }) groupId: string,
    @Arg('userId', () => ID, { description: 'The person to bar from it.' }) userId: string,
    @Ctx() ctx: Context,
  ) {
    return memberships.banFromGroup(ctx, groupId, userId);
  }

  @FieldResolver(() => User, { description: 'The member.' })
  async user(@Root() m: Read<Membership>, @Ctx() ctx: Context) {
    return ctx.loaders.get(userLoaders).byId.load(m.user.id);
  }

  @FieldResolver(() => Group, { description: 'The group.' })
  async group(@Root() m: Read<Membership>, @Ctx() ctx: Context) {
    return ctx.loaders.get(groupLoaders).byId.load(m.group.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The answer to the join question: seen by the person and the organizers.' })
  async answer(@Root() m: Read<Membership>, @Ctx() ctx: Context) {
    if (ctx.viewer?.id === m.user.id) return m.answer;
    return (await hasRole(ctx, m.group.id, [MemberRole.ORGANIZER])) ? m.answer : null;
  }
}

@Resolver(() => Group)
export class GroupMembersResolver {
  @FieldResolver(() => MembershipConnection, { description: 'Members, oldest first. Empty for outsiders of a private group.' })
  async members(@Root() group: Read<Group>, @Args() args: MembersArgs, @Ctx() ctx: Context) {
    if (!(await canSeeInside(ctx, group))) return emptyConnection();
    const status = args.status ?? MembershipStatus.ACTIVE;
    if (status !== MembershipStatus.ACTIVE && !(await hasRole(ctx, group.id, [MemberRole.ORGANIZER])))
      throw forbidden('Only organizers can see pending, rejected and banned people.');
    const search = args.search?.trim();
    const where = { group: group.id, status, ...(args.role ? { role: args.role } : {}) };
    const members = search
      ? await searchMembers(ctx.em, { group: group.id, status, role: args.role }, search, args, userPrimer(ctx))
      : await findPage(ctx.em, Membership, where, [['createdAt', 'asc'], ['id', 'asc']], args, { join: { user: userPrimer(ctx) } });
    return members;
  }
}

@Resolver(() => Me)
export class MeMembershipsResolver {
  @FieldResolver(() => MembershipConnection, { description: 'Your memberships and requests, newest first.' })
  memberships(@Root() me: Read<User>, @Args() page: ForwardPageArgs, @Ctx() ctx: Context) {
    return findPage(ctx.em, Membership, { user: me.id }, [['createdAt', 'desc'], ['id', 'desc']], page);
  }
}
