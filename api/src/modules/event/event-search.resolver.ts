import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { ForwardPageArgs } from '../../shared/pagination.js';
import { EventConnection } from './event.connection.js';
import { EventFilter, searchEvents } from './event.search.js';

/** Event discovery: `Query.events` (docs/ARCHITECTURE.md, Discovery). */
@Resolver()
export class EventSearchResolver {
  @Query(() => EventConnection, {
    description: 'Events to explore: upcoming events of public groups by words, topic, place, time window and group; soonest first.',
  })
  events(
    @Arg('filter', () => EventFilter, { nullable: true, description: 'Words, topic, place, time window and group to narrow the list.' })
    filter: EventFilter | null,
    @Args() page: ForwardPageArgs,
    @Ctx() ctx: Context,
  ) {
    return searchEvents(ctx.em, filter ?? {}, page);
  }
}
