import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../server/context.js';
import type { AttendanceChange, ThreadActivityChange } from '../../shared/live.js';
import { Event } from '../event/event.entity.js';
import { Rsvp } from '../rsvp/rsvp.entity.js';
import { Message } from '../thread/message.entity.js';
import { Thread } from '../thread/thread.entity.js';
import { EventAttendanceUpdate, ThreadActivity } from './live.types.js';
import { selectsOnly } from './selection.js';
import { subscribeAttendance, subscribeThread } from './live.service.js';

@Resolver(() => EventAttendanceUpdate)
export class EventAttendanceResolver {
  @Subscription(() => EventAttendanceUpdate, {
    description: 'Every attendance change of an event, in version order. Subscribe, then read the event; refetch when a version is skipped.',
    subscribe: ({ args, context }) => subscribeAttendance(context as Context, String(args.eventId)),
  })
  eventAttendance(
    @Root() change: AttendanceChange,
    @Arg('eventId', () => ID, { description: 'The event to watch.' }) _eventId: string,
  ): AttendanceChange {
    return change;
  }

  @FieldResolver(() => Event, { description: 'The event with its counts after this change.' })
  event(@Root() change: AttendanceChange, @Info() info: GraphQLResolveInfo, @Ctx() ctx: Context) {
    const counts = { goingCount: true, waitlistCount: true, capacity: true, attendanceVersion: true, id: true } as const;
    if (selectsOnly(info, counts)) return { id: change.eventId, ...change.event };
    return ctx.em.fork().findOne(Event, change.eventId);
  }

  @FieldResolver(() => Rsvp, { nullable: true, description: 'The RSVP that changed; null for a change of capacity alone.' })
  rsvp(@Root() change: AttendanceChange, @Info() info: GraphQLResolveInfo, @Ctx() ctx: Context) {
    if (!change.rsvp) return null;
    const fields = { id: true, status: true, guests: true, waitlistPosition: true, user: ['id', 'name'] } as const;
    if (selectsOnly(info, fields as never)) return change.rsvp;
    return ctx.em.fork().findOne(Rsvp, change.rsvp.id);
  }
}

@Resolver(() => ThreadActivity)
export class ThreadActivityResolver {
  @Subscription(() => ThreadActivity, {
    description: 'Messages posted, edited and deleted in a thread, as they happen.',
    subscribe: ({ args, context }) => subscribeThread(context as Context, String(args.threadId)),
  })
  threadActivity(
    @Root() change: ThreadActivityChange,
    @Arg('threadId', () => ID, { description: 'The thread to watch.' }) _threadId: string,
  ): ThreadActivityChange {
    return change;
  }

  @FieldResolver(() => Message, { description: 'The message (its body is empty when deleted).' })
  message(@Root() change: ThreadActivityChange, @Info() info: GraphQLResolveInfo, @Ctx() ctx: Context) {
    const fields = { id: true, body: true, createdAt: true, editedAt: true, deleted: true, author: ['id', 'name'] } as const;
    if (selectsOnly(info, fields as never)) {
      const m = change.message;
      return { ...m, createdAt: new Date(m.createdAt), editedAt: m.editedAt ? new Date(m.editedAt) : null };
    }
    return ctx.em.fork().findOne(Message, change.message.id);
  }

  @FieldResolver(() => Thread, { description: 'The thread with its new counts.' })
  thread(@Root() change: ThreadActivityChange, @Info() info: GraphQLResolveInfo, @Ctx() ctx: Context) {
    if (selectsOnly(info, { id: true, messageCount: true, lastMessageAt: true })) {
      const t = change.thread;
      return { id: change.threadId, messageCount: t.messageCount, lastMessageAt: t.lastMessageAt ? new Date(t.lastMessageAt) : null };
    }
    return ctx.em.fork().findOne(Thread, change.threadId);
  }
}
