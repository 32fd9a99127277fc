import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { waitUntil } from '../../test/api-process.js';
import { createEvent, rsvp } from '../../test/events.js';
import { addMember, createGroup, joinGroup, ok, setRole, signUp, type TestUser } from '../../test/factories.js';
import { subscribe, wsClient, type TestSubscription } from '../../test/ws.js';

// Rights per event (docs/ARCHITECTURE.md, "Live protocol"): what a subscriber is pushed equals what the same selection
// answers over HTTP at that moment, for that viewer, however the viewer's standing changed since they subscribed.

const SEEN = `fragment Seen on Event {
  id goingCount waitlistCount onlineUrl
  viewerRsvp { status waitlistPosition }
  group { members(first: 10) { edges { node { answer } } } }
}`;
const WATCH = `subscription Watch($eventId: ID!) { eventAttendance(eventId: $eventId) { version event { ...Seen } } } ${SEEN}`;
const NOW = `query Now($id: ID!) { event(id: $id) { attendanceVersion ...Seen } } ${SEEN}`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

interface World {
  organizer: TestUser;
  groupId: string;
  eventId: string;
  viewer: TestUser & { membershipId: string | null };
  /** Members who answer before the viewer subscribes (first going, second waitlisted when capacity is 1). */
  others: Array<TestUser & { membershipId: string }>;
  /** A member whose YES and NO tick the stream, far from the viewer's place. */
  ticker: TestUser;
}

interface Row {
  name: string;
  group: 'PUBLIC' | 'PRIVATE';
  /** The viewer's role, or null for a signed-in non-member. */
  role: 'MEMBER' | 'ORGANIZER' | null;
  capacity: number;
  before?: (w: World) => Promise<unknown>;
  change: (w: World) => Promise<unknown>;
  /** Whether the viewer's stream must end (and HTTP refuse them). */
  ends: boolean;
}

const gql = (query: string, variables: Record<string, unknown>, token: string) => t.gql(query, variables, token).then(ok);

const rows: Row[] = [
  {
    name: 'answers NO: loses onlineUrl, viewerRsvp NOT_GOING',
    group: 'PUBLIC', role: 'MEMBER', capacity: 10, ends: false,
    before: (w) => rsvp(t, w.viewer.token, w.eventId, 'YES').then(ok),
    change: (w) => rsvp(t, w.viewer.token, w.eventId, 'NO').then(ok),
  },
  {
    name: 'moves up the waitlist: told the new place',
    group: 'PUBLIC', role: 'MEMBER', capacity: 1, ends: false,
    before: async (w) => {
      ok(await rsvp(t, w.others[0].token, w.eventId, 'YES')); // going
      ok(await rsvp(t, w.others[1].token, w.eventId, 'YES')); // waitlisted #1
      ok(await rsvp(t, w.viewer.token, w.eventId, 'YES')); // waitlisted #2
    },
    change: (w) => rsvp(t, w.others[1].token, w.eventId, 'NO').then(ok),
  },
  {
    name: 'is demoted from organizer: no more join answers',
    group: 'PUBLIC', role: 'ORGANIZER', capacity: 10, ends: false,
    change: (w) => setRole(t, w.organizer.token, w.viewer.membershipId!, 'MEMBER'),
  },
  {
    name: 'is banned from a private group: the stream ends',
    group: 'PRIVATE', role: 'MEMBER', capacity: 10, ends: true,
    change: (w) => gql(`mutation ($id: ID!) { removeMember(membershipId: $id, ban: true) }`, { id: w.viewer.membershipId }, w.organizer.token),
  },
  {
    name: 'is removed from a private group: the stream ends',
    group: 'PRIVATE', role: 'MEMBER', capacity: 10, ends: true,
    change: (w) => gql(`mutation ($id: ID!) { removeMember(membershipId: $id, ban: false) }`, { id: w.viewer.membershipId }, w.organizer.token),
  },
  {
    name: 'watches as a non-member when the group turns private: the stream ends',
    group: 'PUBLIC', role: null, capacity: 10, ends: true,
    change: (w) => gql(`mutation ($id: ID!) { updateGroup(id: $id, input: { visibility: PRIVATE }) { id } }`, { id: w.groupId }, w.organizer.token),
  },
  {
    name: 'logs out: the socket closes',
    group: 'PUBLIC', role: 'MEMBER', capacity: 10, ends: true,
    change: (w) => gql(`mutation { logOut }`, {}, w.viewer.token),
  },
];

