import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { attendanceState, bulkMembers, eventWithOrganizer, rsvp } from '../../test/events.js';
import { ok, sql } from '../../test/factories.js';

// promoteWaitlist reads a long waitlist a step at a time (seating.ts): a party that fits must be found however far
// down it waits, past parties that no longer fit once the seats ahead of it were taken.

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const statusOf = async (eventId: string, userId: string) =>
  (await sql(t, 'select status from rsvps where event_id = ? and user_id = ?', [eventId, userId]))[0]?.status;

describe('promotion from a long waitlist', () => {
  it('seats a party that fits behind more waiting parties than one step reads', async () => {
    const { group, event } = await eventWithOrganizer(t, { capacity: 30, guestLimit: 2 });
    const [leaver, ...people] = await bulkMembers(t, group.id, 55);
    const seated = people.slice(0, 27);
    const [first, ...rest] = people.slice(27);
    const pairs = rest.slice(0, 25);
    const single = rest[25];
    ok(await rsvp(t, leaver.token, event.id, 'YES', 2)); // 3 heads
    for (const p of seated) ok(await rsvp(t, p.token, event.id, 'YES', 0)); // 27 heads: full
    ok(await rsvp(t, first.token, event.id, 'YES', 1)); // waits first, 2 heads
    for (const p of pairs) ok(await rsvp(t, p.token, event.id, 'YES', 1)); // 25 more parties of 2
    ok(await rsvp(t, single.token, event.id, 'YES', 0)); // waits last, 1 head
    expect((await attendanceState(t, event.id)).waitlistCount).toBe(27);

    // 3 seats free: `first` takes 2; none of the 25 pairs fits the last seat; `single`, 27th in line, does.
    const answer = ok(await rsvp(t, leaver.token, event.id, 'NO')).rsvp;
    expect(answer.event).toMatchObject({ goingCount: 30, waitlistCount: 25 });
    expect(await statusOf(event.id, first.id)).toBe('GOING');
    expect(await statusOf(event.id, single.id)).toBe('GOING');
    for (const p of pairs) expect(await statusOf(event.id, p.id)).toBe('WAITLISTED');
    const state = await attendanceState(t, event.id);
    expect(state).toMatchObject({ goingCount: 30, heads: 30, waitlistCount: 25, waiting: 25 });
    expect(state.positions).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });
});
