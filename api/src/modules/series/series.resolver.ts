import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { byIdLoader } from '../../shared/loaders.js';
import { findPage } from '../../shared/find-page.js';
import { ForwardPageArgs } from '../../shared/pagination.js';
import { EventConnection } from '../event/event.connection.js';
import { Event } from '../event/event.entity.js';
import { EventSeries } from './series.entity.js';
import './series.jobs.js';
import type { Read } from '../../db/read.js';

/** Series by id, one query per batch. */
export const seriesLoaders = (em: Context['em']) => ({ byId: byIdLoader(em, EventSeries) });

@Resolver(() => Event)
export class EventSeriesFieldResolver {
  @FieldResolver(() => EventSeries, { nullable: true, description: 'The series this event repeats in; null for a one-off event.' })
  series(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    return event.series ? ctx.loaders.get(seriesLoaders).byId.load(event.series.id) : null;
  }
}

@Resolver(() => EventSeries)
export class EventSeriesResolver {
  // Reached only through Event.series, whose event the viewer may already see: the same group, the same rights.
  @FieldResolver(() => EventConnection, {
    description: 'The occurrences created so far (up to 90 days ahead), cancelled ones included, soonest first.',
  })
  occurrences(@Root() series: Read<EventSeries>, @Args() page: ForwardPageArgs, @Ctx() ctx: Context) {
    return findPage(ctx.em, Event, { series: series.id }, [['startsAt', 'asc'], ['id', 'asc']], page);
  }
}
