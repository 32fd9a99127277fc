import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttendanceChange } from './attendance.live.js';
import type { Event } from '../event/event.entity.js';
import type { Rsvp } from './rsvp.entity.js';
import { RsvpStatus } from './rsvp.enums.js';

interface Entry {
  rsvp: Rsvp | null;
  version: number;
  counts: Omit<AttendanceChange['event'], 'id'>;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The attendance changes of one transaction on one locked event. Each `record` bumps the event's
 * attendanceVersion by exactly one and snapshots its counts, so versions are consecutive and each
 * published change carries the counts as they were right after it.
 */
export class AttendanceLedger {
  private readonly entries: Entry[] = [];

  constructor(readonly event: Event) {}

  /** Records one change: an RSVP that moved, or null for a change of capacity. */
  record(rsvp: Rsvp | null): void {
    const e = this.event;
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
   * Flushes and builds the live payloads, still inside the transaction: waitlist positions (one
   * window query) and names (one query) are read as this transaction leaves them. `known` is a user whose
   * name the caller has already (the viewer): when only they changed, no name is read while the row is locked.
   */
  async payloads(em: EntityManager, known: { id: string; name: string } | null = null): Promise<AttendanceChange[]> {
    if (this.entries.length === 0) return [];
    await em.flush();
    const rsvps = this.entries.flatMap((entry) => (entry.rsvp ? [entry.rsvp] : []));
    const waiting = rsvps.filter((r) => r.status === RsvpStatus.WAITLISTED).map((r) => r.id);
    const positions = new Map<string, number>();
    if (waiting.length > 0) {
      const rows: Array<{ id: string; position: string | number }> = await em.execute(
        `select id, position from (
           select id, row_number() over (order by waitlisted_at, id) as position
           from rsvps where event_id = ? and status = 'WAITLISTED'
         ) w where id in (${placeholders(waiting.length)})`,
        [this.event.id, ...waiting],
      );
      for (const row of rows) positions.set(row.id, Number(row.position));
    }
    const names = new Map<string, string>(known ? [[known.id, known.name]] : []);
    const userIds = [...new Set(rsvps.map((r) => r.user.id))].filter((id) => !names.has(id));
    if (userIds.length > 0) {
      const rows: Array<{ id: string; name: string }> = await em.execute(
        `select id, name from users where id in (${placeholders(userIds.length)})`,
        userIds,
      );
      for (const row of rows) names.set(row.id, row.name);
    }
    return this.entries.map(({ rsvp, version, counts }) => ({
      version,
      groupId: this.event.group.id,
      event: { id: this.event.id, ...counts },
      rsvp: rsvp && {
        id: rsvp.id,
        status: rsvp.status,
        guests: rsvp.guests,
        waitlistPosition: positions.get(rsvp.id) ?? null,
        user: { id: rsvp.user.id, name: names.get(rsvp.user.id) ?? '' },
      },
    }));
  }
}
