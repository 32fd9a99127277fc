import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { ForwardPageArgs } from '../../shared/pagination.js';
import { Event } from '../event/event.entity.js';
import { eventLoaders } from '../event/event.loaders.js';
import { Group } from '../group/group.entity.js';
import { groupLoaders } from '../group/group.loaders.js';
import { canSeeInside } from '../membership/membership.policy.js';
import { Me } from '../user/me.type.js';
import type { User } from '../user/user.entity.js';
import { Notification } from './notification.entity.js';
import { subscribeNotifications, type NotificationAddedPayload } from './notification.live.js';
import { markRead, myNotifications, mySettings, unreadCount, updateSettings } from './notification.service.js';
import { NotificationAdded, NotificationConnection, NotificationSetting, NotificationSettingInput } from './notification.types.js';
import './workers.js';
import type { Read } from '../../db/read.js';

/** A notification as the list reads it (lean: relations are references) or as the live payload carries it. */
type NotificationRoot = Notification & { groupId?: string | null; eventId?: string | null };

@Resolver(() => Me)
export class MeNotificationsResolver {
  @FieldResolver(() => NotificationConnection, { description: 'Your notifications, newest first.' })
  notifications(@Root() me: Read<User>, @Args() page: ForwardPageArgs, @Ctx() ctx: Context) {
    return myNotifications(ctx, me.id, page);
  }

  @FieldResolver(() => Int, { description: 'How many of your notifications are unread (the number on the bell).' })
  unreadNotificationCount(@Root() me: Read<User>, @Ctx() ctx: Context) {
    return unreadCount(ctx, me.id);
  }

  @FieldResolver(() => [NotificationSetting], { description: 'For each kind of notification, whether it shows in the app and comes by email.' })
  notificationSettings(@Root() me: Read<User>, @Ctx() ctx: Context) {
    return mySettings(ctx, me.id);
  }
}

@Resolver(() => Notification)
export class NotificationResolver {
  @FieldResolver(() => Group, { nullable: true, description: 'The group it is about, if any.' })
  group(@Root() n: NotificationRoot, @Ctx() ctx: Context) {
    const id = n.group?.id ?? n.groupId;
    return id ? ctx.loaders.get(groupLoaders).byId.load(id) : null;
  }

  @FieldResolver(() => Event, { nullable: true, description: 'The event it is about, if any (null once you may no longer see inside its group).' })
  async event(@Root() n: NotificationRoot, @Ctx() ctx: Context) {
    const id = n.event?.id ?? n.eventId;
    const event = id ? await ctx.loaders.get(eventLoaders).byId.load(id) : null;
    const group = event && (await ctx.loaders.get(groupLoaders).byId.load(event.group.id));
    return group && (await canSeeInside(ctx, group)) ? event : null;
  }

  @Mutation(() => Int, { description: 'Marks your notifications read: those of `ids`, or all of them. Returns your unread count afterwards.' })
  markNotificationsRead(
    @Arg('ids', () => [ID], { nullable: true, description: 'The notifications to mark read (others\' ids are ignored).' }) ids: string[] | null,
    @Arg('all', () => Boolean, { nullable: true, description: 'Mark every notification read.' }) all: boolean | null,
    @Ctx() ctx: Context,
  ) {
    return markRead(ctx, ids, all);
  }

  @Mutation(() => [NotificationSetting], { description: 'Changes your notification settings for the kinds given; returns every kind\'s setting.' })
  updateNotificationSettings(
    @Arg('settings', () => [NotificationSettingInput], { description: 'One change per kind.' }) settings: NotificationSettingInput[],
    @Ctx() ctx: Context,
  ) {
    return updateSettings(ctx, settings);
  }

  @Subscription(() => NotificationAdded, {
    description: 'Your new notifications as they arrive, with your unread count. Signed-in connections only.',
    subscribe: ({ context }) => subscribeNotifications(context as Context),
  })
  notificationAdded(@Root() payload: NotificationAddedPayload): NotificationAdded {
    const n = payload.notification;
    return { unreadCount: payload.unreadCount, notification: { ...n, createdAt: new Date(n.createdAt) } as unknown as Notification };
  }
}
