import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, isId } from '../../shared/errors.js';
import { columnsOf } from '../../db/read.js';
import type { AttendanceChange } from './attendance.live.js';
import { Event } from '../event/event.entity.js';
import { User } from '../user/user.entity.js';
import { AttendanceLedger } from './attendance-ledger.js';
import { Rsvp } from './rsvp.entity.js';
import { RsvpStatus } from './rsvp.enums.js';
import { NotificationKind } from '../notification/notification.enums.js';
import { notifyLater } from '../notification/notify.js';

// The attendance rules (docs/ARCHITECTURE.md) on one event whose row the caller's transaction has locked.
// Every function here runs inside that transaction and records each change in the ledger.

// The two reads below run on every RSVP while the event's row is locked, so they are written out and mapped with
// em.map (managed, refreshed) rather than built by em.findOne: less CPU inside the lock (bench: rsvpHot).

/** Locks an event's row (`SELECT … FOR UPDATE`) and reads it fresh; null when there is none. */
export async function lockEvent(em: EntityManager, eventId: string): Promise<Event | null> {
  if (!isId(eventId)) return null;
  const [row] = await em.execute(`select ${columnsOf(em, Event, 'e').columns} from events e where e.id = ? for update`, [eventId]);
  return row ? em.map(Event, row) : null;
}

/** The viewer's RSVP to an event, read fresh inside the transaction. */
export async function findRsvp(em: EntityManager, event: Event, userId: string): Promise<Rsvp | null> {
  const [row] = await em.execute(`select ${columnsOf(em, Rsvp, 'r').columns} from rsvps r where r.event_id = ? and r.user_id = ?`, [event.id, userId]);
  return row ? em.map(Rsvp, row) : null;
}

const heads = (rsvp: Rsvp) => 1 + rsvp.guests;

/** Seats left, or Infinity when capacity is unlimited. */
export const freeSeats = (event: Event) => (event.capacity === null ? Infinity : event.capacity - event.goingCount);

function seat(event: Event, rsvp: Rsvp) {
  if (rsvp.status === RsvpStatus.WAITLISTED) event.waitlistCount -= 1;
  rsvp.status = RsvpStatus.GOING;
  rsvp.waitlistedAt = null;
  rsvp.seatedAt = new Date();
  event.goingCount += heads(rsvp);
}

/** The end of the waitlist: the database clock, strictly after everyone already waiting (FIFO even within a millisecond). */
async function endOfWaitlist(em: EntityManager, event: Event): Promise<Date> {
  const [row]: Array<{ at: Date }> = await em.execute(
    `select greatest(clock_timestamp(), (select max(waitlisted_at) + interval '1 millisecond'
       from rsvps where event_id = ? and status = 'WAITLISTED')) as at`,
    [event.id],
  );
  return new Date(row.at);
}

/** Waitlisted RSVPs read per step of promoteWaitlist. */
const PROMOTION_BATCH = 25;

/**
 * Rule 4: seats every waitlisted party that fits, first in first out; one that does not fit keeps its place.
 * The waitlist is read in steps of PROMOTION_BATCH (a popular event's has hundreds, and a seat or two is what
 * frees up), from where the last step ended, until the seats run out.
 */
export async function promoteWaitlist(em: EntityManager, event: Event, ledger: AttendanceLedger): Promise<void> {
  let after: { at: unknown; id: string } | null = null;
  while (event.waitlistCount > 0 && freeSeats(event) > 0) {
    const free = freeSeats(event);
    const rows: Array<Record<string, unknown>> = await em.execute(
      `select ${columnsOf(em, Rsvp, 'r').columns} from rsvps r where r.event_id = ? and r.status = 'WAITLISTED'
       ${free === Infinity ? '' : 'and r.guests < ?'} ${after ? 'and (r.waitlisted_at, r.id) > (?, ?)' : ''}
       order by r.waitlisted_at, r.id limit ${PROMOTION_BATCH}`,
      [event.id, ...(free === Infinity ? [] : [free]), ...(after ? [after.at, after.id] : [])],
    );
    for (const row of rows) {
      if (freeSeats(event) <= 0) break;
      const rsvp = em.map(Rsvp, row);
      if (heads(rsvp) > freeSeats(event)) continue;
      seat(event, rsvp);
      ledger.record(rsvp);
      await notifyLater(em, NotificationKind.WAITLIST_PROMOTED, rsvp.id);
    }
    if (rows.length < PROMOTION_BATCH) return;
    const last = rows[rows.length - 1];
    after = { at: last.waitlisted_at, id: last.id as string }; // the text PostgreSQL sent: microseconds intact
  }
}

