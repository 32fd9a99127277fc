import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { Event } from './event.entity.js';
import { watchEventChanges, type EventChange } from './event.live.js';
import { eventLoaders } from './event.loaders.js';

@Resolver()
export class EventLiveResolver {
  @Subscription(() => Event, {
    description:
      'Changes to an event itself (cancelled, moved, venue, capacity, title, description), as they happen; ' +
      'attendance changes come through eventAttendance.',
    subscribe: ({ args, context }) => watchEventChanges(context as Context, String(args.eventId)),
  })
  eventChanged(
    @Root() change: EventChange,
    @Arg('eventId', () => ID, { description: 'The event to watch.' }) _eventId: string,
    @Ctx() ctx: Context,
  ) {
    // Reached only by documents the payload does not answer (live/payload-plan.ts): read it now, for this viewer.
    return ctx.loaders.get(eventLoaders).byId.load(change.id);
  }
}
