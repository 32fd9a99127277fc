import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTopic } from '../modules/membership/access.live.js';
import { channelOf } from '../shared/live.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { waitUntil } from '../test/api-process.js';
import { contractOperation, rsvp } from '../test/events.js';
import { ok } from '../test/factories.js';
import { checkInvariants, sqlOf } from '../test/invariants.js';
import {
  INSIDERS,
  PUBLIC_VIEWERS,
  VIEWERS,
  privacyWorld,
  type PrivacyWorld,
  type PublicViewer,
  type SecretKey,
  type Viewer,
} from '../test/privacy-world.js';
import { subscribe, wsClient } from '../test/ws.js';

const op = contractOperation;
/** Secrets everyone but the named viewers must never see; the rest are the group's inside, for its ACTIVE members. */
const RESTRICTED: SecretKey[] = ['onlineUrl', 'answer', 'publicOnlineUrl'];
const OWN_NAME: Partial<Record<Viewer, SecretKey>> = { member: 'memberName', going: 'goingName', organizer: 'organizerName' };
const EVERY_EMAIL_PATH = `query ($slug: String!, $eventId: ID!, $threadId: ID!) {
  group(slug: $slug) { members(first: 50) { edges { node { user { id email } } } } }
  event(id: $eventId) { hosts { id email } attendees(first: 50) { edges { node { user { id email } } } } }
  thread(id: $threadId) { author { id email } messages(last: 50) { edges { node { author { id email } } } } }
}`;

type Answer = { text: string; body: any; status: number };
interface Probe<V extends string = Viewer> {
  name: string;
  run(w: PrivacyWorld, token: string | null): Promise<Answer>;
  /** The secrets this path shows the viewer (inside ones: to ACTIVE members; restricted ones: exactly to these). */
  shows(v: V): SecretKey[];
  /** Whether the answer carries the viewer's own email. Default: never. */
  ownEmail?(v: V): boolean;
  /** Who gets what shape: null and NOT_FOUND, empty lists, an error code. */
  check?(v: V, a: Answer, w: PrivacyWorld): void;
  /** Only these viewers (default: all). */
  only?: V[];
}

