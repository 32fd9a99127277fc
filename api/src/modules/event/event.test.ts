import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, createEvent, eventWithOrganizer, hoursFromNow } from '../../test/events.js';
import { addMember, createGroup, expectError, ok, signUp, sql } from '../../test/factories.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const CREATE_EVENT = contractOperation('CreateEvent');
const UPDATE_EVENT = contractOperation('UpdateEvent');
const CANCEL_EVENT = contractOperation('CancelEvent');
const EVENT_PAGE = contractOperation('EventPage');
const GROUP_PAGE = contractOperation('GroupPage');

describe('createEvent', () => {
  it('creates the event, its host and its discussion thread in one go (contract CreateEvent)', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token);
    const startsAt = '2030-05-01T18:30:00.000Z';
    const input = { groupId: group.id, title: '  Spring hike  ', startsAt, capacity: 20, guestLimit: 2, onlineUrl: 'https://meet.example.com/hike' };
    const created = ok(await t.gql(CREATE_EVENT, { input }, organizer.token)).createEvent;
    expect(created).toMatchObject({
      title: 'Spring hike', startsAt, endsAt: '2030-05-01T20:30:00.000Z', capacity: 20, guestLimit: 2,
      goingCount: 0, waitlistCount: 0, status: 'SCHEDULED',
    });
    const [thread] = await sql(t, 'select id, group_id, title, author_id from threads where event_id = ?', [created.id]);
    expect(thread).toMatchObject({ id: created.thread.id, group_id: group.id, title: 'Spring hike', author_id: organizer.id });
    const hosts = await sql(t, 'select user_id from event_hosts where event_id = ?', [created.id]);
    expect(hosts).toEqual([{ user_id: organizer.id }]);
    const [rsvps] = await sql(t, 'select count(*)::int as n from rsvps where event_id = ?', [created.id]);
    expect(rsvps.n).toBe(0); // creating an event RSVPs nobody
  });

  it('lets organizers and event organizers create events, and nobody else', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token);
    const eventOrganizer = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    const member = await addMember(t, organizer.token, group.id);
    const outsider = await signUp(t, 'Outsider');
    const input = { groupId: group.id, title: 'Board games', startsAt: hoursFromNow(48) };
    expect(ok(await t.gql(CREATE_EVENT, { input }, eventOrganizer.token)).createEvent.title).toBe('Board games');
    expectError(await t.gql(CREATE_EVENT, { input }, member.token), 'FORBIDDEN');
    expectError(await t.gql(CREATE_EVENT, { input }, outsider.token), 'FORBIDDEN');
    expectError(await t.gql(CREATE_EVENT, { input }), 'UNAUTHENTICATED');
    expectError(await t.gql(CREATE_EVENT, { input: { ...input, groupId: 'nope' } }, organizer.token), 'NOT_FOUND');
    const [row] = await sql(t, 'select count(*)::int as n from events where group_id = ?', [group.id]);
    expect(row.n).toBe(1);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token);
    const base = { groupId: group.id, title: 'Picnic', startsAt: '2030-06-01T12:00:00Z' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ endsAt: '2030-06-01T11:59:00Z' }, 'input.endsAt'],
      [{ capacity: -1 }, 'input.capacity'],
      [{ guestLimit: -1 }, 'input.guestLimit'],
      [{ onlineUrl: 'not a link' }, 'input.onlineUrl'],
      [{ onlineUrl: 'ftp://files.example.com/x' }, 'input.onlineUrl'],
      [{ title: '' }, 'input.title'],
      [{ title: '   ' }, 'input.title'],
      [{ venue: { name: 'Park', location: { lat: 95, lng: 0 } } }, 'input.venue.location.lat'],
    ];
    for (const [change, field] of cases) {
      expectError(await t.gql(CREATE_EVENT, { input: { ...base, ...change } }, organizer.token), 'BAD_USER_INPUT', field);
    }
    const [row] = await sql(t, 'select count(*)::int as n from events where group_id = ?', [group.id]);
    expect(row.n).toBe(0);
  });

  it('keeps instants across a DST change and shows the group\'s time zone', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token, { timezone: 'Europe/Berlin' });
    // 19:00 in Berlin on both sides of the switch to summer time (2026-03-29): +01:00 before, +02:00 after.
    const before = await createEvent(t, organizer.token, group.id, { startsAt: '2026-03-28T19:00:00+01:00' });
    const after = await createEvent(t, organizer.token, group.id, { startsAt: '2026-03-29T19:00:00+02:00' });
    const read = async (id: string) => ok(await t.gql(EVENT_PAGE, { id }, organizer.token)).event;
    expect(await read(before.id)).toMatchObject({ startsAt: '2026-03-28T18:00:00.000Z', timezone: 'Europe/Berlin' });
    expect(await read(after.id)).toMatchObject({ startsAt: '2026-03-29T17:00:00.000Z', timezone: 'Europe/Berlin' });
    const local = await sql(
      t,
      `select to_char(starts_at at time zone 'Europe/Berlin', 'HH24:MI') as wall from events where id in (?, ?)`,
      [before.id, after.id],
    );
    expect(local.map((r) => r.wall)).toEqual(['19:00', '19:00']);
    // Editing other fields never moves the stored instant.
    ok(await t.gql(UPDATE_EVENT, { id: after.id, input: { title: 'Renamed' } }, organizer.token));
    expect((await read(after.id)).startsAt).toBe('2026-03-29T17:00:00.000Z');
  });
});

