import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { createEvent, rsvp } from '../../test/events.js';
import { addMember, createGroup, expectError, joinGroup, ok, signUp } from '../../test/factories.js';
import { startSmtp, type TestSmtp } from '../../test/smtp.js';
import { subscribe, wsClient } from '../../test/ws.js';
import { inbox, kindsOf, queueSettled } from './notification.testkit.js';

// Who hears of what (docs/ARCHITECTURE.md, "Notifications"): every kind, its exact recipients, in-app and by email.

let t: TestApi;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApi({ SMTP_URL: smtp.url, JOBS_POLL_MS: 200 });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const REVIEW = 'mutation ($id: ID!, $approve: Boolean!) { reviewMembership(membershipId: $id, approve: $approve) { id status } }';
const UPDATE = 'mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id startsAt } }';
const CANCEL = 'mutation ($id: ID!) { cancelEvent(id: $id) { id status } }';
const LEAVE = 'mutation ($groupId: ID!) { leaveGroup(groupId: $groupId) }';
const POST = 'mutation ($threadId: ID!, $body: String!) { postMessage(threadId: $threadId, body: $body) { id } }';
const THREAD = 'query ($id: ID!) { event(id: $id) { thread { id } } }';
const MARK = 'mutation ($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) }';

describe('notifications of a private group', () => {
  it('tells exactly the right people about each kind, and nobody outside the group', async () => {
    const organizer = await signUp(t, 'Olga');
    const outsider = await signUp(t, 'Xena');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE', joinMode: 'APPROVAL' });
    const ann = await signUp(t, 'Ann');
    const bob = await signUp(t, 'Bob');
    const leaver = await signUp(t, 'Lee');

    // JOIN_REQUESTED to organizers; APPROVED / REJECTED to the person who asked.
    const annAsk = await joinGroup(t, ann.token, group.id);
    const bobAsk = await joinGroup(t, bob.token, group.id);
    const leeAsk = await joinGroup(t, leaver.token, group.id);
    await queueSettled(t); // (a request already reviewed when its job runs tells nobody: the organizers have dealt with it)
    ok(await t.gql(REVIEW, { id: annAsk.id, approve: true }, organizer.token));
    ok(await t.gql(REVIEW, { id: leeAsk.id, approve: true }, organizer.token));
    ok(await t.gql(REVIEW, { id: bobAsk.id, approve: false }, organizer.token));
    await queueSettled(t);
    expect((await kindsOf(t, organizer.id)).filter((k) => k === 'JOIN_REQUESTED')).toHaveLength(3);
    expect(await kindsOf(t, ann.id)).toEqual(['MEMBERSHIP_APPROVED']);
    expect(await kindsOf(t, bob.id)).toEqual(['MEMBERSHIP_REJECTED']);

    // EVENT_CREATED to active members, not to the organizer who made it, the rejected, or outsiders.
    const event = await createEvent(t, organizer.token, group.id, { startsAt: new Date(Date.now() + 72 * 3600_000).toISOString() });
    await queueSettled(t);
    expect(await kindsOf(t, ann.id)).toEqual(['MEMBERSHIP_APPROVED', 'EVENT_CREATED']);
    expect(await kindsOf(t, leaver.id)).toEqual(['MEMBERSHIP_APPROVED', 'EVENT_CREATED']);
    expect(await kindsOf(t, bob.id)).toEqual(['MEMBERSHIP_REJECTED']);
    expect(await kindsOf(t, organizer.id)).not.toContain('EVENT_CREATED');

    // Ann and Lee RSVP; Lee leaves the group: he hears nothing more about it.
    ok(await rsvp(t, ann.token, event.id, 'YES'));
    ok(await rsvp(t, leaver.token, event.id, 'YES'));
    ok(await t.gql(LEAVE, { groupId: group.id }, leaver.token));
    ok(await t.gql(UPDATE, { id: event.id, input: { startsAt: new Date(Date.now() + 96 * 3600_000).toISOString() } }, organizer.token));
    await queueSettled(t); // (a move already followed by a cancellation when its job runs tells nobody of the move)
    ok(await t.gql(UPDATE, { id: event.id, input: { description: 'Bring snacks.' } }, organizer.token)); // not a move: nobody told
    ok(await t.gql(CANCEL, { id: event.id }, organizer.token));
    ok(await t.gql(CANCEL, { id: event.id }, organizer.token)); // again: still one notification
    await queueSettled(t);
    expect(await kindsOf(t, ann.id)).toEqual(['MEMBERSHIP_APPROVED', 'EVENT_CREATED', 'EVENT_CHANGED', 'EVENT_CANCELLED']);
    expect(await kindsOf(t, leaver.id)).toEqual(['MEMBERSHIP_APPROVED', 'EVENT_CREATED']);
    expect(await kindsOf(t, outsider.id)).toEqual([]);
    // What Lee was told stays in his list, but the private group's event is no longer shown to him.
    const leesEvent = (await inbox(t, leaver.token)).items.find((n) => n.kind === 'EVENT_CREATED');
    expect(leesEvent).toMatchObject({ event: null, url: `/events/${event.id}` });
    expect((await inbox(t, ann.token)).items.find((n) => n.kind === 'EVENT_CREATED').event).toMatchObject({ id: event.id });

    // Emails went to the same people, one per notification.
    await smtp.waitFor(ann.email, 4);
    expect(smtp.to(ann.email).map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/^Cancelled: /), expect.stringMatching(/^Moved: /)]));
    expect(smtp.to(outsider.email)).toEqual([]);
    expect(smtp.to(leaver.email)).toHaveLength(2);
  });

  it('tells the person promoted off the waitlist, and people who wrote in a thread about replies', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const [ann, bob, cat] = await Promise.all(['Ann', 'Bob', 'Cat'].map(() => addMember(t, organizer.token, group.id)));
    const event = await createEvent(t, organizer.token, group.id, { capacity: 1 });
    ok(await rsvp(t, ann.token, event.id, 'YES'));
    expect(ok(await rsvp(t, bob.token, event.id, 'YES')).rsvp.status).toBe('WAITLISTED');
    ok(await rsvp(t, ann.token, event.id, 'NO'));
    await queueSettled(t);
    expect(await kindsOf(t, bob.id)).toContain('WAITLIST_PROMOTED');
    expect(await kindsOf(t, ann.id)).not.toContain('WAITLIST_PROMOTED');

    const threadId = ok(await t.gql(THREAD, { id: event.id }, ann.token)).event.thread.id;
    ok(await t.gql(POST, { threadId, body: 'Who is coming?' }, ann.token));
    ok(await t.gql(POST, { threadId, body: 'Me!' }, bob.token));
    await queueSettled(t);
    expect((await kindsOf(t, ann.id)).filter((k) => k === 'THREAD_REPLY')).toHaveLength(1);
    expect(await kindsOf(t, bob.id)).not.toContain('THREAD_REPLY'); // his own message
    expect(await kindsOf(t, cat.id)).not.toContain('THREAD_REPLY'); // never wrote there
    const reply = (await inbox(t, ann.token)).items.find((n) => n.kind === 'THREAD_REPLY');
    expect(reply).toMatchObject({ body: 'Me!', url: `/groups/${group.slug}/threads/${threadId}`, event: { id: event.id }, group: { id: group.id } });
    // More replies within the hour do not pile up: one notification per thread and person per hour.
    ok(await t.gql(POST, { threadId, body: 'Me too!' }, cat.token));
    ok(await t.gql(POST, { threadId, body: 'And me.' }, bob.token));
    await queueSettled(t);
    expect((await kindsOf(t, ann.id)).filter((k) => k === 'THREAD_REPLY')).toHaveLength(1);
    expect((await kindsOf(t, bob.id)).filter((k) => k === 'THREAD_REPLY')).toHaveLength(1); // Cat replied after him
  });
});