async function world(row: Row): Promise<World> {
  const organizer = await signUp(t, 'Owner');
  const group = await createGroup(t, organizer.token, { visibility: row.group });
  const event = await createEvent(t, organizer.token, group.id, { capacity: row.capacity, onlineUrl: 'https://meet.example/room' });
  const viewer = row.role ? await addMember(t, organizer.token, group.id, row.role) : { ...(await signUp(t, 'Outsider')), membershipId: null };
  const others = await Promise.all([1, 2].map(() => addMember(t, organizer.token, group.id)));
  const ticker = await addMember(t, organizer.token, group.id);
  // A member who answered the join question: only organizers (and they) may read the answer.
  await gql(`mutation ($id: ID!) { updateGroup(id: $id, input: { joinMode: APPROVAL, joinQuestion: "Why?" }) { id } }`, { id: group.id }, organizer.token);
  const asked = await joinGroup(t, (await signUp(t, 'Asker')).token, group.id, 'my secret reason');
  await gql(`mutation ($id: ID!) { reviewMembership(membershipId: $id, approve: true) { id } }`, { id: asked.id }, organizer.token);
  return { organizer, groupId: group.id, eventId: event.id, viewer, others, ticker };
}

/** Waits for the push of version `version`, and returns its event. */
async function pushOf(sub: TestSubscription, version: number) {
  await waitUntil(() => sub.received.some((u) => u.eventAttendance.version === version), `version ${version} pushed ${JSON.stringify(sub.errors)}`);
  return sub.received.find((u) => u.eventAttendance.version === version).eventAttendance.event;
}

/** The same selection over HTTP now, for the viewer, and the event's current version. */
async function overHttp(w: World) {
  const res = await t.gql(NOW, { id: w.eventId }, w.viewer.token);
  const { attendanceVersion, ...event } = res.data?.event ?? { attendanceVersion: null };
  return { res, event: res.data?.event ? event : null, version: attendanceVersion as number | null };
}

async function tick(w: World, response: 'YES' | 'NO') {
  return ok(await rsvp(t, w.ticker.token, w.eventId, response)).rsvp.event.attendanceVersion as number;
}

describe('a live subscriber is pushed what HTTP answers them at that moment', () => {
  it.each(rows.map((row) => [row.name, row] as const))('when the viewer %s', async (_name, row) => {
    const w = await world(row);
    await row.before?.(w);
    const client = wsClient(t.api.url, w.viewer.token);
    const sub = subscribe(client, WATCH, { eventId: w.eventId });
    await waitUntil(async () => {
      if (sub.completed) return true;
      await tick(w, 'YES').then(() => tick(w, 'NO'));
      return sub.received.length > 0;
    }, `the subscription to be live ${JSON.stringify(sub.errors)}`);
    expect(sub.completed, JSON.stringify(sub.errors)).toBe(false);

    // Before the change: equal (this holds on any implementation).
    const first = await tick(w, 'YES');
    expect(await pushOf(sub, first)).toEqual((await overHttp(w)).event);

    await row.change(w);
    if (row.ends) {
      await waitUntil(() => sub.completed, 'the stream to end', 1000);
      const seen = sub.received.length;
      await tick(w, 'NO');
      await new Promise((r) => setTimeout(r, 200));
      expect(sub.received).toHaveLength(seen);
      const now = await overHttp(w);
      // HTTP refuses them too: the event is hidden (NOT_FOUND) or the session is gone (UNAUTHENTICATED).
      expect(now.event).toBeNull();
      expect(now.res.errors?.[0].extensions?.code).toMatch(/NOT_FOUND|UNAUTHENTICATED/);
    } else {
      const last = await tick(w, 'NO');
      const now = await overHttp(w);
      expect(now.version).toBe(last);
      expect(await pushOf(sub, last)).toEqual(now.event);
      if (row.name.startsWith('answers NO')) expect(now.event).toMatchObject({ onlineUrl: null, viewerRsvp: { status: 'NOT_GOING' } });
      if (row.name.startsWith('moves up')) expect(now.event).toMatchObject({ viewerRsvp: { status: 'WAITLISTED', waitlistPosition: 1 } });
      if (row.name.startsWith('is demoted')) expect(JSON.stringify(now.event)).not.toContain('my secret reason');
    }
    if (row.name.startsWith('is demoted')) {
      // Before the change they were an organizer and saw the answer: the check above is not vacuous.
      expect(JSON.stringify(sub.received[0])).toContain('my secret reason');
    }
    await client.dispose();
  });
});
