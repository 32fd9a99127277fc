import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceTopic, type AttendanceChange } from './attendance.live.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { attendanceState, bulkMembers, contractOperation, eventWithOrganizer, rsvp } from '../../test/events.js';
import { ok, sql } from '../../test/factories.js';
import { checkInvariants, sqlOf } from '../../test/invariants.js';

// Capacity as Meetup has it (docs/ARCHITECTURE.md, attendance rule 4): lowering it removes nobody, and
// nobody new is seated until the people going are below it again. Raced by real clients over HTTP.

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ DB_POOL_MAX: 20 });
});
afterAll(() => t?.close());

const UPDATE_EVENT = contractOperation('UpdateEvent');

describe('lowering capacity below the people going', () => {
  it('never seats anyone beyond it while YES and NO race', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 10 });
    const people = await bulkMembers(t, group.id, 38);
    const going = people.slice(0, 8);
    for (const p of going) ok(await rsvp(t, p.token, event.id, 'YES'));
    const lowered = ok(await t.gql(UPDATE_EVENT, { id: event.id, input: { capacity: 5 } }, organizer.token)).updateEvent;
    expect(lowered).toMatchObject({ capacity: 5, goingCount: 8 });

    const seen: AttendanceChange[] = [];
    const stop = t.api.live.listen(attendanceTopic, event.id, (change) => seen.push(change));
    // 30 newcomers say YES while 6 of the 8 going say NO, all at once.
    const answers = await Promise.all([
      ...people.slice(8).map((p) => rsvp(t, p.token, event.id, 'YES')),
      ...going.slice(0, 6).map((p) => rsvp(t, p.token, event.id, 'NO')),
    ]);
    answers.forEach((a) => ok(a));
    await new Promise((r) => setTimeout(r, 50));
    stop();

    const s = await attendanceState(t, event.id);
    // 2 stay, 3 newcomers get the seats freed below 5; the other 27 wait.
    expect(s).toMatchObject({ capacity: 5, goingCount: 5, heads: 5, waitlistCount: 27, waiting: 27 });
    // No change ever seated someone while the count was at or above 5.
    const ordered = [...seen].sort((a, b) => a.version - b.version);
    for (const change of ordered) {
      if (change.rsvp?.status === 'GOING') expect(change.event.goingCount).toBeLessThanOrEqual(5);
    }
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  }, 120_000);

  it('is guarded by the database: no seat beyond capacity, but lowering below the going is fine', async () => {
    const { event } = await eventWithOrganizer(t, { capacity: 3 });
    await sql(t, 'update events set going_count = 3 where id = ?', [event.id]);
    await sql(t, 'update events set capacity = 1 where id = ?', [event.id]); // allowed: nobody removed
    const error = await sql(t, 'update events set going_count = 4 where id = ?', [event.id]).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('23514');
    await sql(t, 'update events set going_count = 2 where id = ?', [event.id]); // people leaving: fine
    const [row] = await sql(t, 'select going_count, capacity from events where id = ?', [event.id]);
    expect(row).toMatchObject({ going_count: 2, capacity: 1 });
  });

  it('the invariant checker catches a seat given while over capacity', async () => {
    const { event } = await eventWithOrganizer(t, { capacity: 2 });
    const [p] = await bulkMembers(t, (await sql(t, 'select group_id from events where id = ?', [event.id]))[0].group_id as string, 1);
    ok(await rsvp(t, p.token, event.id, 'YES'));
    // Forge what a buggy seating would leave: lower capacity to 0 through the trigger, then a seat time after it.
    await sql(t, 'update events set capacity = 0 where id = ?', [event.id]);
    await sql(t, `update rsvps set seated_at = now() + interval '1 minute' where event_id = ?`, [event.id]);
    const violations = await checkInvariants(sqlOf(t));
    expect(violations.some((v) => v.startsWith('no seat is given beyond capacity') && v.includes(event.id))).toBe(true);
    await sql(t, `update rsvps set seated_at = now() - interval '1 day' where event_id = ?`, [event.id]);
  });
});
