import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, isId } from '../../shared/errors.js';
import { columnsOf } from '../../db/read.js';
import type { AttendanceChange } from './attendance.live.js';
import { Event } from '../event/event.entity.js';
import { AttendanceLedger, type EventSeats } from './attendance-ledger.js';
import { lockForAnswer, NOW, RSVP_COLUMNS, type RsvpRow } from './rsvp.rows.js';
import { RsvpStatus } from './rsvp.enums.js';
import { NotificationKind } from '../notification/notification.enums.js';
import { notifyManyLater } from '../notification/notify.js';

// The attendance rules (docs/ARCHITECTURE.md) on one event whose row the caller's transaction has locked.
// Every function here runs inside that transaction and records each change in the ledger. RSVP rows are read and
// written in explicit SQL (no unit of work, no managed entities: the event's row lock is held the whole time, so
// CPU spent here is time every other answer to the event waits; bench: rsvpHot, rsvpSpread).

/** Locks an event's row (`SELECT … FOR UPDATE`) and reads it fresh as a managed entity; null when there is none. */
export async function lockEvent(em: EntityManager, eventId: string): Promise<Event | null> {
  if (!isId(eventId)) return null;
  const [row] = await em.execute(`select ${columnsOf(em, Event, 'e').columns} from events e where e.id = ? for update`, [eventId]);
  return row ? em.map(Event, row) : null;
}

/** Seats left, or Infinity when capacity is unlimited. */
export const freeSeats = (event: EventSeats) => (event.capacity === null ? Infinity : event.capacity - event.goingCount);

/** The biggest free-seat count SQL is given for "unlimited" (an int4). */
const UNLIMITED = 2_147_483_647;

/** How an answer changes the person's row. */
type RowChange =
  | { status: RsvpStatus.GOING | RsvpStatus.WAITLISTED | RsvpStatus.NOT_GOING; guests: number }
  /** Only the number of guests (a GOING party with more or fewer, a waiting one that still does not fit). */
  | { status: 'SAME'; guests: number };

/**
 * Records the person's answer in the ledger and writes their row: updates it, or inserts it when they have none.
 * When `settles`, nothing else moves after it, so the same statement writes the event's counts (one statement, not
 * two, under the lock). A new place on the waitlist is the database clock, strictly after everyone already waiting
 * (FIFO even within a millisecond); a seat is stamped with the database clock too, as promotions are.
 */
async function writeAnswer(
  em: EntityManager,
  ledger: AttendanceLedger,
  current: RsvpRow | null,
  userId: string,
  change: RowChange,
  settles: boolean,
): Promise<RsvpRow> {
  const id = current?.id ?? randomUUID();
  const status = change.status === 'SAME' ? current!.status : change.status;
  ledger.record({ id, userId, status, guests: change.guests });
  const endOfWaitlist = `greatest(${NOW}, (select max(w.waitlisted_at) + interval '1 millisecond'
    from rsvps w where w.event_id = ? and w.status = 'WAITLISTED'))`;
  const waitlistedAt = status === RsvpStatus.WAITLISTED ? endOfWaitlist : 'null';
  const waitParams = status === RsvpStatus.WAITLISTED ? [ledger.seats.id] : [];
  const seatedAt = status === RsvpStatus.GOING ? NOW : 'null';
  const write =
    current && change.status === 'SAME'
      ? { sql: `update rsvps set guests = ?, updated_at = ${NOW} where id = ? returning ${RSVP_COLUMNS}`, params: [change.guests, id] }
      : current
        ? {
            sql: `update rsvps set status = ?, guests = ?, waitlisted_at = ${waitlistedAt}, seated_at = ${seatedAt}, updated_at = ${NOW}
                  where id = ? returning ${RSVP_COLUMNS}`,
            params: [status, change.guests, ...waitParams, id],
          }
        : {
            sql: `insert into rsvps (id, event_id, user_id, status, guests, attended, waitlisted_at, seated_at, created_at, updated_at)
                  values (?, ?, ?, ?, ?, false, ${waitlistedAt}, ${seatedAt}, ${NOW}, ${NOW}) returning ${RSVP_COLUMNS}`,
            params: [id, ledger.seats.id, userId, status, change.guests, ...waitParams],
          };
  const counts = settles ? ledger.countsUpdate() : null;
  const [row]: RsvpRow[] = counts
    ? await em.execute(`with answer as (${write.sql}), counts as (${counts.sql}) select * from answer`, [...write.params, ...counts.params])
    : await em.execute(write.sql, write.params);
  if (counts) ledger.saved();
  return row;
}
/**
 * Rule 4: seats every waitlisted party that fits, first in first out; one that does not fit keeps its place.
 * One statement: a recursive walk down the waitlist's index takes, at each step, the next party that fits in the
 * seats still free (so one that does not fit is passed over and keeps its place) until the seats run out, and
 * seats the parties it took; for an event locked in SQL it writes the event's counts too. Each promoted RSVP is
 * recorded in order, and its person told (jobs in this transaction).
 */
