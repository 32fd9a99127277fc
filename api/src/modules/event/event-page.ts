import type { Context } from '../../server/context.js';
import { leanColumns, leanEntity, leanRead } from '../../shared/lean.js';
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
 * An event (lean, shared/lean.ts) and what its page shows beside it — its group, venue and chat, and the viewer's
 * membership and RSVP — in one query; the loaders of those fields are primed with them, so the page asks no more.
 * Null when there is no such event. Whether the viewer may see it is the caller's to decide.
 */
export async function eventWithSurroundings(ctx: Context, id: string): Promise<Event | null> {
  const { em, loaders } = ctx;
  const viewerId = ctx.viewer?.id ?? null;
  const columns = [
    leanColumns(em, Event, 'e', 'e_').columns,
    leanColumns(em, Group, 'g', 'g_').columns,
    leanColumns(em, Venue, 'v', 'v_').columns,
    leanColumns(em, Thread, 't', 't_').columns,
    ...(viewerId ? [leanColumns(em, Membership, 'm', 'm_').columns, leanColumns(em, Rsvp, 'r', 'r_').columns] : []),
  ];
  const [row] = await leanRead(em, 
    `select ${columns.join(', ')} from events e join groups g on g.id = e.group_id
     left join venues v on v.id = e.venue_id
     left join threads t on t.event_id = e.id
     ${viewerId ? 'left join memberships m on m.group_id = e.group_id and m.user_id = ? left join rsvps r on r.event_id = e.id and r.user_id = ?' : ''}
     where e.id = ?`,
    viewerId ? [viewerId, viewerId, id] : [id],
  );
  if (!row) return null;
  const event = leanEntity(em, Event, row, 'e_');
  const group = leanEntity(em, Group, row, 'g_');
  loaders.get(groupLoaders).byId.prime(group.id, group);
  if (row.v_id) loaders.get(eventLoaders).venueById.prime(row.v_id as string, leanEntity(em, Venue, row, 'v_'));
  loaders.get(threadLoaders).byEventId.prime(event.id, row.t_id ? leanEntity(em, Thread, row, 't_') : null);
  if (viewerId) {
    loaders.get(membershipLoaders).viewerByGroupId.prime(group.id, row.m_id ? leanEntity(em, Membership, row, 'm_') : null);
    loaders.get(rsvpLoaders).viewerByEventId.prime(event.id, row.r_id ? leanEntity(em, Rsvp, row, 'r_') : null);
  }
  return event;
}
