import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceTopic, type AttendanceChange } from '../rsvp/attendance.live.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { attendanceState, bulkMembers, contractOperation, eventWithOrganizer, rsvp } from '../../test/events.js';
import { ok, sql } from '../../test/factories.js';

// Races real clients over HTTP. On PostgreSQL (DATABASE_URL) the pool of 20 runs the transactions
// truly concurrently; the embedded database serializes them but must give the same answers.

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ DB_POOL_MAX: 20 });
});
afterAll(() => t?.close());

const ATTENDEES = contractOperation('EventAttendees');

/** Every invariant of attendance rule 6 (docs/ARCHITECTURE.md) (and rule 4's "no waitlisted party fits"). */
async function expectExact(eventId: string) {
  const s = await attendanceState(t, eventId);
  expect(s.goingCount).toBeLessThanOrEqual(s.capacity ?? Infinity);
  expect(s.goingCount).toBe(s.heads);
  expect(s.waitlistCount).toBe(s.waiting);
  expect(s.positions).toEqual(Array.from({ length: s.waiting }, (_, i) => i + 1));
  const [fits] = await sql(
    t,
    `select count(*)::int as n from rsvps r join events e on e.id = r.event_id
     where r.event_id = ? and r.status = 'WAITLISTED' and e.going_count + 1 + r.guests <= e.capacity`,
    [eventId],
  );
  expect(fits.n).toBe(0);
  return s;
}

/** Waitlist positions as the API answers them, page by page. */
async function apiPositions(eventId: string, token: string) {
  const positions: number[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = ok(await t.gql(ATTENDEES, { id: eventId, status: 'WAITLISTED', first: 100, after }, token)).event.attendees;
    positions.push(...page.edges.map((e: any) => e.node.waitlistPosition));
    if (!page.pageInfo.hasNextPage) return positions;
    after = page.pageInfo.endCursor;
  }
}

function watch(eventId: string) {
  const seen: AttendanceChange[] = [];
  const stop = t.api.live.listen(attendanceTopic, eventId, (change) => seen.push(change));
  return { seen, stop };
}

describe('racing RSVPs', () => {
  it('keeps counts, waitlist and versions exact when hundreds answer at once', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 50, guestLimit: 2 });
    const people = await bulkMembers(t, group.id, 300);
    const { seen, stop } = watch(event.id);

    // 200 YES at once, with 0, 1 or 2 guests.
    const first = people.slice(0, 200);
    const answers = await Promise.all(first.map((p, i) => rsvp(t, p.token, event.id, 'YES', i % 3)));
    answers.forEach((a) => ok(a));
    let s = await expectExact(event.id);
    expect(s.goingCount).toBeGreaterThanOrEqual(48); // parties fill greedily: at most a party of 3 short
    expect(s.rsvps).toBe(200);
    expect(s.version).toBe(200); // one change per answer, no promotions yet
    expect(await apiPositions(event.id, organizer.token)).toEqual(s.positions);

    // 50 of the going say NO while 50 newcomers say YES.
    const going = await sql<{ user_id: string }>(t, `select user_id from rsvps where event_id = ? and status = 'GOING' limit 50`, [event.id]);
    const leaving = going.map((g) => first.find((p) => p.id === g.user_id)!);
    const newcomers = people.slice(200, 250);
    const mixed = await Promise.all([
      ...leaving.map((p) => rsvp(t, p.token, event.id, 'NO')),
      ...newcomers.map((p, i) => rsvp(t, p.token, event.id, 'YES', i % 3)),
    ]);
    mixed.forEach((a) => ok(a));
    s = await expectExact(event.id);
    expect(s.rsvps).toBe(250);
    expect(await apiPositions(event.id, organizer.token)).toEqual(s.positions);

    // Every change was published once after its commit: versions 1..N, each exactly once.
    await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(seen).toHaveLength(s.version);
    expect(seen.map((c) => c.version).sort((a, b) => a - b)).toEqual(Array.from({ length: s.version }, (_, i) => i + 1));
    for (const change of seen) {
      expect(change.event.goingCount).toBeLessThanOrEqual(50);
      expect(change.event.attendanceVersion).toBe(change.version);
    }
    // The last change of each RSVP is its state in the database.
    const latest = new Map<string, AttendanceChange['rsvp']>();
    for (const change of [...seen].sort((a, b) => a.version - b.version)) latest.set(change.rsvp!.id, change.rsvp);
    const rows = await sql<{ id: string; status: string; guests: number }>(t, 'select id, status, guests from rsvps where event_id = ?', [event.id]);
    for (const row of rows) expect([latest.get(row.id)?.status, latest.get(row.id)?.guests]).toEqual([row.status, row.guests]);
  }, 240_000); // the embedded database serializes all 300 answers on one connection

  it('turns 20 identical answers from one person into one row and one version', async () => {
    const { group, event } = await eventWithOrganizer(t, { capacity: 5, guestLimit: 1 });
    const [person] = await bulkMembers(t, group.id, 1);
    const answers = await Promise.all(Array.from({ length: 20 }, () => rsvp(t, person.token, event.id, 'YES', 1)));
    answers.forEach((a) => expect(ok(a).rsvp).toMatchObject({ status: 'GOING', guests: 1 }));
    expect(new Set(answers.map((a) => a.data!.rsvp.id)).size).toBe(1);
    expect(await expectExact(event.id)).toMatchObject({ rsvps: 1, goingCount: 2, version: 1 });
  });

  it('is guarded by the database too: a direct overbooking UPDATE breaks the CHECK constraint', async () => {
    const { event } = await eventWithOrganizer(t, { capacity: 3 });
    const error = await sql(t, 'update events set going_count = capacity + 1 where id = ?', [event.id]).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('23514');
    expect((await attendanceState(t, event.id)).goingCount).toBe(0);
  });
});
