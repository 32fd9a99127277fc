import type { Context } from '../../server/context.js';
import { columnsOf, query, toRead, type Read } from '../../db/read.js';
import { Group } from '../group/group.entity.js';
import { groupLoaders } from '../group/group.loaders.js';
import { Membership } from '../membership/membership.entity.js';
import { membershipLoaders } from '../membership/membership.loaders.js';
import { Rsvp } from '../rsvp/rsvp.entity.js';
import { rsvpLoaders } from '../rsvp/rsvp.loaders.js';
import { Thread } from '../thread/thread.entity.js';
import { threadLoaders } from '../thread/thread.loaders.js';
import { Event } from './event.entity.js';
import { eventLoaders } from './event.loaders.js';
import { Venue } from './venue.entity.js';

/**
 * An event (a read row, db/read.ts) and what its page shows beside it — its group, venue and chat, and the viewer's
 * membership and RSVP — in one query; the loaders of those fields are primed with them, so the page asks no more.
 * Null when there is no such event. Whether the viewer may see it is the caller's to decide.
 */
export async function eventWithSurroundings(ctx: Context, id: string): Promise<Read<Event> | null> {
  const { em, loaders } = ctx;
  const viewerId = ctx.viewer?.id ?? null;
  const columns = [
    columnsOf(em, Event, 'e', 'e_').columns,
    columnsOf(em, Group, 'g', 'g_').columns,
    columnsOf(em, Venue, 'v', 'v_').columns,
    columnsOf(em, Thread, 't', 't_').columns,
    ...(viewerId ? [columnsOf(em, Membership, 'm', 'm_').columns, columnsOf(em, Rsvp, 'r', 'r_').columns] : []),
  ];
  const from = `from events e join groups g on g.id = e.group_id left join venues v on v.id = e.venue_id left join threads t on t.event_id = e.id`;
  const [row] = viewerId
    ? await query(em, {
        text: `select ${columns.join(', ')} ${from}
               left join memberships m on m.group_id = e.group_id and m.user_id = $2 left join rsvps r on r.event_id = e.id and r.user_id = $2
               where e.id = $1`,
        values: [id, viewerId],
      })
    : await query(em, { text: `select ${columns.join(', ')} ${from} where e.id = $1`, values: [id] });
  if (!row) return null;
  const event = toRead(em, Event, row, 'e_');
  const group = toRead(em, Group, row, 'g_');
  loaders.get(groupLoaders).byId.prime(group.id, group);
  if (row.v_id) loaders.get(eventLoaders).venueById.prime(row.v_id as string, toRead(em, Venue, row, 'v_'));
  loaders.get(threadLoaders).byEventId.prime(event.id, row.t_id ? toRead(em, Thread, row, 't_') : null);
  if (viewerId) {
    loaders.get(membershipLoaders).viewerByGroupId.prime(group.id, row.m_id ? toRead(em, Membership, row, 'm_') : null);
    loaders.get(rsvpLoaders).viewerByEventId.prime(event.id, row.r_id ? toRead(em, Rsvp, row, 'r_') : null);
  }
  return event;
}
