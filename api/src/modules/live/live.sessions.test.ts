import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startApi, type RunningApi } from '../../server/app.js';
import { MAX_SUBSCRIPTIONS_PER_SOCKET } from '../../server/ws.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { apiAt, closeAll, waitUntil } from '../../test/api-process.js';
import { eventWithOrganizer, rsvp } from '../../test/events.js';
import { addMember, ok, PASSWORD, signUp, sql, type TestUser } from '../../test/factories.js';
import { hasRedisServer, startPrivateRedis, type PrivateRedis } from '../../test/redis-server.js';
import { subscribe, wsClient } from '../../test/ws.js';
import { webDocument } from '../../test/web-documents.js';
import { revokeSessionsOfUser } from '../user/session.service.js';

// Sessions end sockets (docs/ARCHITECTURE.md, "Live protocol"): whatever ends a session closes every socket it
// authenticated, on every API process, within a second, with graphql-ws's 4401; one socket runs at most 20 subscriptions.

const ATTENDANCE = webDocument('EventAttendance');
const LOG_IN = `mutation ($input: LogInInput!) { logIn(input: $input) { token } }`;

let redis: PrivateRedis | null = null;
let t: TestApi;
/** A second API process on the same database, joined to the first through Redis. */
let second: RunningApi;
let other: TestApi;
const clients: Client[] = [];

beforeAll(async () => {
  redis = process.env.REDIS_URL || !hasRedisServer() ? null : await startPrivateRedis();
  const redisUrl = process.env.REDIS_URL ?? redis?.url;
  t = await startTestApi(redisUrl ? { REDIS_URL: redisUrl } : {});
  // Started second on the same database: session endings through it are announced on its bus, and reach the first
  // process's sockets only through Redis.
  second = await startApi(t.config, { db: t.api.db });
  other = apiAt(second.url, t.api.db, t.config, second);
});
afterAll(() =>
  closeAll(
    () => Promise.all(clients.map((c) => c.dispose())),
    () => second?.close(),
    () => t?.close(),
    () => redis?.close(),
  ),
);

/** A graphql-ws client of `api` that records how its socket closed. */
function client(api: TestApi, token: string | null, headers: Record<string, string> = {}) {
  const c = wsClient(api.api.url, token, headers);
  clients.push(c);
  const seen = { open: false, closeCode: null as number | null, closedAt: 0 };
  c.on('connected', () => (seen.open = true));
  c.on('closed', (event) => {
    seen.closeCode = (event as { code: number }).code;
    seen.closedAt = Date.now();
  });
  return { c, seen };
}

async function logIn(user: TestUser): Promise<string> {
  return ok(await t.gql(LOG_IN, { input: { email: user.email, password: PASSWORD } })).logIn.token;
}

/** A member of a public group's event, watching it on a socket of `api` signed in with `token`. */
async function watching(api: TestApi, eventId: string, token: string, headers: Record<string, string> = {}) {
  const socket = client(api, headers.cookie ? null : token, headers);
  const sub = subscribe(socket.c, ATTENDANCE, { eventId });
  await waitUntil(() => socket.seen.open, 'the socket to open');
  return { ...socket, sub };
}

