import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, createEvent, eventWithOrganizer, rsvp } from '../../test/events.js';
import { addMember, createGroup, ok, signUp, sql } from '../../test/factories.js';
import { subscribe, wsClient } from '../../test/ws.js';
import { webDocument } from '../../test/web-documents.js';

const ATTENDANCE = webDocument('EventAttendance');
const THREAD = webDocument('ThreadActivity');

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

/** Waits until this process has `n` more live subscribers than `before`. */
async function subscribed(before: number, n = 1) {
  for (let i = 0; i < 1000 && t.api.live.subscriberCount() < before + n; i++) await new Promise((r) => setTimeout(r, 10));
  expect(t.api.live.subscriberCount()).toBeGreaterThanOrEqual(before + n);
}

describe('eventAttendance', () => {
  it('delivers one update per change, versions consecutive, promotions included', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 2, guestLimit: 1 });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => addMember(t, organizer.token, group.id)));
    const client = wsClient(t.api.url);
    const before = t.api.live.subscriberCount();
    const sub = subscribe(client, ATTENDANCE, { eventId: event.id });
    await subscribed(before);

    ok(await rsvp(t, a.token, event.id, 'YES', 1)); // a + guest fill both seats: v1
    ok(await rsvp(t, b.token, event.id, 'YES')); // waitlisted: v2
    ok(await rsvp(t, c.token, event.id, 'YES')); // waitlisted: v3
    ok(await rsvp(t, a.token, event.id, 'YES', 1)); // the same again: a no-op, nothing published
    ok(await rsvp(t, a.token, event.id, 'NO')); // frees 2 seats: a NOT_GOING (v4), b (v5) and c (v6) promoted

    const updates = await sub.waitFor(6);
    expect(updates.map((u) => u.eventAttendance.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(updates.map((u) => [u.eventAttendance.rsvp.user.id, u.eventAttendance.rsvp.status])).toEqual([
      [a.id, 'GOING'],
      [b.id, 'WAITLISTED'],
      [c.id, 'WAITLISTED'],
      [a.id, 'NOT_GOING'],
      [b.id, 'GOING'],
      [c.id, 'GOING'],
    ]);
    expect(updates[2].eventAttendance.rsvp.waitlistPosition).toBe(2);
    expect(updates[5].eventAttendance.event).toMatchObject({ id: event.id, goingCount: 2, waitlistCount: 0, attendanceVersion: 6 });
    await new Promise((r) => setTimeout(r, 100));
    expect(sub.received).toHaveLength(6); // the repeated RSVP published nothing
    await client.dispose();
  });

  it('publishes nothing for a refused change, and a capacity change carries no RSVP', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 1, guestLimit: 0 });
    const [a, b] = await Promise.all([1, 2].map(() => addMember(t, organizer.token, group.id)));
    ok(await rsvp(t, a.token, event.id, 'YES'));
    ok(await rsvp(t, b.token, event.id, 'YES')); // waitlisted
    const client = wsClient(t.api.url);
    const before = t.api.live.subscriberCount();
    const sub = subscribe(client, ATTENDANCE, { eventId: event.id });
    await subscribed(before);
    const refused = await rsvp(t, b.token, event.id, 'YES', 3); // over the guest limit: rolled back
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const raise = `mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }`;
    ok(await t.gql(raise, { id: event.id, input: { capacity: 2 } }, organizer.token));
    const updates = await sub.waitFor(2);
    expect(updates[0].eventAttendance).toMatchObject({ version: 3, rsvp: null, event: { capacity: 2 } });
    expect(updates[1].eventAttendance).toMatchObject({ version: 4, rsvp: { status: 'GOING', user: { id: b.id } } });
    await client.dispose();
  });

  it('refuses outsiders of a private group and stops a member who is removed', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const event = await createEvent(t, organizer.token, group.id, { capacity: 10 });
    const member = await addMember(t, organizer.token, group.id);
    const outsider = await signUp(t, 'Outsider');

    const anonymous = subscribe(wsClient(t.api.url), ATTENDANCE, { eventId: event.id });
    const stranger = subscribe(wsClient(t.api.url, outsider.token), ATTENDANCE, { eventId: event.id });
    await Promise.all([anonymous.waitFor(1).catch(() => {}), stranger.waitFor(1).catch(() => {})]);
    for (const sub of [anonymous, stranger]) {
      expect(sub.completed).toBe(true);
      expect(JSON.stringify(sub.errors)).toContain('NOT_FOUND');
    }

    const before = t.api.live.subscriberCount();
    const watching = subscribe(wsClient(t.api.url, member.token), ATTENDANCE, { eventId: event.id });
    await subscribed(before);
    ok(await rsvp(t, organizer.token, event.id, 'YES'));
    await watching.waitFor(1);
    const remove = `mutation ($id: ID!) { removeMember(membershipId: $id, ban: true) }`;
    ok(await t.gql(remove, { id: member.membershipId }, organizer.token));
    for (let i = 0; i < 500 && !watching.completed; i++) await new Promise((r) => setTimeout(r, 10));
    ok(await rsvp(t, organizer.token, event.id, 'NO'));
    await new Promise((r) => setTimeout(r, 200));
    expect(watching.completed).toBe(true);
    expect(watching.received).toHaveLength(1);
  });
});