describe('event(id) and Group.events', () => {
  it('answers null with NOT_FOUND for unknown ids and ids that are not UUIDs', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const res = await t.gql(EVENT_PAGE, { id });
      expect(res.data?.event).toBeNull();
      expectError(res, 'NOT_FOUND');
    }
  });

  it('shows the whole EventPage to a member (contract EventPage)', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, {
      capacity: 10,
      venue: { name: 'Café Luna', address: 'Main St 1', city: 'Oslo', location: { lat: 59.9, lng: 10.7 } },
    });
    const page = ok(await t.gql(EVENT_PAGE, { id: event.id }, organizer.token)).event;
    expect(page).toMatchObject({
      id: event.id, status: 'SCHEDULED', capacity: 10, guestLimit: 0, goingCount: 0, waitlistCount: 0, attendanceVersion: 0,
      venue: { name: 'Café Luna', address: 'Main St 1', city: 'Oslo', location: { lat: 59.9, lng: 10.7 } },
      group: { id: group.id, slug: group.slug, viewerMembership: { role: 'ORGANIZER', status: 'ACTIVE' } },
      hosts: [{ id: organizer.id, name: 'Organizer' }],
      viewerRsvp: null,
      attendees: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false } },
    });
    expect(page.thread.id).toBeTruthy();
  });

  it('lists upcoming events soonest first and past ones most recent first (contract GroupPage)', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token);
    const make = (title: string, startsAt: string, endsAt?: string) =>
      createEvent(t, organizer.token, group.id, { title, startsAt, ...(endsAt ? { endsAt } : {}) });
    await make('later', hoursFromNow(72));
    await make('soon', hoursFromNow(2));
    await make('running now', hoursFromNow(-1), hoursFromNow(1)); // started, not ended: still upcoming
    await make('last year', hoursFromNow(-24 * 365)); // events may start in the past
    await make('last week', hoursFromNow(-24 * 7));
    const page = ok(await t.gql(GROUP_PAGE, { slug: group.slug }, organizer.token)).group;
    expect(page.upcoming.totalCount).toBe(3);
    expect(page.upcoming.edges.map((e: any) => e.node.title)).toEqual(['running now', 'soon', 'later']);
    expect(page.past.edges.map((e: any) => e.node.title)).toEqual(['last week', 'last year']);

    const EVENTS = `query ($slug: String!, $after: String) { group(slug: $slug) {
      events(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { title } } } } }`;
    const first = ok(await t.gql(EVENTS, { slug: group.slug })).group.events;
    expect(first.edges.map((e: any) => e.node.title)).toEqual(['running now', 'soon']); // default UPCOMING
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = ok(await t.gql(EVENTS, { slug: group.slug, after: first.pageInfo.endCursor })).group.events;
    expect(second).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false }, edges: [{ node: { title: 'later' } }] });
  });
});

