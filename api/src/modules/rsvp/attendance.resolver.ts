import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { Event } from '../event/event.entity.js';
import { eventLoaders } from '../event/event.loaders.js';
import { watchAttendance, type AttendanceChange } from './attendance.live.js';
import { Rsvp } from './rsvp.entity.js';
import { rsvpLoaders } from './rsvp.loaders.js';

/** Root value: an AttendanceChange (attendance.live.ts). */
@ObjectType({ description: 'One attendance change of an event, as it happens. Versions arrive consecutively.' })
export class EventAttendanceUpdate {
  @Field(() => Int, { description: 'The event\'s attendanceVersion after this change; if it is not one more than the last you saw, refetch.' })
  version!: number;
}

// Documents answered by the payload never reach these resolvers (live/payload-plan.ts); the others run here, per
// subscriber and per change, on a fresh context: what they load is what HTTP would answer now.
@Resolver(() => EventAttendanceUpdate)
export class EventAttendanceResolver {
  @Subscription(() => EventAttendanceUpdate, {
    description: 'Every attendance change of an event, in version order. Subscribe, then read the event; refetch when a version is skipped.',
    subscribe: ({ args, context }) => watchAttendance(context as Context, String(args.eventId)),
  })
  eventAttendance(
    @Root() change: AttendanceChange,
    @Arg('eventId', () => ID, { description: 'The event to watch.' }) _eventId: string,
  ): AttendanceChange {
    return change;
  }

  @FieldResolver(() => Event, { description: 'The event with its counts after this change.' })
  event(@Root() change: AttendanceChange, @Ctx() ctx: Context) {
    return ctx.loaders.get(eventLoaders).byId.load(change.event.id);
  }

  @FieldResolver(() => Rsvp, { nullable: true, description: 'The RSVP that changed; null for a change of capacity alone.' })
  rsvp(@Root() change: AttendanceChange, @Ctx() ctx: Context) {
    return change.rsvp && ctx.loaders.get(rsvpLoaders).byId.load(change.rsvp.id);
  }
}