export async function promoteWaitlist(em: EntityManager, ledger: AttendanceLedger): Promise<void> {
  const event = ledger.seats;
  const free = freeSeats(event);
  if (event.waitlistCount === 0 || free <= 0) return;
  const counts = ledger.countsUpdate({
    going: ' + coalesce((select sum(1 + guests) from seated), 0)',
    waiting: ' - (select count(*) from seated)',
    versions: ' + (select count(*) from seated)',
  });
  const seated: Array<{ step: number; id: string; user_id: string; guests: number }> = await em.execute(
    `with recursive walk (step, id, at, free) as (
       select 0, null::uuid, '-infinity'::timestamptz, ?::int
       union all
       select walk.step + 1, next.id, next.waitlisted_at, walk.free - 1 - next.guests
       from walk cross join lateral (
         select r.id, r.guests, r.waitlisted_at from rsvps r
         where r.event_id = ? and r.status = 'WAITLISTED' and r.guests < walk.free
           and (r.waitlisted_at, r.id) > (walk.at, coalesce(walk.id, '00000000-0000-0000-0000-000000000000'::uuid))
         order by r.waitlisted_at, r.id limit 1
       ) next
       where walk.free > 0
     ), seated as (
       update rsvps r set status = 'GOING', waitlisted_at = null, updated_at = ${NOW}, seated_at = ${NOW}
       from walk where walk.step > 0 and r.id = walk.id
       returning walk.step, r.id, r.user_id, r.guests
     )${counts ? `, counts as (${counts.sql})` : ''}
     select step, id, user_id, guests from seated order by step`,
    [free === Infinity ? UNLIMITED : free, event.id, ...(counts?.params ?? [])],
  );
  for (const row of seated) {
    event.waitlistCount -= 1;
    event.goingCount += 1 + row.guests;
    ledger.record({ id: row.id, userId: row.user_id, status: RsvpStatus.GOING, guests: row.guests });
  }
  if (counts) ledger.saved();
  await notifyManyLater(em, NotificationKind.WAITLIST_PROMOTED, seated.map((row) => row.id));
}

/** Whether freeing seats will promote someone: else the answer's statement settles the counts. */
const promotes = (event: EventSeats) => event.waitlistCount > 0 && freeSeats(event) > 0;

