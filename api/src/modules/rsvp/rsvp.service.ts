import type { Context } from '../../server/context.js';
import { badInput, forbidden, isId, notFound } from '../../shared/errors.js';
import { Event } from '../event/event.entity.js';
import { EventStatus } from '../event/event.enums.js';
import { eventLoaders } from '../event/event.loaders.js';
import { assertCanMarkAttendance } from '../event/event.policy.js';
import { groupLoaders } from '../group/group.loaders.js';
import { actsAsMember, canSeeInside, currentStanding, lockStandingForEvent, notAMember, seesInside } from '../membership/membership.policy.js';
import { requireViewer } from '../user/auth.service.js';
import { AttendanceLedger } from './attendance-ledger.js';
import { publishAttendance } from './attendance.live.js';
import { Rsvp } from './rsvp.entity.js';
import { RsvpResponse } from './rsvp.enums.js';
import { rsvpLoaders } from './rsvp.loaders.js';
import { answerOf, lockForAnswer, type RsvpAnswer } from './rsvp.rows.js';
import { answerNo, answerYes } from './seating.js';

/**
 * Answers an event for the viewer (docs/ARCHITECTURE.md, "Attendance rules"): one transaction that locks the
 * person's membership row, then the event row, so counts stay exact however many answers race and a ban cannot
 * slip between the standing check and the seat; changes are published after the commit.
 * Rate-limited per user.
 */
export async function rsvp(ctx: Context, eventId: string, response: RsvpResponse, guests: number | null | undefined): Promise<RsvpAnswer> {
  const viewer = requireViewer(ctx);
  if (guests != null && guests < 0) throw badInput('guests', 'must be 0 or more');
  await ctx.rateLimits.consume('rsvpsPerUser', viewer.id);
  const { answer, changes, locked } = await ctx.em.transactional(async (em) => {
    // The membership row first, then the event's: the lock order of membership.policy.ts, so a ban, removal or
    // leave of this person either waits for this RSVP (and then releases its seat) or has already been seen here.
    const standing = await lockStandingForEvent(em, eventId, viewer.id);
    const locked = await lockForAnswer(em, eventId, viewer.id);
    if (!locked) throw notFound('Event');
    if (!actsAsMember(standing)) {
      const now = await currentStanding(em, locked.seats.groupId, viewer.id);
      if (!now || !seesInside(now)) throw notFound('Event');
      throw notAMember('RSVP to its events');
    }
    if (locked.status === EventStatus.CANCELLED) throw badInput('eventId', 'this event was cancelled; RSVPs are closed');
    if (locked.endsAt.getTime() <= Date.now()) throw badInput('eventId', 'this event has ended; RSVPs are closed');
    const ledger = AttendanceLedger.forLockedRow(locked.seats);
    const row =
      response === RsvpResponse.YES
        ? await answerYes(em, ledger, locked.current, viewer.id, guests ?? null)
        : await answerNo(em, ledger, locked.current, viewer.id);
    return { answer: answerOf(row, locked.seats.id), changes: await ledger.payloads(em, viewer), locked };
  });
  publishAttendance(ctx.live, changes);
  // The answer's `event` and `waitlistPosition` fields are what this transaction just wrote: no need to read them again.
  const { seats } = locked;
  const event = ctx.em.map(Event, { ...locked.row, going_count: seats.goingCount, waitlist_count: seats.waitlistCount, attendance_version: seats.attendanceVersion });
  ctx.loaders.get(eventLoaders).byId.prime(event.id, event);
  for (const change of changes) {
    if (change.rsvp) ctx.loaders.get(rsvpLoaders).waitlistPosition.prime({ id: change.rsvp.id, eventId: change.event.id }, change.rsvp.waitlistPosition);
  }
  return answer;
}

/**
 * Marks whether someone came: ACTIVE hosts of the event and the group's organizers and event organizers
 * (event.policy.ts), once the event has started. Not an attendance change (counts and version stay).
 */
export async function markAttended(ctx: Context, rsvpId: string, attended: boolean): Promise<Rsvp> {
  requireViewer(ctx);
  const found = isId(rsvpId) ? await ctx.em.findOne(Rsvp, rsvpId) : null;
  if (!found) throw notFound('RSVP');
  const event = await ctx.loaders.get(eventLoaders).byId.load(found.event.id);
  const group = event && (await ctx.loaders.get(groupLoaders).byId.load(event.group.id));
  if (!event || !group || !(await canSeeInside(ctx, group))) throw notFound('RSVP');
  await assertCanMarkAttendance(ctx, event);
  if (event.status === EventStatus.CANCELLED) throw badInput('rsvpId', 'the event was cancelled');
  if (event.startsAt.getTime() > Date.now()) throw badInput('rsvpId', 'attendance can be marked once the event has started');
  found.attended = attended;
  await ctx.em.flush();
  return found;
}
