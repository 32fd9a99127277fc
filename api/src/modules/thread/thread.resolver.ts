import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { findPage } from '../../shared/find-page.js';
import { AsksTotalCount, BackwardPageArgs, ConnectionType, DEFAULT_PAGE, ForwardPageArgs, emptyConnection } from '../../shared/pagination.js';
import { Event } from '../event/event.entity.js';
import { eventLoaders } from '../event/event.loaders.js';
import { Group } from '../group/group.entity.js';
import { groupLoaders } from '../group/group.loaders.js';
import { canSeeInside } from '../membership/membership.policy.js';
import { User } from '../user/user.entity.js';
import { userLoaders } from '../user/user.loaders.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';
import { CreateThreadInput } from './thread.inputs.js';
import { threadLoaders } from './thread.loaders.js';
import * as threads from './thread.service.js';
import type { Read } from '../../db/read.js';

export const ThreadConnection = ConnectionType('Thread', Thread, 'threads');
export const MessageConnection = ConnectionType('Message', Message, 'messages');

@Resolver(() => Thread)
export class ThreadResolver {
  @Query(() => Thread, { nullable: true, description: 'A thread by id (null with NOT_FOUND when there is none, or it is in a private group you are not a member of).' })
  thread(@Arg('id', () => ID, { description: 'The thread\'s id.' }) id: string, @Ctx() ctx: Context) {
    return threads.visibleThread(ctx, id);
  }

  @Mutation(() => Thread, { description: 'Starts a discussion in a group with its first message (active members only).' })
  createThread(@Arg('input', () => CreateThreadInput, { description: 'The new thread.' }) input: CreateThreadInput, @Ctx() ctx: Context) {
    return threads.createThread(ctx, input);
  }

  @FieldResolver(() => Group, { description: 'The group the thread belongs to.' })
  async group(@Root() thread: Read<Thread>, @Ctx() ctx: Context) {
    return ctx.loaders.get(groupLoaders).byId.load(thread.group.id);
  }

  @FieldResolver(() => Event, { nullable: true, description: 'The event whose chat this is; null for a group discussion.' })
  async event(@Root() thread: Read<Thread>, @Ctx() ctx: Context) {
    return thread.event ? ctx.loaders.get(eventLoaders).byId.load(thread.event.id) : null;
  }

  @FieldResolver(() => User, { description: 'Who started the thread.' })
  async author(@Root() thread: Read<Thread>, @Ctx() ctx: Context) {
    return ctx.loaders.get(userLoaders).byId.load(thread.author.id);
  }

  @FieldResolver(() => MessageConnection, { description: 'Messages, paged backwards from the newest: each page is oldest first, newest last.' })
  async messages(@Root() thread: Read<Thread>, @Args() page: BackwardPageArgs, @Ctx() ctx: Context) {
    if (!(await threads.canReadThread(ctx, thread))) return emptyConnection();
    const backwards = { last: page.last ?? DEFAULT_PAGE, before: page.before };
    return findPage(ctx.em, Message, { thread: thread.id }, [['createdAt', 'asc'], ['id', 'asc']], backwards);
  }
}

@Resolver(() => Group)
export class GroupThreadsResolver {
  @FieldResolver(() => ThreadConnection, { description: 'The group\'s discussions (event chats excluded), most recently active first. Empty for outsiders of a private group.' })
  threads(@Root() group: Read<Group>, @Args() page: ForwardPageArgs, @AsksTotalCount() withCount: boolean, @Ctx() ctx: Context) {
    return threads.groupThreads(ctx, group, page, withCount);
  }
}

@Resolver(() => Event)
export class EventThreadResolver {
  @FieldResolver(() => Thread, { nullable: true, description: 'The event\'s own chat; null if you cannot see inside its group.' })
  async thread(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    const group = await ctx.loaders.get(groupLoaders).byId.load(event.group.id);
    if (!group || !(await canSeeInside(ctx, group))) return null;
    return ctx.loaders.get(threadLoaders).byEventId.load(event.id);
  }
}
