import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttendanceChange } from './attendance.live.js';
import type { Event } from '../event/event.entity.js';
import { RsvpStatus } from './rsvp.enums.js';

/** The attendance columns of one locked event row, as the seating rules read and move them. */
export interface EventSeats {
  id: string;
  groupId: string;
  /** null = unlimited. */
  capacity: number | null;
  guestLimit: number;
  goingCount: number;
  waitlistCount: number;
  attendanceVersion: number;
}

/** An RSVP as one change left it. */
export interface SeatChange {
  id: string;
  userId: string;
  status: RsvpStatus;
  guests: number;
}

interface Entry {
  rsvp: SeatChange | null;
  version: number;
  counts: Omit<AttendanceChange['event'], 'id'>;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The attendance changes of one transaction on one locked event. Each `record` bumps the event's
 * attendanceVersion by exactly one and snapshots its counts, so versions are consecutive and each
 * published change carries the counts as they were right after it. `payloads` writes the event row's counts.
 */
export class AttendanceLedger {
  private readonly entries: Entry[] = [];
  /** The attendanceVersion the event's row holds (what the last write of the counts left there). */
  private savedVersion: number;

  private constructor(
    /** The event's counts, moved by the seating rules. */
    readonly seats: EventSeats,
    /** A managed event (event and series updates) whose flush writes its row; null: one SQL UPDATE does. */
    private readonly entity: Event | null,
  ) {
    this.savedVersion = seats.attendanceVersion;
  }

  /** For an event row locked and read in SQL (answers, releases): its counts are written in one UPDATE. */
  static forLockedRow(seats: EventSeats): AttendanceLedger {
    return new AttendanceLedger(seats, null);
  }

  /** For a managed event the caller changes too (capacity): its counts are copied back and flushed with it. */
  static forEntity(event: Event): AttendanceLedger {
    const { id, capacity, guestLimit, goingCount, waitlistCount, attendanceVersion } = event;
    return new AttendanceLedger({ id, groupId: event.group.id, capacity, guestLimit, goingCount, waitlistCount, attendanceVersion }, event);
  }

  /** Records one change: an RSVP that moved, or null for a change of capacity. */
  record(rsvp: SeatChange | null): void {
    const e = this.seats;
    e.attendanceVersion += 1;
    this.entries.push({
      rsvp,
      version: e.attendanceVersion,
      counts: { goingCount: e.goingCount, waitlistCount: e.waitlistCount, capacity: e.capacity, attendanceVersion: e.attendanceVersion },
    });
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * For the SQL of a statement that settles the event's counts as they stand now (the last write of the answer): the
   * UPDATE of the event's row to run in the same statement, as a CTE, or null for a managed event (its flush writes it).
   * `plus` adds SQL terms to the three counts (a promotion's seats, counted in the statement); their values go first.
   */
  countsUpdate(plus: { going: string; waiting: string; versions: string } = { going: '', waiting: '', versions: '' }): { sql: string; params: unknown[] } | null {
    if (this.entity) return null;
    const s = this.seats;
    this.savedVersion = Number.NaN; // set by `saved` once the statement has run
    return {
      sql: `update events set going_count = ?${plus.going}, waitlist_count = ?${plus.waiting}, attendance_version = ?${plus.versions},
              updated_at = clock_timestamp() where id = ?`,
      params: [s.goingCount, s.waitlistCount, s.attendanceVersion, s.id],
    };
  }

  /** Says the counts as they stand now are on the event's row (the statement with `countsUpdate` ran). */
  saved(): void {
    this.savedVersion = this.seats.attendanceVersion;
  }

  /** Writes the event's counts and version unless a statement already did (a managed event: with its other changes, by a flush). */
  private async writeCounts(em: EntityManager): Promise<void> {
    const s = this.seats;
    if (this.entity) {
      Object.assign(this.entity, { capacity: s.capacity, goingCount: s.goingCount, waitlistCount: s.waitlistCount, attendanceVersion: s.attendanceVersion });
      await em.flush();
      return;
    }
    if (this.savedVersion === s.attendanceVersion) return;
    await em.execute(
      'update events set going_count = ?, waitlist_count = ?, attendance_version = ?, updated_at = clock_timestamp() where id = ?',
      [s.goingCount, s.waitlistCount, s.attendanceVersion, s.id],
    );
  }

  /**
   * Writes the event's counts and builds the live payloads, still inside the transaction: waitlist positions (one
   * window query) and names (one query) are read as this transaction leaves them. `known` is a user whose
   * name the caller has already (the viewer): when only they changed, no name is read while the row is locked.
   */
  async payloads(em: EntityManager, known: { id: string; name: string } | null = null): Promise<AttendanceChange[]> {
    if (this.entries.length === 0) return [];
    await this.writeCounts(em);
    const rsvps = this.entries.flatMap((entry) => (entry.rsvp ? [entry.rsvp] : []));
    const waiting = [...new Set(rsvps.filter((r) => r.status === RsvpStatus.WAITLISTED).map((r) => r.id))];
    const positions = new Map<string, number>();
    if (waiting.length > 0) {
      const rows: Array<{ id: string; position: string | number }> = await em.execute(
        `select id, position from (
           select id, row_number() over (order by waitlisted_at, id) as position
           from rsvps where event_id = ? and status = 'WAITLISTED'
         ) w where id in (${placeholders(waiting.length)})`,
        [this.seats.id, ...waiting],
      );
      for (const row of rows) positions.set(row.id, Number(row.position));
    }
    const names = new Map<string, string>(known ? [[known.id, known.name]] : []);
    const userIds = [...new Set(rsvps.map((r) => r.userId))].filter((id) => !names.has(id));
    if (userIds.length > 0) {
      const rows: Array<{ id: string; name: string }> = await em.execute(
        `select id, name from users where id in (${placeholders(userIds.length)})`,
        userIds,
      );
      for (const row of rows) names.set(row.id, row.name);
    }
    return this.entries.map(({ rsvp, version, counts }) => ({
      version,
      groupId: this.seats.groupId,
      event: { id: this.seats.id, ...counts },
      rsvp: rsvp && {
        id: rsvp.id,
        status: rsvp.status,
        guests: rsvp.guests,
        waitlistPosition: positions.get(rsvp.id) ?? null,
        user: { id: rsvp.userId, name: names.get(rsvp.userId) ?? '' },
      },
    }));
  }
}
