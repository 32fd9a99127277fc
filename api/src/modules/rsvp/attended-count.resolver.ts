import DataLoader from 'dataloader';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { query, type Read } from '../../db/read.js';
import { Event } from '../event/event.entity.js';

/** People marked as attended, per event: one query per batch of events (a list of past events asks once). */
export const attendedLoaders = (em: Context['em']) => ({
  countByEventId: new DataLoader<string, number>(async (eventIds) => {
    const rows = await query(em, {
      text: `select event_id, count(*)::int as n from rsvps where attended and event_id = any($1) group by event_id`,
      values: [eventIds],
    });
    const counts = new Map(rows.map((row) => [row.event_id as string, Number(row.n)]));
    return eventIds.map((id) => counts.get(id) ?? 0);
  }),
});

@Resolver(() => Event)
export class EventAttendedCountResolver {
  @FieldResolver(() => Int, { description: 'People the hosts marked as having come (check-in); 0 before the event starts.' })
  attendedCount(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    return ctx.loaders.get(attendedLoaders).countByEventId.load(event.id);
  }
}
