import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, createEvent, eventWithOrganizer, members, rsvp } from '../../test/events.js';
import { addMember, expectError, joinGroup, ok, signUp } from '../../test/factories.js';
import { countQueries } from '../../test/query-counter.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ JOBS_WORK: false }); // no job queue work (notifications, emails) among the statements counted
});
afterAll(() => t?.close());

const EVENT_PAGE = contractOperation('EventPage');
const GROUP_PAGE = contractOperation('GroupPage');
const ONLINE_URL = `query ($id: ID!) { event(id: $id) { onlineUrl } }`;
const LINK = 'https://meet.example.com/secret-room';

describe('onlineUrl', () => {
  it('is shown to going attendees, hosts and organizers only', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { onlineUrl: LINK, capacity: 1 });
    const eventOrganizer = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    const host = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    const hosted = await createEvent(t, host.token, group.id, { onlineUrl: LINK });
    const [going, waitlisted, notGoing, member] = await members(t, organizer.token, group.id, 4);
    ok(await rsvp(t, going.token, event.id, 'YES'));
    ok(await rsvp(t, waitlisted.token, event.id, 'YES'));
    ok(await rsvp(t, notGoing.token, event.id, 'NO'));
    const outsider = await signUp(t, 'Outsider');
    const urlFor = async (token: string | null, id = event.id) => ok(await t.gql(ONLINE_URL, { id }, token)).event.onlineUrl;

    expect(await urlFor(null)).toBeNull(); // anonymous
    expect(await urlFor(outsider.token)).toBeNull();
    expect(await urlFor(member.token)).toBeNull(); // member who did not answer
    expect(await urlFor(waitlisted.token)).toBeNull();
    expect(await urlFor(notGoing.token)).toBeNull();
    expect(await urlFor(eventOrganizer.token)).toBeNull(); // event organizer who does not host it
    expect(await urlFor(going.token)).toBe(LINK);
    expect(await urlFor(organizer.token)).toBe(LINK); // the group's organizer (and this event's host)
    expect(await urlFor(host.token, hosted.id)).toBe(LINK); // host
    expect(await urlFor(organizer.token, hosted.id)).toBe(LINK); // organizer who does not host it
    expect(await urlFor(going.token, hosted.id)).toBeNull(); // going elsewhere counts for nothing here

    ok(await rsvp(t, going.token, event.id, 'NO'));
    expect(await urlFor(going.token)).toBeNull(); // lost with the seat
    expect(await urlFor(waitlisted.token)).toBe(LINK); // promoted
  });
});

describe('private groups', () => {
  it('hide their events from outsiders: event(id) is null with NOT_FOUND, lists are empty', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, {}, { visibility: 'PRIVATE', joinMode: 'APPROVAL' });
    const outsider = await signUp(t, 'Outsider');
    const pending = await signUp(t, 'Pending');
    await joinGroup(t, pending.token, group.id, 'let me in');
    for (const token of [null, outsider.token, pending.token]) {
      const res = await t.gql(EVENT_PAGE, { id: event.id }, token);
      expect(res.data?.event).toBeNull();
      expectError(res, 'NOT_FOUND');
      const page = ok(await t.gql(GROUP_PAGE, { slug: group.slug }, token)).group;
      expect(page.name).toBe(group.name); // the profile stays visible
      expect(page.upcoming).toEqual({ totalCount: 0, edges: [] });
      expect(page.past.edges).toEqual([]);
    }
    const inside = ok(await t.gql(GROUP_PAGE, { slug: group.slug }, organizer.token)).group;
    expect(inside.upcoming.totalCount).toBe(1);
    expect(ok(await t.gql(EVENT_PAGE, { id: event.id }, organizer.token)).event.id).toBe(event.id);
  });

  it('stop showing an event and its attendees to a member who leaves', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, {}, { visibility: 'PRIVATE' });
    const insider = await signUp(t, 'Insider');
    expect((await joinGroup(t, insider.token, group.id)).status).toBe('ACTIVE'); // private but OPEN
    ok(await rsvp(t, insider.token, event.id, 'YES'));
    const attendees = `query ($id: ID!) { event(id: $id) { attendees { totalCount } } }`;
    expect(ok(await t.gql(attendees, { id: event.id }, insider.token)).event.attendees.totalCount).toBe(1);
    ok(await t.gql(`mutation ($g: ID!) { leaveGroup(groupId: $g) }`, { g: group.id }, insider.token));
    expectError(await t.gql(attendees, { id: event.id }, insider.token), 'NOT_FOUND');
  });
});

describe('batching', () => {
  it('resolves a page of events with the same number of queries however many events it holds', async () => {
    const LIST = `query ($slug: String!, $first: Int) { group(slug: $slug) { events(first: $first) { edges { node {
      id timezone onlineUrl group { id } hosts { id } venue { name }
      viewerRsvp { id status waitlistPosition user { id } event { id } }
      attendees(first: 3) { totalCount edges { node { id waitlistPosition user { id } } } }
    } } } } }`;
    const { organizer, group } = await eventWithOrganizer(t, { onlineUrl: LINK, venue: { name: 'Hall' }, capacity: 0 });
    const [member] = await members(t, organizer.token, group.id, 1);
    for (let i = 0; i < 5; i++) await createEvent(t, organizer.token, group.id, { onlineUrl: LINK, venue: { name: `Hall ${i}` }, capacity: 0 });
    const ids = ok(await t.gql(LIST, { slug: group.slug, first: 6 }, member.token)).group.events.edges.map((e: any) => e.node.id);
    for (const id of ids) ok(await rsvp(t, member.token, id, 'YES')); // capacity 0: all waitlisted
    const few = await countQueries(() => t.gql(LIST, { slug: group.slug, first: 2 }, member.token));
    const many = await countQueries(() => t.gql(LIST, { slug: group.slug, first: 6 }, member.token));
    expect(ok(many.result).group.events.edges).toHaveLength(6);
    expect(ok(many.result).group.events.edges[5].node.viewerRsvp.waitlistPosition).toBe(1);
    // attendees: one page query and one count per connection; everything else one query per batch.
    expect(many.queries.length - few.queries.length).toBe(2 * (6 - 2));
  });
});