/** Rule 2 (and guest changes of rule 3): answers YES with `guests` (null keeps the current number). */
export async function answerYes(
  em: EntityManager,
  ledger: AttendanceLedger,
  current: Rsvp | null,
  userId: string,
  guestsArg: number | null,
): Promise<Rsvp> {
  const event = ledger.event;
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
    current.guests = guests;
    event.goingCount += extra;
    ledger.record(current);
    if (extra < 0) await promoteWaitlist(em, event, ledger);
    return current;
  }

  if (current?.status === RsvpStatus.WAITLISTED) {
    // Keeps its place; nobody ahead fits (rule 4), so it may take free seats at once if it now fits.
    current.guests = guests;
    if (heads(current) <= freeSeats(event)) seat(event, current);
    ledger.record(current);
    return current;
  }

  const rsvp = current ?? (em.create(Rsvp, { event, user: em.getReference(User, userId), status: RsvpStatus.NOT_GOING } as never) as Rsvp);
  rsvp.guests = guests;
  if (heads(rsvp) <= freeSeats(event)) {
    seat(event, rsvp);
  } else {
    rsvp.status = RsvpStatus.WAITLISTED;
    rsvp.waitlistedAt = await endOfWaitlist(em, event);
    event.waitlistCount += 1;
  }
  ledger.record(rsvp);
  return rsvp;
}

/** Rule 3: answers NO: frees the seats (promoting the waitlist) or leaves the waitlist. */
export async function answerNo(em: EntityManager, ledger: AttendanceLedger, current: Rsvp | null, userId: string): Promise<Rsvp> {
  const event = ledger.event;
  if (current?.status === RsvpStatus.NOT_GOING) return current; // rule 5
  const rsvp = current ?? (em.create(Rsvp, { event, user: em.getReference(User, userId), status: RsvpStatus.NOT_GOING } as never) as Rsvp);
  const wasGoing = rsvp.status === RsvpStatus.GOING;
  if (wasGoing) event.goingCount -= heads(rsvp);
  if (rsvp.status === RsvpStatus.WAITLISTED) event.waitlistCount -= 1;
  rsvp.status = RsvpStatus.NOT_GOING;
  rsvp.guests = 0;
  rsvp.waitlistedAt = null;
  rsvp.seatedAt = null;
  ledger.record(rsvp);
  if (wasGoing) await promoteWaitlist(em, event, ledger);
  return rsvp;
}

/**
 * Sets a new capacity (null = unlimited): one change with no RSVP, then one per promoted RSVP.
 * Lowering it never removes anyone, even below the people already going (as on Meetup): goingCount may then
 * exceed capacity, freeSeats is negative and nobody new is seated until enough people leave. The database
 * refuses any seat beyond capacity (trigger events_no_seat_beyond_capacity, docs/ARCHITECTURE.md).
 */
export async function changeCapacity(em: EntityManager, ledger: AttendanceLedger, capacity: number | null): Promise<void> {
  const event = ledger.event;
  if (capacity === event.capacity) return;
  event.capacity = capacity;
  ledger.record(null);
  await promoteWaitlist(em, event, ledger);
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
    const event = await lockEvent(em, eventId);
    if (!event) continue;
    const current = await findRsvp(em, event, userId);
    if (!current || current.status === RsvpStatus.NOT_GOING) continue;
    const ledger = new AttendanceLedger(event);
    await answerNo(em, ledger, current, userId);
    changes.push(...(await ledger.payloads(em)));
  }
  return changes;
}