describe('a session that ends closes its sockets', () => {
  it('logOut over HTTP closes every socket of that session within a second with 4401; other sessions keep theirs', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const user = await addMember(t, organizer.token, group.id);
    const otherSession = await logIn(user);
    const byBearer = await watching(t, event.id, user.token);
    const byCookie = await watching(t, event.id, user.token, { cookie: `gather_session=${user.token}` });
    const kept = await watching(t, event.id, otherSession);
    await waitUntil(async () => {
      ok(await rsvp(t, organizer.token, event.id, 'YES'));
      ok(await rsvp(t, organizer.token, event.id, 'NO'));
      return [byBearer, byCookie, kept].every((w) => w.sub.received.length > 0);
    }, 'all three watching');

    const loggedOutAt = Date.now();
    expect(ok(await t.gql(`mutation { logOut }`, {}, user.token)).logOut).toBe(true);
    await waitUntil(() => byBearer.seen.closeCode !== null && byCookie.seen.closeCode !== null, 'both sockets of the session closed', 1000);
    expect([byBearer.seen.closeCode, byCookie.seen.closeCode]).toEqual([4401, 4401]);
    expect(Math.max(byBearer.seen.closedAt, byCookie.seen.closedAt) - loggedOutAt).toBeLessThan(1000);

    const counts = [byBearer, byCookie].map((w) => w.sub.received.length);
    const keptBefore = kept.sub.received.length;
    ok(await rsvp(t, organizer.token, event.id, 'YES'));
    await kept.sub.waitFor(keptBefore + 1);
    expect([byBearer, byCookie].map((w) => w.sub.received.length)).toEqual(counts);
    expect(kept.seen.closeCode).toBeNull();
  });

  it('logOut over the socket answers true, revokes the session, then closes that socket', async () => {
    const user = await signUp(t, 'Leaver');
    const { c, seen } = client(t, user.token);
    const out = subscribe(c, `mutation { logOut }`, {});
    expect(await out.waitFor(1)).toEqual([{ logOut: true }]);
    await waitUntil(() => seen.closeCode !== null, 'the socket closed', 1000);
    expect(seen.closeCode).toBe(4401);
    const me = await t.gql(`{ me { id } }`, {}, user.token);
    expect(me.status).toBe(401);
    expect(me.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('closes the sockets of a session when it expires', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const user = await addMember(t, organizer.token, group.id);
    await sql(t, `update sessions set expires_at = now() + interval '1500 milliseconds' where user_id = ?`, [user.id]);
    const w = await watching(t, event.id, user.token);
    await waitUntil(() => w.seen.closeCode !== null, 'the socket closed at expiry', 3000);
    expect(w.seen.closeCode).toBe(4401);
  });

  it('ends the other sessions\' sockets on every API process when sessions are revoked (password change), after commit only', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const user = await addMember(t, organizer.token, group.id);
    const current = await logIn(user);
    const onFirst = await watching(t, event.id, user.token); // revoked, on the process that does not announce
    const onSecond = await watching(other, event.id, user.token); // revoked, on the announcing process
    const keptHere = await watching(t, event.id, current); // the session that changed the password stays

    // Revoked inside a transaction that rolls back: the sessions stay, and so do their sockets.
    const em = second.db.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        await revokeSessionsOfUser(tx, user.id, { except: current });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((r) => setTimeout(r, 300));
    expect([onFirst.seen.closeCode, onSecond.seen.closeCode]).toEqual([null, null]);

    const revokedAt = Date.now();
    await em.transactional((tx) => revokeSessionsOfUser(tx, user.id, { except: current }));
    await waitUntil(() => onFirst.seen.closeCode !== null && onSecond.seen.closeCode !== null, 'both processes closed the sockets', 1000);
    expect([onFirst.seen.closeCode, onSecond.seen.closeCode]).toEqual([4401, 4401]);
    expect(Math.max(onFirst.seen.closedAt, onSecond.seen.closedAt) - revokedAt).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 100));
    expect(keptHere.seen.closeCode).toBeNull();
    expect((await t.gql(`{ me { id } }`, {}, user.token)).status).toBe(401);
    expect(ok(await t.gql(`{ me { id } }`, {}, current)).me.id).toBe(user.id);
  });
});

describe('one socket', () => {
  it(`runs at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions: the next is refused, the others go on`, async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const member = await addMember(t, organizer.token, group.id);
    const { c } = client(t, member.token);
    const subs = Array.from({ length: MAX_SUBSCRIPTIONS_PER_SOCKET }, () => subscribe(c, ATTENDANCE, { eventId: event.id }));
    const extra = subscribe(c, ATTENDANCE, { eventId: event.id });
    await waitUntil(() => extra.completed, 'the extra subscription refused');
    expect(JSON.stringify(extra.errors)).toContain('RATE_LIMITED');

    ok(await rsvp(t, member.token, event.id, 'YES'));
    await Promise.all(subs.map((s) => s.waitFor(1)));
    expect(subs.every((s) => !s.completed && s.errors.length === 0)).toBe(true);

    // Completing one makes room for another.
    await subs[0].close();
    const again = subscribe(c, ATTENDANCE, { eventId: event.id });
    ok(await rsvp(t, member.token, event.id, 'NO'));
    await again.waitFor(1);
    expect(again.errors).toEqual([]);
  });
});