describe('the in-app list', () => {
  it('counts unread, marks some or all read, and pushes new ones live to their person only', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const ann = await addMember(t, organizer.token, group.id);
    const bob = await addMember(t, organizer.token, group.id);
    const annWs = wsClient(t.api.url, ann.token);
    const anonymous = wsClient(t.api.url);
    const live = subscribe(annWs, 'subscription { notificationAdded { unreadCount notification { id kind title url createdAt } } }', {});
    const refused = subscribe(anonymous, 'subscription { notificationAdded { unreadCount } }', {});
    try {
      await new Promise((r) => setTimeout(r, 200));
      const first = await createEvent(t, organizer.token, group.id);
      const [added] = await live.waitFor(1);
      expect(added.notificationAdded).toMatchObject({ unreadCount: 1, notification: { kind: 'EVENT_CREATED', url: `/events/${first.id}` } });
      await createEvent(t, organizer.token, group.id);
      const [, second] = await live.waitFor(2);
      expect(second.notificationAdded.unreadCount).toBe(2);
      await queueSettled(t);
      expect(live.received).toHaveLength(2); // nothing of Bob's

      const box = await inbox(t, ann.token);
      expect(box).toMatchObject({ unread: 2, total: 2 });
      expect(ok(await t.gql(MARK, { ids: [box.items[0].id] }, bob.token)).markNotificationsRead).toBe(2); // not his: unchanged
      expect((await inbox(t, ann.token)).unread).toBe(2);
      expect(ok(await t.gql(MARK, { ids: [box.items[0].id] }, ann.token)).markNotificationsRead).toBe(1);
      expect(ok(await t.gql(MARK, { all: true }, ann.token)).markNotificationsRead).toBe(0);
      expect((await inbox(t, ann.token)).items.every((n) => n.readAt)).toBe(true);
      expectError(await t.gql(MARK, { ids: ['nope'] }, ann.token), 'BAD_USER_INPUT', 'ids.0');
      expectError(await t.gql(MARK, {}, ann.token), 'BAD_USER_INPUT', 'ids');
      expectError(await t.gql(MARK, { all: true }), 'UNAUTHENTICATED');
      await refused.waitFor(1, 2000).catch(() => {});
      expect(refused.received).toEqual([]);
      expect(JSON.stringify(refused.errors)).toMatch(/Log in/);
    } finally {
      await live.close();
      await refused.close();
      await annWs.dispose();
      await anonymous.dispose();
    }
  });
});
