import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { waitUntil } from '../../test/api-process.js';
import { contractOperation, eventWithOrganizer, members, rsvp } from '../../test/events.js';
import { ok, sql } from '../../test/factories.js';
import { countQueries } from '../../test/query-counter.js';
import { subscribe, wsClient, type TestSubscription } from '../../test/ws.js';
import { webDocument } from '../../test/web-documents.js';
import { eventChangedTopic } from '../event/event.live.js';
import { accessTopic } from '../membership/access.live.js';
import { threadActivityTopic } from '../thread/thread-activity.live.js';
import { channelOf } from '../../shared/live.js';

// Any document whose fields come from the published payload is answered from it, once per change, whatever way the
// client writes its selection (docs/ARCHITECTURE.md, "Live protocol"): the SQL of one RSVP is the same with 0 or
// 15 subscribers. The web client's own documents first.

const ATTENDEE = `fragment Who on Rsvp { id status guests waitlistPosition user { id name } }`;
const variants: Array<[string, string, Record<string, unknown>]> = [
  ['the web client\'s document (fragment spread)', webDocument('EventAttendance'), {}],
  ['the contract\'s document (plain fields)', contractOperation('EventAttendance'), {}],
  [
    'aliases, __typename and an inline fragment',
    `subscription ($eventId: ID!) { update: eventAttendance(eventId: $eventId) { __typename v: version
       ... on EventAttendanceUpdate { event { __typename going: goingCount id } }
       rsvp { ... on Rsvp { ...Who } } } } ${ATTENDEE}`,
    {},
  ],
  [
    '@include and @skip driven by variables, and nested fragments',
    `subscription ($eventId: ID!, $yes: Boolean!, $no: Boolean!) { eventAttendance(eventId: $eventId) {
       version event @include(if: $yes) { id waitlistCount capacity @skip(if: $no) }
       rsvp @skip(if: $no) { ...Outer } } }
     fragment Outer on Rsvp { ...Who guests }
     ${ATTENDEE}`,
    { yes: true, no: false },
  ],
];

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ JOBS_WORK: false }); // no job queue work (notifications, emails) among the statements counted
});
afterAll(() => t?.close());

/** The SQL statements of one RSVP, until every subscription in `subs` holds its update. */
async function statementsOf(token: string, eventId: string, response: 'YES' | 'NO', subs: TestSubscription[]) {
  const { queries } = await countQueries(async () => {
    const waiting = Promise.all(subs.map((s) => s.waitFor(s.received.length + 1)));
    ok(await rsvp(t, token, eventId, response));
    await waiting;
  });
  return queries.map((q) => q.replace(/'[^']*'/g, '?').replace(/\b\d+\b/g, '?'));
}

describe('documents answered from the payload', () => {
  it.each(variants)('%s: no SQL per subscriber, and the answer the selection asks for', async (_name, document, extra) => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const [first, a] = await members(t, organizer.token, group.id, 2);
    const alone = await statementsOf(first.token, event.id, 'YES', []); // v1, nobody watching

    const client = wsClient(t.api.url);
    const subs = Array.from({ length: 15 }, () => subscribe(client, document, { eventId: event.id, ...extra }));
    await waitUntil(() => t.api.live.subscriberCount(channelOf(accessTopic, group.id)) === 15, '15 subscriptions');
    const watched = await statementsOf(a.token, event.id, 'YES', subs); // v2, the same answer by another member
    expect(watched).toEqual(alone);

    const [pushed] = subs[0].received;
    for (const sub of subs) expect(sub.received).toEqual([pushed]); // one answer, shared
    const root = pushed.update ?? pushed.eventAttendance;
    expect(root.rsvp).toMatchObject({ status: 'GOING', guests: 0, waitlistPosition: null, user: { id: a.id, name: a.name } });
    if (pushed.update) {
      expect(pushed.update).toMatchObject({ __typename: 'EventAttendanceUpdate', v: 2, event: { __typename: 'Event', going: 2, id: event.id } });
      expect(Object.keys(pushed.update.event)).toEqual(['__typename', 'going', 'id']);
    } else {
      expect(root.version).toBe(2);
      expect(root.event).toMatchObject({ id: event.id, waitlistCount: 0 });
    }
    await client.dispose();
  });

  it('answers the web client\'s eventChanged and threadActivity documents from their payloads too', async () => {
    const { organizer, event } = await eventWithOrganizer(t, { venue: { name: 'Café Luna', city: 'Oslo' } });
    const client = wsClient(t.api.url);
    const changes = Array.from({ length: 10 }, () => subscribe(client, webDocument('EventChanged'), { eventId: event.id }));
    await waitUntil(() => t.api.live.subscriberCount(channelOf(eventChangedTopic, event.id)) === 10, 'ten eventChanged subscriptions');
    const update = `mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }`;
    const alone = await countQueries(async () => ok(await t.gql(update, { id: event.id, input: { title: 'Renamed once' } }, organizer.token)));
    const { queries } = await countQueries(async () => {
      const waiting = Promise.all(changes.map((s) => s.waitFor(2)));
      ok(await t.gql(update, { id: event.id, input: { title: 'Renamed twice' } }, organizer.token));
      await waiting;
    });
    // The first update was already pushed while counting `alone`; the second costs the same statements.
    expect(queries.length).toBe(alone.queries.length);
    expect(changes[0].received[1].eventChanged).toMatchObject({ id: event.id, title: 'Renamed twice', status: 'SCHEDULED', venue: { name: 'Café Luna', city: 'Oslo' } });

    const [{ thread }] = await sql(t, `select id as thread from threads where event_id = ?`, [event.id]);
    const post = contractOperation('PostMessage');
    // The thread's first reply starts its notification job, later ones join it (jobs/jobs.ts, enqueueOrAppend): so
    // the messages compared are the second and the third.
    ok(await t.gql(post, { threadId: thread, body: 'First' }, organizer.token));
    const quiet = await countQueries(async () => ok(await t.gql(post, { threadId: thread, body: 'Second' }, organizer.token)));
    const chats = Array.from({ length: 10 }, () => subscribe(client, webDocument('ThreadActivity'), { threadId: thread }));
    await waitUntil(() => t.api.live.subscriberCount(channelOf(threadActivityTopic, thread)) === 10, 'ten threadActivity subscriptions');
    const busy = await countQueries(async () => {
      const waiting = Promise.all(chats.map((s) => s.waitFor(1)));
      ok(await t.gql(post, { threadId: thread, body: 'Third' }, organizer.token));
      await waiting;
    });
    expect(busy.queries.length).toBe(quiet.queries.length);
    expect(chats[0].received[0].threadActivity).toMatchObject({ kind: 'POSTED', message: { body: 'Third', author: { id: organizer.id } }, thread: { id: thread, messageCount: 3 } });
    await client.dispose();
  });
});
