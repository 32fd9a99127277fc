import type { Context } from '../../server/context.js';
import { isId, notFound } from '../../shared/errors.js';
import { topic, type LivePublisher } from '../../shared/live.js';
import { Event } from '../event/event.entity.js';
import { watch } from '../live/live-watch.js';
import type { LiveStream } from '../live/live-stream.js';
import { listenInOrder } from '../live/sequencer.js';
import { canSeeInside } from '../membership/membership.policy.js';

/**
 * One attendance change of an event, shaped like `EventAttendanceUpdate` (docs/ARCHITECTURE.md, "Live protocol"):
 * its new version, the event's counts right after it, and the RSVP that moved (null for a change of capacity).
 */
export interface AttendanceChange {
  /** The event's attendanceVersion after this change. */
  version: number;
  /** The event's group, for access checks (not a GraphQL field). */
  groupId: string;
  event: { id: string; goingCount: number; waitlistCount: number; capacity: number | null; attendanceVersion: number };
  rsvp: {
    id: string;
    status: 'GOING' | 'WAITLISTED' | 'NOT_GOING';
    guests: number;
    waitlistPosition: number | null;
    user: { id: string; name: string };
  } | null;
}

/** Attendance changes per event id, versioned. */
export const attendanceTopic = topic<AttendanceChange>('attendance');

/** Sends committed attendance changes to live subscribers (never throws into the mutation). */
export function publishAttendance(live: LivePublisher, changes: AttendanceChange[]): void {
  for (const change of changes) live.publish(attendanceTopic, change.event.id, change);
}

/**
 * Starts watching an event's attendance, in version order from the version read here: refused (NOT_FOUND, as for
 * `event(id)`) when the viewer may not see inside its group; then guarded for access changes while it runs.
 */
export async function watchAttendance(ctx: Context, eventId: string): Promise<LiveStream<AttendanceChange>> {
  const event = isId(eventId) ? await ctx.em.fork().findOne(Event, eventId, { populate: ['group'] }) : null;
  if (!event || !(await canSeeInside(ctx, event.group))) throw notFound('Event');
  return watch(ctx, event.group.id, (push) => listenInOrder(ctx.live, attendanceTopic, event.id, event.attendanceVersion, push));
}
