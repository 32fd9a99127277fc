import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { waitUntil } from '../../test/api-process.js';
import { contractOperation, createEvent, eventWithOrganizer, hoursFromNow } from '../../test/events.js';
import { addMember, createGroup, ok, signUp } from '../../test/factories.js';
import { subscribe, wsClient } from '../../test/ws.js';
import { webDocument } from '../../test/web-documents.js';
import { channelOf } from '../../shared/live.js';
import { eventChangedTopic } from './event.live.js';

// eventChanged (docs/ARCHITECTURE.md, "Live protocol"): every change to the event itself reaches its page at once.

const CHANGED = contractOperation('EventChanged');
const UPDATE = `mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }`;
const CANCEL = `mutation ($id: ID!) { cancelEvent(id: $id) { id } }`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const watchers = (eventId: string, n: number) =>
  waitUntil(() => t.api.live.subscriberCount(channelOf(eventChangedTopic, eventId)) === n, `${n} eventChanged subscriptions`);

describe('eventChanged', () => {
  it('pushes a new title, time, venue and capacity, then the cancellation, to the contract\'s and the web\'s documents', async () => {
    const { organizer, event } = await eventWithOrganizer(t, { capacity: 10 });
    const anonymous = subscribe(wsClient(t.api.url), CHANGED, { eventId: event.id });
    const web = subscribe(wsClient(t.api.url), webDocument('EventChanged'), { eventId: event.id });
    await watchers(event.id, 2);

    const startsAt = hoursFromNow(48);
    ok(await t.gql(UPDATE, { id: event.id, input: { title: 'Moved and renamed', startsAt } }, organizer.token));
    ok(await t.gql(UPDATE, { id: event.id, input: { venue: { name: 'Café Luna', address: 'Storgata 1', city: 'Oslo', location: { lat: 59.9, lng: 10.7 } } } }, organizer.token));
    ok(await t.gql(UPDATE, { id: event.id, input: { capacity: 3 } }, organizer.token));
    ok(await t.gql(CANCEL, { id: event.id }, organizer.token));

    const pushed = (await anonymous.waitFor(4)).map((u) => u.eventChanged);
    expect(pushed[0]).toMatchObject({ id: event.id, title: 'Moved and renamed', startsAt: new Date(startsAt).toISOString(), status: 'SCHEDULED' });
    expect(pushed[1].venue).toEqual({ name: 'Café Luna', address: 'Storgata 1', city: 'Oslo' });
    expect(pushed[2]).toMatchObject({ capacity: 3, goingCount: 0, waitlistCount: 0 });
    expect(pushed[3]).toMatchObject({ status: 'CANCELLED', title: 'Moved and renamed', capacity: 3 });
    const fromWeb = (await web.waitFor(4)).map((u) => u.eventChanged);
    expect(fromWeb[1].venue).toEqual({ name: 'Café Luna', address: 'Storgata 1', city: 'Oslo', location: { lat: 59.9, lng: 10.7 } });
    expect(fromWeb[3].status).toBe('CANCELLED');

    // What the page then shows matches HTTP: cancelled, and RSVPs are refused.
    const now = ok(await t.gql(`query ($id: ID!) { event(id: $id) { status title capacity } }`, { id: event.id }));
    expect(now.event).toEqual({ status: 'CANCELLED', title: 'Moved and renamed', capacity: 3 });
  });

  it('is authorized like event(id): outsiders of a private group are refused, removed members stop, onlineUrl per viewer', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const event = await createEvent(t, organizer.token, group.id, { onlineUrl: 'https://meet.example/a' });
    const member = await addMember(t, organizer.token, group.id);
    const outsider = await signUp(t, 'Outsider');

    const refused = subscribe(wsClient(t.api.url, outsider.token), CHANGED, { eventId: event.id });
    await waitUntil(() => refused.completed, 'the outsider refused');
    expect(JSON.stringify(refused.errors)).toContain('NOT_FOUND');

    // onlineUrl is not in the payload: worked out per subscriber, as HTTP answers them.
    const withLink = `subscription ($eventId: ID!) { eventChanged(eventId: $eventId) { id title onlineUrl } }`;
    const asMember = subscribe(wsClient(t.api.url, member.token), withLink, { eventId: event.id });
    const asOrganizer = subscribe(wsClient(t.api.url, organizer.token), withLink, { eventId: event.id });
    await watchers(event.id, 2);
    ok(await t.gql(UPDATE, { id: event.id, input: { title: 'Online only', onlineUrl: 'https://meet.example/b' } }, organizer.token));
    expect((await asMember.waitFor(1))[0].eventChanged).toEqual({ id: event.id, title: 'Online only', onlineUrl: null });
    expect((await asOrganizer.waitFor(1))[0].eventChanged).toEqual({ id: event.id, title: 'Online only', onlineUrl: 'https://meet.example/b' });

    ok(await t.gql(`mutation ($id: ID!) { removeMember(membershipId: $id) }`, { id: member.membershipId }, organizer.token));
    await waitUntil(() => asMember.completed, 'the removed member\'s stream ended');
    ok(await t.gql(CANCEL, { id: event.id }, organizer.token));
    expect((await asOrganizer.waitFor(2))[1].eventChanged.title).toBe('Online only');
    expect(asMember.received).toHaveLength(1);
  });
});
