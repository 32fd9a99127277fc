import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { attendanceState, bulkMembers, contractOperation, eventWithOrganizer } from '../../test/events.js';
import { ok } from '../../test/factories.js';
import { countQueries } from '../../test/query-counter.js';

// What one RSVP costs the database (docs/ARCHITECTURE.md, "Locks and concurrency"): the event's row lock is held for
// every statement of the transaction, so their number is pinned here. The contract's Rsvp operation asks for the
// answer's event and waitlist position too: both come from the transaction, not from a read after it.

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const RSVP = contractOperation('Rsvp');
const answer = (token: string, eventId: string, response: 'YES' | 'NO', guests: number | null = null) =>
  countQueries(() => t.gql(RSVP, { eventId, response, guests }, token));

describe('statements per RSVP', () => {
  it('takes a seat in five: session, membership lock, event lock, the RSVP read, the answer with the counts', async () => {
    const { group, event } = await eventWithOrganizer(t, { capacity: 10 });
    const [person] = await bulkMembers(t, group.id, 1);
    const { result, queries } = await answer(person.token, event.id, 'YES');
    expect(ok(result).rsvp).toMatchObject({ status: 'GOING', waitlistPosition: null, event: { id: event.id, goingCount: 1, attendanceVersion: 1 } });
    expect(queries, queries.join('\n')).toHaveLength(5);
  });

  it('joins the waitlist with one more: its place in line', async () => {
    const { group, event } = await eventWithOrganizer(t, { capacity: 1 });
    const [first, second] = await bulkMembers(t, group.id, 2);
    ok((await answer(first.token, event.id, 'YES')).result);
    const { result, queries } = await answer(second.token, event.id, 'YES');
    expect(ok(result).rsvp).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1, event: { waitlistCount: 1 } });
    expect(queries, queries.join('\n')).toHaveLength(6);
  });

  it('promotes a whole waitlist in one statement, whatever its length, and tells them in one more', async () => {
    const { group, event } = await eventWithOrganizer(t, { capacity: 4, guestLimit: 3 });
    const [big, ...waiting] = await bulkMembers(t, group.id, 5);
    ok((await answer(big.token, event.id, 'YES', 3)).result);
    for (const person of waiting) ok((await answer(person.token, event.id, 'YES')).result);
    const { result, queries } = await answer(big.token, event.id, 'NO');
    expect(ok(result).rsvp).toMatchObject({ status: 'NOT_GOING', event: { goingCount: 4, waitlistCount: 0, attendanceVersion: 10 } });
    // session, membership lock, event lock, the RSVP read, the answer, the promotion with the counts, the jobs, the names
    expect(queries, queries.join('\n')).toHaveLength(8);
    expect(await attendanceState(t, event.id)).toMatchObject({ goingCount: 4, heads: 4, waitlistCount: 0, version: 10 });
  });
});
