import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { columnsOf, query, readAll, type Read } from '../../db/read.js';
import { byIdLoader } from '../../shared/loaders.js';
import { Rsvp } from './rsvp.entity.js';

/** A waitlisted RSVP to place: its id and its event. */
export interface WaitlistKey {
  id: string;
  eventId: string;
}

/** RSVPs by id, the viewer's RSVP per event (read rows, db/read.ts), and waitlist positions; one query per batch each. */
export const rsvpLoaders = (em: EntityManager, viewerId: string | null) => ({
  /** RSVPs by id. */
  byId: byIdLoader(em, Rsvp),
  /** The viewer's RSVP to each event (any status), or null. */
  viewerByEventId: new DataLoader<string, Read<Rsvp> | null>(async (eventIds) => {
    if (!viewerId) return eventIds.map(() => null);
    const { table, columns } = columnsOf(em, Rsvp, 't');
    const rows = await readAll(em, Rsvp, { text: `select ${columns} from ${table} t where t.user_id = $1 and t.event_id = any($2)`, values: [viewerId, eventIds] });
    const byEvent = new Map(rows.map((r) => [r.event.id, r]));
    return eventIds.map((id) => byEvent.get(id) ?? null);
  }),

  /** 1-based places in their events' waitlists (by waitlistedAt, then id): one window query per batch of events. */
  waitlistPosition: new DataLoader<WaitlistKey, number | null, string>(
    async (keys) => {
      const eventIds = [...new Set(keys.map((k) => k.eventId))];
      const ids = keys.map((k) => k.id);
      const rows = await query(em, {
        text: `select id, position from (
                 select id, row_number() over (partition by event_id order by waitlisted_at, id) as position
                 from rsvps where status = 'WAITLISTED' and event_id = any($1)
               ) w where id = any($2)`,
        values: [eventIds, ids],
      });
      const byId = new Map(rows.map((row) => [row.id as string, Number(row.position)]));
      return keys.map((k) => byId.get(k.id) ?? null);
    },
    { cacheKeyFn: (k) => k.id },
  ),
});
