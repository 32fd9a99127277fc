import type { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '../../shared/errors.js';
import type { EventSeats } from './attendance-ledger.js';
import type { RsvpStatus } from './rsvp.enums.js';

// The rows an answer reads and returns, in explicit SQL inside its transaction (seating.ts writes them).

// Timestamps are kept to the millisecond, as JavaScript dates (and so the lists' cursors) hold them.
export const NOW = "date_trunc('milliseconds', clock_timestamp())";

/** The columns of RsvpRow, timestamps in ISO 8601. */
export const RSVP_COLUMNS = `id, user_id, status, guests, attended, to_json(created_at) #>> '{}' as created_at, to_json(updated_at) #>> '{}' as updated_at`;

/** An RSVP row as the rules read it. */
export interface RsvpRow {
  id: string;
  user_id: string;
  status: RsvpStatus;
  guests: number;
  attended: boolean;
  created_at: string;
  updated_at: string;
}

/** What an answer returns: shaped like the `Rsvp` GraphQL type (its field resolvers read `event.id` and `user.id`). */
export interface RsvpAnswer {
  id: string;
  status: RsvpStatus;
  guests: number;
  attended: boolean;
  createdAt: Date;
  updatedAt: Date;
  event: { id: string };
  user: { id: string };
}

/** An event row locked for an answer, and the person's current RSVP to it (null when none). */
export interface LockedAnswer {
  /** The whole event row, as `em.execute` returns it (the service primes the request's event loader with it). */
  row: Record<string, unknown>;
  seats: EventSeats;
  status: string;
  endsAt: Date;
  current: RsvpRow | null;
}

/**
 * Locks an event's row (`SELECT … FOR UPDATE`) for an answer, then reads `userId`'s RSVP to it (null when none). The
 * RSVP is read in a statement of its own, after the lock: a statement that waited for the lock still reads with the
 * snapshot it started with, and would miss an answer committed meanwhile. Null when there is no such event.
 */
export async function lockForAnswer(em: EntityManager, eventId: string, userId: string): Promise<LockedAnswer | null> {
  if (!isId(eventId)) return null;
  const [row]: Array<Record<string, unknown>> = await em.execute('select * from events where id = ? for update', [eventId]);
  if (!row) return null;
  const [current]: RsvpRow[] = await em.execute(`select ${RSVP_COLUMNS} from rsvps where event_id = ? and user_id = ?`, [eventId, userId]);
  return {
    row,
    seats: {
      id: row.id as string,
      groupId: row.group_id as string,
      capacity: row.capacity as number | null,
      guestLimit: row.guest_limit as number,
      goingCount: row.going_count as number,
      waitlistCount: row.waitlist_count as number,
      attendanceVersion: row.attendance_version as number,
    },
    status: row.status as string,
    endsAt: timestamp(row.ends_at as string),
    current: current ?? null,
  };
}

/** timestamptz as text ("2026-05-01 16:30:00.123+00") or JSON ("2026-05-01T16:30:00.123+00:00"): an instant. */
function timestamp(value: string | Date): Date {
  if (value instanceof Date) return value;
  const iso = value.replace(' ', 'T');
  return new Date(/[+-]\d\d$/.test(iso) ? `${iso}:00` : iso);
}

/** The answer as the mutation returns it. */
export function answerOf(row: RsvpRow, eventId: string): RsvpAnswer {
  return {
    id: row.id,
    status: row.status,
    guests: row.guests,
    attended: row.attended,
    createdAt: timestamp(row.created_at),
    updatedAt: timestamp(row.updated_at),
    event: { id: eventId },
    user: { id: row.user_id },
  };
}
