import { setFlagsFromString } from 'node:v8';
import { accessTopic } from '../membership/access.live.js';
import { channelOf } from '../../shared/live.js';
import { runInNewContext } from 'node:vm';
import type { Client } from 'graphql-ws';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { waitUntil } from '../../test/api-process.js';
import { bulkMembers, contractOperation, eventWithOrganizer, rsvp } from '../../test/events.js';
import { ok } from '../../test/factories.js';
import { wsClient } from '../../test/ws.js';
import { webDocument } from '../../test/web-documents.js';

const ATTENDANCE = webDocument('EventAttendance');
const THREAD = webDocument('ThreadActivity');
const CREATE_THREAD = contractOperation('CreateThread');

/** Subscribe-then-drop cycles in all. */
const CYCLES = 10_000;
/** Sockets open at a time, and subscriptions each holds at once. */
const SOCKETS = 10;
const PER_SOCKET = 20; // the most one socket may hold
/** About 30 s alone; the embedded database runs in this process, so a busy machine (the whole suite) takes longer. */
const SOAK_TIMEOUT_MS = 150_000;
/** Heap growth allowed after everything is dropped and collected. */
const HEAP_TOLERANCE = 20 * 1024 * 1024;

// The API runs in this process, so its heap is this heap; gc() on demand without a --expose-gc flag.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

/** A graphql-ws client whose raw socket the test can cut (a client that vanishes without saying goodbye). */
function clientWithSocket(url: string) {
  let socket: WebSocket | null = null;
  const client: Client = wsClient(url);
  client.on('connected', (s) => (socket = s as WebSocket));
  return { client, cut: () => socket?.terminate() };
}

describe('soak: 10,000 subscribe-then-drop cycles', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t?.close());

  it('leaves no subscription, listener or socket behind, and the heap where it started', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 1 });
    const thread = ok(await t.gql(CREATE_THREAD, { input: { groupId: group.id, title: 'Soak', body: 'hi' } }, organizer.token)).createThread;
    const [flipper] = await bulkMembers(t, group.id, 1);
    const watching = () => t.api.live.subscriberCount(channelOf(accessTopic, group.id)); // one access guard per live subscription

    let sockets = Array.from({ length: SOCKETS }, () => clientWithSocket(t.api.url));
    let received = 0;
    let socketsGoing = false;
    const errors: string[] = [];
    let flips = 0;
    /** One round: every socket subscribes PER_SOCKET times (events and threads), all are live, then all drop. */
    async function round(n: number) {
      const bySocket = sockets.map(({ client }, s) =>
        Array.from({ length: PER_SOCKET }, (_, i) => {
          const [query, variables] = (s + i) % 2 ? [ATTENDANCE, { eventId: event.id }] : [THREAD, { threadId: thread.id }];
          const error = (e: unknown) => {
            if (!socketsGoing) errors.push(`round ${n}: ${JSON.stringify(e)}`);
          };
          return client.subscribe({ query, variables }, { next: () => received++, error, complete: () => {} });
        }),
      );
      const drops = bySocket.flat();
      await waitUntil(() => watching() === drops.length, `round ${n}: ${drops.length} subscriptions live (have ${watching()})`);
      if (n % 10 === 0) {
        // Some rounds carry an update to every event subscriber before they drop.
        const before = received;
        ok(await rsvp(t, flipper.token, event.id, flips++ % 2 ? 'NO' : 'YES'));
        await waitUntil(() => received - before === drops.length / 2, `round ${n}: the update to reach every subscriber`);
      }
      if (n % 7 === 3) {
        // Some sockets go away with their subscriptions live: one closes, one is cut without a close frame.
        socketsGoing = true;
        await sockets[0].client.dispose();
        sockets[1].cut();
        for (const drop of bySocket.slice(2).flat()) drop();
        sockets = [...sockets.slice(2), clientWithSocket(t.api.url), clientWithSocket(t.api.url)];
      } else {
        for (const drop of drops) drop(); // "complete" for each
      }
      await waitUntil(() => watching() === 0, `round ${n}: every subscription dropped (${watching()} left)`);
      socketsGoing = false;
      return drops.length;
    }

    let cycles = await round(0); // warm-up: code paths compiled, pools and caches filled
    const baseline = await settledHeap();
    for (let n = 1; cycles < CYCLES; n++) cycles += await round(n);
    await Promise.all(sockets.map(({ client }) => client.dispose()));

    expect(cycles).toBeGreaterThanOrEqual(CYCLES);
    expect(errors).toEqual([]);
    await waitUntil(() => t.api.live.subscriberCount() === 0, 'no live listener at all');
    await waitUntil(() => t.api.openSockets() === 0, `every socket closed (${t.api.openSockets()} open)`);
    const growth = (await settledHeap()) - baseline;
    expect(growth, `heap grew by ${(growth / 1024 / 1024).toFixed(1)} MB`).toBeLessThan(HEAP_TOLERANCE);
  }, SOAK_TIMEOUT_MS);
});