describe('updateEvent and cancelEvent', () => {
  it('changes details, keeps the length when only the start moves, and renames the chat (contract UpdateEvent)', async () => {
    const { organizer, event } = await eventWithOrganizer(t, { startsAt: '2030-01-10T18:00:00Z', endsAt: '2030-01-10T21:00:00Z' });
    const input = { title: 'New title', startsAt: '2030-01-11T18:00:00Z', capacity: 30 };
    const updated = ok(await t.gql(UPDATE_EVENT, { id: event.id, input }, organizer.token)).updateEvent;
    expect(updated).toMatchObject({ id: event.id, title: 'New title', startsAt: '2030-01-11T18:00:00.000Z', capacity: 30, goingCount: 0 });
    const [row] = await sql(t, 'select ends_at, venue_id from events where id = ?', [event.id]);
    expect(new Date(row.ends_at).toISOString()).toBe('2030-01-11T21:00:00.000Z');
    const [thread] = await sql(t, 'select title from threads where event_id = ?', [event.id]);
    expect(thread.title).toBe('New title');

    const venue = { name: 'Hall', city: 'Oslo' };
    ok(await t.gql(UPDATE_EVENT, { id: event.id, input: { venue, capacity: null, onlineUrl: 'https://x.example.com/a' } }, organizer.token));
    const [withVenue] = await sql(t, 'select capacity, venue_id, online_url from events where id = ?', [event.id]);
    expect(withVenue).toMatchObject({ capacity: null, online_url: 'https://x.example.com/a' });
    expect(withVenue.venue_id).toBeTruthy();
    ok(await t.gql(UPDATE_EVENT, { id: event.id, input: { venue: null, onlineUrl: null } }, organizer.token));
    const [cleared] = await sql(t, 'select venue_id, online_url, title from events where id = ?', [event.id]);
    expect(cleared).toEqual({ venue_id: null, online_url: null, title: 'New title' });
  });

  it('refuses bad changes, other members and outsiders', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { startsAt: '2030-02-01T18:00:00Z' });
    const member = await addMember(t, organizer.token, group.id);
    const eventOrganizer = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    expectError(await t.gql(UPDATE_EVENT, { id: event.id, input: { endsAt: '2030-02-01T17:00:00Z' } }, organizer.token), 'BAD_USER_INPUT', 'input.endsAt');
    expectError(await t.gql(UPDATE_EVENT, { id: event.id, input: { capacity: -5 } }, organizer.token), 'BAD_USER_INPUT', 'input.capacity');
    expectError(await t.gql(UPDATE_EVENT, { id: event.id, input: { title: 'x' } }, member.token), 'FORBIDDEN');
    expectError(await t.gql(UPDATE_EVENT, { id: event.id, input: { title: 'x' } }), 'UNAUTHENTICATED');
    expectError(await t.gql(UPDATE_EVENT, { id: 'bad', input: { title: 'x' } }, organizer.token), 'NOT_FOUND');
    expect(ok(await t.gql(UPDATE_EVENT, { id: event.id, input: { title: 'By EO' } }, eventOrganizer.token)).updateEvent.title).toBe('By EO');
  });

  it('cancels (contract CancelEvent), refuses members, and freezes the event', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const member = await addMember(t, organizer.token, group.id);
    expectError(await t.gql(CANCEL_EVENT, { id: event.id }, member.token), 'FORBIDDEN');
    expect(ok(await t.gql(CANCEL_EVENT, { id: event.id }, organizer.token)).cancelEvent).toEqual({ id: event.id, status: 'CANCELLED' });
    expect(ok(await t.gql(CANCEL_EVENT, { id: event.id }, organizer.token)).cancelEvent.status).toBe('CANCELLED'); // idempotent
    expectError(await t.gql(UPDATE_EVENT, { id: event.id, input: { title: 'x' } }, organizer.token), 'BAD_USER_INPUT', 'id');
    const [row] = await sql(t, 'select status from events where id = ?', [event.id]);
    expect(row.status).toBe('CANCELLED');
  });
});
