import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { createEvent, rsvp } from '../../test/events.js';
import { addMember, createGroup, ok, signUp, sql } from '../../test/factories.js';
import { checkInvariants, sqlOf } from '../../test/invariants.js';
import { RELEASE_NON_MEMBER_SEATS } from '../../db/migrations/Migration2026112903000001_release_non_member_seats.js';

// A ban and the banned person's RSVP, sent by two real clients 0–4 ms apart, many times over. On PostgreSQL
// (DATABASE_URL, a pool of 20) the two transactions truly overlap; the embedded database serializes them.
// Whoever wins, the person must end up BANNED and holding no seat (docs/ARCHITECTURE.md, "Attendance rules").

const REMOVE = `mutation ($membershipId: ID!, $ban: Boolean) { removeMember(membershipId: $membershipId, ban: $ban) }`;
const UPCOMING = `{ me { upcomingRsvps(first: 10) { edges { node { status event { id title onlineUrl } } } } } }`;
/** Races per run: on the embedded database transactions run one at a time, so fewer show as much. */
const TRIALS = process.env.DATABASE_URL ? 40 : 10;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ DB_POOL_MAX: 20 });
});
afterAll(() => t?.close());

/** The codes a refused RSVP may carry once the ban won: the private group's event is NOT_FOUND to an outsider. */
const REFUSALS = ['NOT_FOUND', 'FORBIDDEN'];

describe('a ban racing the banned member’s RSVP', () => {
  it('never leaves a BANNED person GOING or WAITLISTED, whichever commits first', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    // An open event and a full one: the RSVP may seat or waitlist the person. Each trial's ban frees what it took.
    const open = await createEvent(t, organizer.token, group.id, { capacity: 10, onlineUrl: 'https://meet.example/secret' });
    const full = await createEvent(t, organizer.token, group.id, { capacity: 1 });
    ok(await rsvp(t, organizer.token, full.id, 'YES'));
    const held = await createEvent(t, organizer.token, group.id, { capacity: 10, guestLimit: 2 });
    for (let trial = 0; trial < TRIALS; trial++) {
      const member = await addMember(t, organizer.token, group.id);
      // Already going to one event, changing that answer too while the ban runs.
      ok(await rsvp(t, member.token, held.id, 'YES'));

      // 0–4 ms apart either way; a ban does more before its transaction, so it also gets head starts of up to 12 ms.
      const banFirst = trial % 2 === 0;
      const gap = banFirst ? (trial % 10) * 1.5 : trial % 5;
      const ban = async () => {
        if (!banFirst) await sleep(gap);
        return t.gql(REMOVE, { membershipId: member.membershipId, ban: true }, organizer.token);
      };
      const answer = async (eventId: string, guests?: number) => {
        if (banFirst) await sleep(gap);
        return rsvp(t, member.token, eventId, 'YES', guests);
      };
      const [banned, ...answers] = await Promise.all([ban(), answer(open.id), answer(full.id), answer(held.id, 1)]);

      expect(ok(banned).removeMember).toBe(true);
      for (const res of answers) {
        if (res.errors) expect(REFUSALS, JSON.stringify(res.errors)).toContain(res.errors[0].extensions?.code);
      }
      const [m] = await sql(t, 'select status from memberships where id = ?', [member.membershipId]);
      expect(m.status).toBe('BANNED');
      const seats = await sql(
        t,
        `select r.status, e.title from rsvps r join events e on e.id = r.event_id where r.user_id = ? and r.status in ('GOING', 'WAITLISTED')`,
        [member.id],
      );
      expect(seats, `trial ${trial} (${banFirst ? 'ban' : 'RSVP'} sent first, ${gap} ms apart)`).toEqual([]);
      expect(ok(await t.gql(UPCOMING, {}, member.token)).me.upcomingRsvps.edges).toEqual([]);
    }
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  }, 240_000);

  it('frees the banned person’s seats for the waitlist, and lifting the ban gives no seat back', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const event = await createEvent(t, organizer.token, group.id, { capacity: 1 });
    const member = await addMember(t, organizer.token, group.id);
    const waiting = await addMember(t, organizer.token, group.id);
    expect(ok(await rsvp(t, member.token, event.id, 'YES')).rsvp.status).toBe('GOING');
    expect(ok(await rsvp(t, waiting.token, event.id, 'YES')).rsvp.status).toBe('WAITLISTED');
    ok(await t.gql(REMOVE, { membershipId: member.membershipId, ban: true }, organizer.token));
    const rows = await sql(t, 'select user_id, status from rsvps where event_id = ? order by status', [event.id]);
    expect(rows).toEqual([
      { user_id: waiting.id, status: 'GOING' },
      { user_id: member.id, status: 'NOT_GOING' },
    ]);
    ok(await t.gql(REMOVE, { membershipId: member.membershipId, ban: false }, organizer.token));
    expect(await sql(t, `select status from rsvps where event_id = ? and user_id = ?`, [event.id, member.id])).toEqual([{ status: 'NOT_GOING' }]);
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  });

  it('the repair migration releases seats that non-members already hold, and promotes the waitlist', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const event = await createEvent(t, organizer.token, group.id, { capacity: 2, guestLimit: 1 });
    const past = await createEvent(t, organizer.token, group.id, { startsAt: new Date(Date.now() - 7_200_000).toISOString(), endsAt: new Date(Date.now() - 3_600_000).toISOString() });
    const [stray, waiting] = [await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id)];
    ok(await rsvp(t, stray.token, event.id, 'YES', 1));
    expect(ok(await rsvp(t, waiting.token, event.id, 'YES')).rsvp.status).toBe('WAITLISTED');
    await sql(t, `insert into rsvps (id, event_id, user_id, status, seated_at) values (gen_random_uuid(), ?, ?, 'GOING', now())`, [past.id, stray.id]);
    await sql(t, `update events set going_count = 1, attendance_version = 1 where id = ?`, [past.id]);
    // What the race used to leave: BANNED, yet holding two seats (and a place at a past event, which is history).
    await sql(t, `update memberships set status = 'BANNED', role = 'MEMBER' where id = ?`, [stray.membershipId]);
    await sql(t, `update groups set member_count = member_count - 1 where id = ?`, [group.id]);
    const [{ attendance_version: before }] = await sql(t, 'select attendance_version from events where id = ?', [event.id]);
    expect((await checkInvariants(sqlOf(t))).length).toBeGreaterThan(0);

    await sql(t, RELEASE_NON_MEMBER_SEATS);
    expect(await sql(t, 'select user_id, status, guests from rsvps where event_id = ? order by status', [event.id])).toEqual([
      { user_id: waiting.id, status: 'GOING', guests: 0 },
      { user_id: stray.id, status: 'NOT_GOING', guests: 0 },
    ]);
    expect(await sql(t, 'select going_count, waitlist_count, attendance_version from events where id = ?', [event.id])).toEqual([
      { going_count: 1, waitlist_count: 0, attendance_version: before + 2 },
    ]);
    expect(await sql(t, 'select status from rsvps where event_id = ? and user_id = ?', [past.id, stray.id])).toEqual([{ status: 'GOING' }]);
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  });
});
