import type { Context } from '../../server/context.js';
import { badInput, isId } from '../../shared/errors.js';
import { findPage } from '../../shared/find-page.js';
import { decodeCursor, emptyConnection, pageSize, toConnection, type Connection } from '../../shared/pagination.js';
import type { Event } from '../event/event.entity.js';
import { groupLoaders } from '../group/group.loaders.js';
import { canSeeInside } from '../membership/membership.policy.js';
import { userPrimer } from '../user/user.loaders.js';
import { Rsvp } from './rsvp.entity.js';
import { RsvpStatus } from './rsvp.enums.js';
import type { Read } from '../../db/read.js';

type Order = Array<[keyof Rsvp & string, 'asc' | 'desc']>;

/** Going: by when each got their seat. Waitlist: first in first out. Not going: by first answer. */
const ATTENDEE_ORDER: Record<RsvpStatus, Order> = {
  [RsvpStatus.GOING]: [['seatedAt', 'asc'], ['id', 'asc']],
  [RsvpStatus.WAITLISTED]: [['waitlistedAt', 'asc'], ['id', 'asc']],
  [RsvpStatus.NOT_GOING]: [['createdAt', 'asc'], ['id', 'asc']],
};

/** An event's RSVPs of one status (default GOING); empty for outsiders of a private group. */
export async function eventAttendees(
  ctx: Context,
  event: Read<Event>,
  status: RsvpStatus | null | undefined,
  page: { first?: number | null; after?: string | null },
  withCount = false,
): Promise<Connection<Read<Rsvp>>> {
  const group = await ctx.loaders.get(groupLoaders).byId.load(event.group.id);
  if (!group || !(await canSeeInside(ctx, group))) return emptyConnection();
  const wanted = status ?? RsvpStatus.GOING;
  return findPage(ctx.em, Rsvp, { event: event.id, status: wanted }, ATTENDEE_ORDER[wanted], page, { join: { user: userPrimer(ctx) }, count: withCount });
}

const UPCOMING = `from rsvps r join events e on e.id = r.event_id
  where r.user_id = ? and r.status in ('GOING', 'WAITLISTED') and e.ends_at > ?`;

/** The viewer's GOING and WAITLISTED RSVPs to events that have not ended (cancelled ones included), soonest first. */
export async function upcomingRsvps(ctx: Context, userId: string, page: { first?: number | null; after?: string | null }): Promise<Connection<Read<Rsvp>>> {
  const limit = pageSize(page.first);
  const now = new Date();
  const params: unknown[] = [userId, now];
  let keyset = '';
  if (page.after) {
    const [startsAt, id] = decodeCursor(page.after, [{ kind: 'date' }, { kind: 'id' }]);
    keyset = ' and (e.starts_at, r.id) > (?, ?)';
    params.push(startsAt, id);
  }
  const rows: Array<Record<string, unknown> & { event_starts_at: Date }> =
    limit === 0
      ? []
      : await ctx.em.execute(`select r.*, e.starts_at as event_starts_at ${UPCOMING}${keyset} order by e.starts_at, r.id limit ?`, [
          ...params,
          limit + 1,
        ]);
  const startsAt = new Map<string, Date>();
  const rsvps = rows.map(({ event_starts_at, ...row }) => {
    const rsvp = ctx.em.map(Rsvp, row);
    startsAt.set(rsvp.id, new Date(event_starts_at));
    return rsvp;
  });
  const count = async () => {
    const [row]: Array<{ n: string }> = await ctx.em.execute(`select count(*) as n ${UPCOMING}`, [userId, now]);
    return Number(row.n);
  };
  return toConnection(rsvps, limit, (r) => [startsAt.get(r.id)!, r.id], count);
}