const insider = (v: Viewer) => INSIDERS.includes(v);
const inside = (...keys: SecretKey[]) => (v: Viewer) => (insider(v) ? keys : []);
const codes = (a: Answer) => (a.body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
/** Outsiders get null and NOT_FOUND for `field`; insiders get it. */
const hiddenFromOutsiders = (field: string) => (v: Viewer, a: Answer) => {
  if (insider(v)) expect(a.body.data[field], JSON.stringify(a.body.errors)).not.toBeNull();
  else expect([a.body.data[field], codes(a)]).toEqual([null, ['NOT_FOUND']]);
};

let t: TestApi;
async function gql(query: string, variables: Record<string, unknown>, token: string | null): Promise<Answer> {
  const res = await t.gql(query, variables, token);
  return { text: JSON.stringify(res), body: res, status: res.status };
}
async function get(path: string, token: string | null): Promise<Answer> {
  const res = await fetch(t.api.url.replace('/graphql', path), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { text, body: text, status: res.status };
}

const PROBES: Probe[] = [
  {
    name: 'group page (public profile, organizers, events, threads)',
    run: (w, token) => gql(op('GroupPage'), { slug: w.group.slug }, token),
    shows: inside('organizerName', 'eventTitle', 'threadTitle'),
    check(v, a, w) {
      const g = a.body.data.group;
      expect(g).toMatchObject({ id: w.group.id, name: w.group.name, visibility: 'PRIVATE', memberCount: 4 });
      const status = { pending: 'PENDING', banned: 'BANNED', member: 'ACTIVE', going: 'ACTIVE', organizer: 'ACTIVE' } as Record<string, string>;
      expect(g.viewerMembership?.status ?? null).toBe(status[v] ?? null);
      if (!insider(v)) expect([g.organizers.edges, g.upcoming.totalCount, g.past.edges, g.threads.totalCount]).toEqual([[], 0, [], 0]);
    },
  },
  {
    name: 'group members',
    run: (w, token) => gql(op('GroupMembers'), { slug: w.group.slug, first: 50 }, token),
    shows: inside('organizerName', 'memberName', 'goingName'),
    check: (v, a) => expect(a.body.data.group.members.totalCount).toBe(insider(v) ? 4 : 0),
  },
  {
    name: 'join requests and their answers',
    run: (w, token) => gql(op('GroupMembers'), { slug: w.group.slug, status: 'PENDING' }, token),
    shows: (v) => (v === 'organizer' ? ['answer'] : []),
    check(v, a) {
      if (v === 'organizer') expect(a.body.data.group.members.totalCount).toBe(1);
      else if (insider(v)) expect(codes(a)).toEqual(['FORBIDDEN']);
      else expect([a.body.data.group.members.totalCount, codes(a)]).toEqual([0, []]);
    },
  },
  {
    name: 'event page (hosts, attendees, viewerRsvp, onlineUrl)',
    run: (w, token) => gql(op('EventPage'), { id: w.event.id }, token),
    shows: (v) => [...inside('eventTitle', 'eventDescription', 'organizerName', 'goingName')(v), ...(['going', 'organizer'].includes(v) ? ['onlineUrl' as const] : [])],
    check(v, a) {
      hiddenFromOutsiders('event')(v, a);
      const answered = { going: 'GOING', member: 'NOT_GOING' } as Record<string, string>;
      if (insider(v)) expect(a.body.data.event.viewerRsvp?.status ?? null).toBe(answered[v] ?? null);
    },
  },
  {
    name: 'attendee list',
    run: (w, token) => gql(op('EventAttendees'), { id: w.event.id, status: 'GOING' }, token),
    shows: inside('goingName'),
    check: hiddenFromOutsiders('event'),
  },
  {
    name: 'thread and its messages',
    run: (w, token) => gql(op('ThreadMessages'), { id: w.thread.id }, token),
    shows: inside('threadTitle', 'messageBody', 'memberName'),
    check: hiddenFromOutsiders('thread'),
  },
  {
    name: "event's chat",
    run: (w, token) => gql(op('ThreadMessages'), { id: w.eventThreadId }, token),
    shows: inside('eventTitle', 'chatBody', 'goingName'),
    check: hiddenFromOutsiders('thread'),
  },
  {
    name: "event search by the private event's unique title",
    run: (w, token) => gql(op('ExploreEvents'), { filter: { search: w.secret.eventTitle } }, token),
    shows: () => [],
    check: (_v, a) => expect(a.body.data.events.edges).toEqual([]),
  },
  {
    name: 'event search within the private group',
    run: (w, token) => gql(op('ExploreEvents'), { filter: { groupSlug: w.group.slug } }, token),
    shows: () => [],
    check: (_v, a) => expect(a.body.data.events.edges).toEqual([]),
  },
  {
    name: 'group search (finds the public profile)',
    run: (w, token) => gql(op('ExploreGroups'), { search: w.group.name }, token),
    shows: () => [],
    check: (_v, a, w) => expect(a.body.data.groups.edges.map((e: any) => e.node.id)).toContain(w.group.id),
  },
  {
    name: 'Me (memberships, upcoming RSVPs)',
    run: (_w, token) => gql(op('Me'), {}, token),
    shows: (v) => [...(OWN_NAME[v] ? [OWN_NAME[v]!] : []), ...(v === 'going' ? ['eventTitle' as const] : [])],
    ownEmail: (v) => v !== 'anonymous',
    check: (v, a) => expect(a.body.data.me === null).toBe(v === 'anonymous'),
  },
  {
    name: 'user.email through members, hosts, attendees, thread and message authors',
    run: (w, token) => gql(EVERY_EMAIL_PATH, { slug: w.group.slug, eventId: w.event.id, threadId: w.thread.id }, token),
    shows: () => [],
    ownEmail: insider,
    check(v, a, w) {
      if (!insider(v)) return expect(codes(a)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
      const { group, event, thread } = a.body.data;
      const users = [
        ...group.members.edges.map((e: any) => e.node.user),
        ...event.hosts,
        ...event.attendees.edges.map((e: any) => e.node.user),
        thread.author,
        ...thread.messages.edges.map((e: any) => e.node.author),
      ];
      expect(users.length).toBeGreaterThanOrEqual(8);
      const self = w.users[v]!;
      for (const user of users) expect(user.email).toBe(user.id === self.id ? self.email : null);
    },
  },
  {
    name: 'iCal: the event',
    run: (w, token) => get(`/ical/events/${w.event.id}.ics`, token),
    shows: () => [],
    check: (_v, a) => expect(a.status).toBe(404),
  },
  {
    name: "iCal: the group's feed",
    run: (w, token) => get(`/ical/groups/${w.group.slug}.ics`, token),
    shows: () => [],
    check: (_v, a) => expect(a.status).toBe(404),
  },
  {
    name: 'mutations that name its event, thread, message or RSVP (refused, saying nothing)',
    only: ['anonymous', 'outsider', 'pending', 'banned'],
    async run(w, token) {
      const answers = [
        await gql(op('Rsvp'), { eventId: w.event.id, response: 'YES' }, token),
        await gql(op('PostMessage'), { threadId: w.thread.id, body: 'hello?' }, token),
        await gql(op('EditMessage'), { id: w.messageId, body: 'mine now' }, token),
        await gql(op('DeleteMessage'), { id: w.messageId }, token),
        await gql(op('MarkAttended'), { rsvpId: w.goingRsvp.id, attended: true }, token),
        await gql(op('UpdateEvent'), { id: w.event.id, input: { title: 'Renamed' } }, token),
        await gql(op('CancelEvent'), { id: w.event.id }, token),
        await gql(op('CreateThread'), { input: { groupId: w.group.id, title: 'Hi', body: 'there' } }, token),
      ];
      return { text: answers.map((a) => a.text).join('\n'), body: answers, status: 200 };
    },
    shows: () => [],
    check(v, a) {
      const got = (a.body as Answer[]).map((x) => codes(x)[0]);
      // Signed out: "log in first", except where the event is looked up first (it then does not exist for them).
      const anonymous = ['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED'];
      const refused = v === 'anonymous' ? anonymous : [...Array(7).fill('NOT_FOUND'), 'FORBIDDEN'];
      expect(got).toEqual(refused);
    },
  },
];

const PUBLIC_PROBES: Array<Probe<PublicViewer>> = [
  {
    name: 'public event page: onlineUrl',
    run: (w, token) => gql(op('EventPage'), { id: w.publicWorld.event.id }, token),
    shows: (v) => (['going', 'host', 'organizer'].includes(v) ? ['publicOnlineUrl'] : []),
    check: (_v, a) => expect(a.body.data.event.title).toMatch(/^Open evening/),
  },
  {
    name: 'public event in iCal: never the online link',
    run: (w, token) => get(`/ical/events/${w.publicWorld.event.id}.ics`, token),
    shows: () => [],
    check: (_v, a) => expect([a.status, a.text.includes('BEGIN:VEVENT')]).toEqual([200, true]),
  },
];

describe('privacy matrix: who sees what of a private group, an online link and an email', () => {
  let w: PrivacyWorld;
  let emails: Map<string, string>; // email → its owner's token

  beforeAll(async () => {
    t = await startTestApi();
    w = await privacyWorld(t);
    const people = [...Object.values(w.users), ...Object.values(w.publicWorld.users), w.toggler].filter((u) => u !== null);
    emails = new Map(people.map((u) => [u!.email, u!.token]));
  });
  afterAll(() => t?.close());

  /** Asserts exactly what one answer shows `token`'s viewer. */
  function expectShows<V extends string>(probe: Probe<V>, v: V, token: string | null, a: Answer, isInsider: boolean) {
    const shown = probe.shows(v);
    const where = `${probe.name}, as ${v}`;
    for (const [key, value] of Object.entries(w.secret) as Array<[SecretKey, string]>) {
      const present = a.text.includes(value);
      if (RESTRICTED.includes(key)) expect(present, `${where}: ${key}`).toBe(shown.includes(key));
      else if (!isInsider) expect(present, `${where}: ${key} leaked`).toBe(false);
      else if (shown.includes(key)) expect(present, `${where}: ${key} missing`).toBe(true);
    }
    for (const [email, owner] of emails) {
      const own = owner === token;
      expect(a.text.includes(email), `${where}: ${own ? 'own' : "someone else's"} email`).toBe(own && (probe.ownEmail?.(v) ?? false));
    }
    probe.check?.(v, a, w);
  }

  for (const probe of PROBES) {
    it(probe.name, async () => {
      for (const v of probe.only ?? VIEWERS) {
        const token = w.users[v]?.token ?? null;
        expectShows(probe, v, token, await probe.run(w, token), insider(v));
      }
      expect(await checkInvariants(sqlOf(t))).toEqual([]); // and nothing was changed by the refused mutations
    });
  }

  for (const probe of PUBLIC_PROBES) {
    it(probe.name, async () => {
      for (const v of PUBLIC_VIEWERS) {
        const token = w.publicWorld.users[v]?.token ?? null;
        expectShows(probe, v, token, await probe.run(w, token), true);
      }
    });
  }

  it('subscriptions: eventAttendance and threadActivity reach members only; others get NOT_FOUND and never an update', async () => {
    const subs = VIEWERS.map((v) => {
      const client = wsClient(t.api.url, w.users[v]?.token);
      return {
        v,
        client,
        attendance: subscribe(client, op('EventAttendance'), { eventId: w.event.id }),
        activity: subscribe(client, op('ThreadActivity'), { threadId: w.thread.id }),
      };
    });
    try {
      const outside = subs.filter((s) => !insider(s.v));
      await waitUntil(() => outside.every((s) => s.attendance.completed && s.activity.completed), 'outsiders to be refused');
      await waitUntil(() => t.api.live.subscriberCount(channelOf(accessTopic, w.group.id)) === INSIDERS.length * 2, 'members to be subscribed');

      ok(await rsvp(t, w.toggler.token, w.event.id, 'YES'));
      ok(await t.gql(op('PostMessage'), { threadId: w.thread.id, body: w.secret.liveBody }, w.toggler.token));
      for (const s of subs.filter((x) => insider(x.v))) {
        const [update] = await s.attendance.waitFor(1);
        expect(update.eventAttendance.rsvp.user.name).toBe(w.secret.togglerName);
        expect((await s.activity.waitFor(1))[0].threadActivity.message.body).toBe(w.secret.liveBody);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const s of outside) {
        for (const sub of [s.attendance, s.activity]) {
          expect(sub.received, s.v).toEqual([]);
          expect(sub.errors.map((e: any) => e.extensions?.code), `${s.v}: ${JSON.stringify(sub.errors)}`).toEqual(['NOT_FOUND']);
          for (const value of Object.values(w.secret)) expect(JSON.stringify(sub.errors)).not.toContain(value);
        }
      }
    } finally {
      await Promise.all(subs.map((s) => s.client.dispose()));
    }
  });
});
