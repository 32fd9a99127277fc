import { Arg, Args, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { LatLng } from '../../shared/geo.js';
import { AsksTotalCount, ConnectionType, ForwardPageArgs } from '../../shared/pagination.js';
import { Membership } from '../membership/membership.entity.js';
import { viewerMembership } from '../membership/membership.policy.js';
import { Topic } from '../topic/topic.entity.js';
import { topicLoaders } from '../topic/topic.loaders.js';
import { Group } from './group.entity.js';
import { CreateGroupInput, GroupFilter, UpdateGroupInput } from './group.inputs.js';
import { distanceFromSearch, searchGroups } from './group.search.js';
import * as groups from './group.service.js';
import type { Read } from '../../db/read.js';

export const GroupConnection = ConnectionType('Group', Group, 'groups');

@Resolver(() => Group)
export class GroupResolver {
  @Query(() => Group, { nullable: true, description: 'A group by its slug (null with NOT_FOUND when there is none).' })
  group(@Arg('slug', { description: 'The group\'s slug, as in its link.' }) slug: string, @Ctx() ctx: Context) {
    return groups.groupBySlug(ctx, slug);
  }

  @Query(() => GroupConnection, { description: 'Groups to explore: by words, topic and place; ordered by relevance when searching, else by distance, else by member count.' })
  groups(
    @Arg('filter', () => GroupFilter, { nullable: true, description: 'Words, topic and place to narrow the list.' }) filter: GroupFilter | null,
    @Args() page: ForwardPageArgs,
    @AsksTotalCount() withCount: boolean,
    @Ctx() ctx: Context,
  ) {
    return searchGroups(ctx.em, filter ?? {}, page, withCount);
  }

  @Mutation(() => Group, { description: 'Creates a group; you become its first organizer.' })
  createGroup(@Arg('input', () => CreateGroupInput, { description: 'The new group.' }) input: CreateGroupInput, @Ctx() ctx: Context) {
    return groups.createGroup(ctx, input);
  }

  @Mutation(() => Group, { description: 'Changes a group (organizers only).' })
  updateGroup(
    @Arg('id', () => ID, { description: 'The group to change.' }) id: string,
    @Arg('input', () => UpdateGroupInput, { description: 'The fields to change.' }) input: UpdateGroupInput,
    @Ctx() ctx: Context,
  ) {
    return groups.updateGroup(ctx, id, input);
  }

  @FieldResolver(() => [Topic], { description: 'The group\'s topics, in the order its organizers chose.' })
  topics(@Root() group: Read<Group>, @Ctx() ctx: Context) {
    return ctx.loaders.get(topicLoaders).byGroupId.load(group.id);
  }

  // A field resolver, not a getter: read rows are plain objects (db/read.ts).
  @FieldResolver(() => LatLng, { description: 'Where the group meets, roughly (the city centre or a usual spot).' })
  location(@Root() group: Read<Group>): LatLng {
    return { lat: group.lat, lng: group.lng };
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Kilometres from the point of the `near` filter that listed this group (great-circle, to where it meets); null elsewhere.',
  })
  distanceKm(@Root() group: Read<Group>): number | null {
    return distanceFromSearch(group);
  }

  @FieldResolver(() => Membership, { nullable: true, description: 'Your membership in this group (any status), or null.' })
  viewerMembership(@Root() group: Read<Group>, @Ctx() ctx: Context) {
    return viewerMembership(ctx, group.id);
  }
}