/** Rule 2 (and guest changes of rule 3): answers YES with `guests` (null keeps the current number). */
export async function answerYes(
  em: EntityManager,
  ledger: AttendanceLedger,
  current: RsvpRow | null,
  userId: string,
  guestsArg: number | null,
): Promise<RsvpRow> {
  const event = ledger.seats;
  const active = current !== null && current.status !== RsvpStatus.NOT_GOING;
  const guests = guestsArg ?? (active ? current.guests : 0);
  if (active && current.guests === guests) return current; // rule 5: the same answer again changes nothing
  if (guests > event.guestLimit) {
    throw badInput('guests', event.guestLimit === 0 ? 'this event does not allow guests' : `at most ${event.guestLimit} guests per RSVP`);
  }

  if (current?.status === RsvpStatus.GOING) {
    const extra = guests - current.guests;
    if (extra > freeSeats(event)) {
      const free = Math.max(0, freeSeats(event));
      throw badInput('guests', `only ${free} more seat(s) are free, so you cannot bring ${extra} more; your RSVP is unchanged`);
    }
    event.goingCount += extra;
    const promoting = extra < 0 && promotes(event);
    const row = await writeAnswer(em, ledger, current, userId, { status: 'SAME', guests }, !promoting);
    if (promoting) await promoteWaitlist(em, ledger);
    return row;
  }

  const fits = 1 + guests <= freeSeats(event);
  if (current?.status === RsvpStatus.WAITLISTED) {
    // Keeps its place; nobody ahead fits (rule 4), so it may take free seats at once if it now fits.
    if (fits) {
      event.waitlistCount -= 1;
      event.goingCount += 1 + guests;
    }
    return writeAnswer(em, ledger, current, userId, fits ? { status: RsvpStatus.GOING, guests } : { status: 'SAME', guests }, true);
  }

  if (fits) event.goingCount += 1 + guests;
  else event.waitlistCount += 1;
  return writeAnswer(em, ledger, current, userId, { status: fits ? RsvpStatus.GOING : RsvpStatus.WAITLISTED, guests }, true);
}

/** Rule 3: answers NO: frees the seats (promoting the waitlist) or leaves the waitlist. */
export async function answerNo(em: EntityManager, ledger: AttendanceLedger, current: RsvpRow | null, userId: string): Promise<RsvpRow> {
  const event = ledger.seats;
  if (current?.status === RsvpStatus.NOT_GOING) return current; // rule 5
  const wasGoing = current?.status === RsvpStatus.GOING;
  if (wasGoing) event.goingCount -= 1 + current.guests;
  if (current?.status === RsvpStatus.WAITLISTED) event.waitlistCount -= 1;
  const promoting = wasGoing && promotes(event);
  const row = await writeAnswer(em, ledger, current, userId, { status: RsvpStatus.NOT_GOING, guests: 0 }, !promoting);
  if (promoting) await promoteWaitlist(em, ledger);
  return row;
}

/**
 * Sets a new capacity (null = unlimited): one change with no RSVP, then one per promoted RSVP.
 * Lowering it never removes anyone, even below the people already going (as on Meetup): goingCount may then
 * exceed capacity, freeSeats is negative and nobody new is seated until enough people leave. The database
 * refuses any seat beyond capacity (trigger events_no_seat_beyond_capacity, docs/ARCHITECTURE.md).
 */
export async function changeCapacity(em: EntityManager, ledger: AttendanceLedger, capacity: number | null): Promise<void> {
  const event = ledger.seats;
  if (capacity === event.capacity) return;
  event.capacity = capacity;
  ledger.record(null);
  await promoteWaitlist(em, ledger);
}

/**
 * Inside the caller's transaction, turns a user's GOING and WAITLISTED RSVPs to the group's events
 * that have not ended into NOT_GOING, promoting each waitlist (for a member who leaves or is removed).
 * Publish the returned changes after the caller's commit.
 */
export async function releaseMemberRsvps(em: EntityManager, groupId: string, userId: string): Promise<AttendanceChange[]> {
  const rows: Array<{ event_id: string }> = await em.execute(
    `select r.event_id from rsvps r join events e on e.id = r.event_id
     where r.user_id = ? and e.group_id = ? and r.status in ('GOING', 'WAITLISTED') and e.ends_at > now()
     order by r.event_id`,
    [userId, groupId],
  );
  const changes: AttendanceChange[] = [];
  for (const { event_id: eventId } of rows) {
    // Locks in id order, so two releases never wait on each other in a cycle.
    const locked = await lockForAnswer(em, eventId, userId);
    if (!locked?.current || locked.current.status === RsvpStatus.NOT_GOING) continue;
    const ledger = AttendanceLedger.forLockedRow(locked.seats);
    await answerNo(em, ledger, locked.current, userId);
    changes.push(...(await ledger.payloads(em)));
  }
  return changes;
}