describe('threadActivity', () => {
  it('delivers POSTED, EDITED and DELETED with the thread counts; anonymous may watch a public thread', async () => {
    const { organizer, event } = await eventWithOrganizer(t);
    const [{ thread }] = await sql(t, `select id as thread from threads where event_id = ?`, [event.id]);
    const before = t.api.live.subscriberCount();
    const sub = subscribe(wsClient(t.api.url), THREAD, { threadId: thread });
    await subscribed(before);
    const post = ok(await t.gql(contractOperation('PostMessage'), { threadId: thread, body: 'Who brings snacks?' }, organizer.token));
    const id = post.postMessage.id;
    ok(await t.gql(contractOperation('EditMessage'), { id, body: 'Who brings the snacks?' }, organizer.token));
    ok(await t.gql(contractOperation('DeleteMessage'), { id }, organizer.token));
    const updates = (await sub.waitFor(3)).map((u) => u.threadActivity);
    expect(updates.map((u) => u.kind)).toEqual(['POSTED', 'EDITED', 'DELETED']);
    expect(updates[0].message).toMatchObject({ id, body: 'Who brings snacks?', deleted: false, author: { id: organizer.id } });
    expect(updates[1].message.editedAt).not.toBeNull();
    expect(updates[2].message).toMatchObject({ body: '', deleted: true });
    expect(updates.every((u) => u.thread.id === thread && u.thread.messageCount === 1)).toBe(true);
  });
});

describe('the socket', () => {
  it('authenticates by cookie on the upgrade and refuses a foreign origin or an unknown token', async () => {
    const me = `subscription ($id: ID!) { eventAttendance(eventId: $id) { version } }`;
    // A private group's event: only a member's session, here sent as the cookie, may watch it.
    const { organizer, group, event } = await eventWithOrganizer(t, {}, { visibility: 'PRIVATE' });
    const user = await addMember(t, organizer.token, group.id);
    const before = t.api.live.subscriberCount();
    const withCookie = subscribe(wsClient(t.api.url, null, { cookie: `gather_session=${user.token}` }), me, { id: event.id });
    const foreign = subscribe(wsClient(t.api.url, null, { origin: 'https://evil.example' }), me, { id: event.id });
    const unknown = subscribe(wsClient(t.api.url, 'not-a-real-token'), me, { id: event.id });
    for (let i = 0; i < 200 && !(foreign.completed && unknown.completed); i++) await new Promise((r) => setTimeout(r, 10));
    expect(foreign.completed && unknown.completed).toBe(true);
    expect(JSON.stringify(foreign.errors)).toMatch(/403|Unexpected server response/);
    expect(JSON.stringify(unknown.errors)).toMatch(/4403|Forbidden/);
    await subscribed(before);
    expect(withCookie.completed).toBe(false);
    expect(withCookie.errors).toEqual([]);
    await withCookie.close();
  });
});
