import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { badInput, forbidden, isId, notFound } from '../../shared/errors.js';
import { EventStatus } from '../event/event.enums.js';
import { eventLoaders } from '../event/event.loaders.js';
import { GroupVisibility } from '../group/group.enums.js';
import { groupLoaders } from '../group/group.loaders.js';
import { MembershipStatus } from '../membership/membership.enums.js';
import { assertRole, canSeeInside, EVENT_MANAGERS } from '../membership/membership.policy.js';
import { requireViewer } from '../user/auth.service.js';
import { AttendanceLedger } from './attendance-ledger.js';
import { publishAttendance } from './attendance.live.js';
import { Rsvp } from './rsvp.entity.js';
import { RsvpResponse } from './rsvp.enums.js';
import { rsvpLoaders } from './rsvp.loaders.js';
import { answerNo, answerYes, findRsvp, lockEvent } from './seating.js';

/** The group's visibility and the user's membership status in it, read inside the transaction (after the event lock). */
async function standing(em: EntityManager, groupId: string, userId: string): Promise<{ visibility: string; status: string | null }> {
  const [row]: Array<{ visibility: string; status: string | null }> = await em.execute(
    `select g.visibility, m.status from groups g
     left join memberships m on m.group_id = g.id and m.user_id = ?
     where g.id = ?`,
    [userId, groupId],
  );
  return row;
}

/**
 * Answers an event for the viewer (DESIGN §3, attendance rules 1–7): one transaction that locks the
 * event row first, so counts stay exact however many answers race; changes are published after the commit.
 * Rate-limited per user.
 */
export async function rsvp(ctx: Context, eventId: string, response: RsvpResponse, guests: number | null | undefined): Promise<Rsvp> {
  const viewer = requireViewer(ctx);
  if (guests != null && guests < 0) throw badInput('guests', 'must be 0 or more');
  await ctx.rateLimits.consume('rsvpsPerUser', viewer.id);
  const { answer, changes, event } = await ctx.em.transactional(async (em) => {
    const event = await lockEvent(em, eventId);
    if (!event) throw notFound('Event');
    const { visibility, status } = await standing(em, event.group.id, viewer.id);
    if (status !== MembershipStatus.ACTIVE) {
      if (visibility === GroupVisibility.PRIVATE) throw notFound('Event');
      throw forbidden('Join the group first: only its members can RSVP to its events.');
    }
    if (event.status === EventStatus.CANCELLED) throw badInput('eventId', 'this event was cancelled; RSVPs are closed');
    if (event.endsAt.getTime() <= Date.now()) throw badInput('eventId', 'this event has ended; RSVPs are closed');
    const current = await findRsvp(em, event, viewer.id);
    const ledger = new AttendanceLedger(event);
    const answer =
      response === RsvpResponse.YES
        ? await answerYes(em, ledger, current, viewer.id, guests ?? null)
        : await answerNo(em, ledger, current, viewer.id);
    return { answer, changes: await ledger.payloads(em, viewer), event };
  });
  publishAttendance(ctx.live, changes);
  // The answer's `event` and `waitlistPosition` fields are what this transaction just wrote: no need to read them again.
  ctx.loaders.get(eventLoaders).byId.prime(event.id, event);
  for (const change of changes) {
    if (change.rsvp) ctx.loaders.get(rsvpLoaders).waitlistPosition.prime({ id: change.rsvp.id, eventId: change.event.id }, change.rsvp.waitlistPosition);
  }
  return answer;
}

/**
 * Marks whether someone came: hosts of the event and the group's organizers and event organizers,
 * once the event has started. Not an attendance change (counts and version stay).
 */
export async function markAttended(ctx: Context, rsvpId: string, attended: boolean): Promise<Rsvp> {
  const viewer = requireViewer(ctx);
  const found = isId(rsvpId) ? await ctx.em.findOne(Rsvp, rsvpId) : null;
  if (!found) throw notFound('RSVP');
  const event = await ctx.loaders.get(eventLoaders).byId.load(found.event.id);
  const group = event && (await ctx.loaders.get(groupLoaders).byId.load(event.group.id));
  if (!event || !group || !(await canSeeInside(ctx, group))) throw notFound('RSVP');
  const hosts = await ctx.loaders.get(eventLoaders).hostsByEventId.load(event.id);
  if (!hosts.some((host) => host.id === viewer.id)) await assertRole(ctx, group.id, EVENT_MANAGERS, 'mark attendance');
  if (event.status === EventStatus.CANCELLED) throw badInput('rsvpId', 'the event was cancelled');
  if (event.startsAt.getTime() > Date.now()) throw badInput('rsvpId', 'attendance can be marked once the event has started');
  found.attended = attended;
  await ctx.em.flush();
  return found;
}
