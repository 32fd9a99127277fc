import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import type { GqlResult, TestApi } from '../test/api.js';
import { apiAt, readiness, waitUntil } from '../test/api-process.js';
import { freshDatabase } from '../test/database.js';
import { contractOperation } from '../test/events.js';
import { createGroup, ok, signUp } from '../test/factories.js';
import { startTcpProxy, throughProxy, type TcpProxy } from '../test/tcp-proxy.js';
import { usePreparedStatements } from '../db/read.js';
import { startApi, type RunningApi } from './app.js';

const GROUP_PAGE = contractOperation('GroupPage');
const ME = contractOperation('Me');
const CREATE_GROUP = contractOperation('CreateGroup');

/** What a client must never see in an error: SQL, driver messages, addresses, stacks. */
const LEAKS = /\b(select|insert|update|delete|from|where|returning)\b|"|ECONN|EPIPE|terminated|knex|pg_|127\.0\.0\.1|\bat .*:\d+:\d+/i;

function expectUnavailable(res: GqlResult) {
  expect(res.errors, JSON.stringify(res)).toHaveLength(1);
  const [error] = res.errors!;
  expect(error.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(error.message).toMatch(/database/i);
  expect(error.message).not.toMatch(LEAKS);
  expect(Object.keys(error.extensions ?? {})).toEqual(['code']);
}

// The API talks to its database through a TCP proxy the test controls: cutting it is the database going away.
describe('the database going away and coming back', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let proxy: TcpProxy;
  let db: Database;
  let api: RunningApi;
  let t: TestApi;

  beforeAll(async () => {
    fresh = await freshDatabase();
    const direct = new URL(fresh.url ?? (fresh.db.orm.config.get('clientUrl') as string));
    // The embedded database has one backend: its own pool lets go before the proxied one connects.
    await fresh.db.orm.close(true);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
    const config = { ...fresh.config, DATABASE_URL: throughProxy(direct.toString(), proxy), DB_POOL_MAX: fresh.url ? 4 : 1 };
    db = await openDatabase(config, null);
    // Behind the proxy the embedded database looks like a server, but its one backend outlives each connection and
    // would keep the read layer's named statements across a reconnect: no named statements there, as openDatabase does.
    if (!fresh.url) usePreparedStatements(false);
    api = await startApi(config, { db });
    t = apiAt(api.url, db, config, api);
  });
  afterEach(async () => {
    await proxy.resume(); // a failed test leaves no outage behind for the next
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
    await proxy?.close();
    await fresh?.db.close();
  });

  it('fails fast with SERVICE_UNAVAILABLE (no SQL), /readyz says 503, and recovers without a restart', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token);
    expect((await readiness(api.url)).status).toBe(200);

    await proxy.cut();
    const started = Date.now();
    const anonymous = await t.gql(GROUP_PAGE, { slug: group.slug });
    expectUnavailable(anonymous);
    expect(anonymous.status).toBe(200); // the request itself was fine; the answer says what failed
    const signedIn = await t.gql(ME, {}, organizer.token);
    expectUnavailable(signedIn); // the session could not be checked: not "log in again"
    expect(signedIn.status).toBe(503);
    expectUnavailable(await t.gql(CREATE_GROUP, { input: { name: 'x', description: 'y', city: 'z', location: { lat: 0, lng: 0 }, timezone: 'UTC' } }, organizer.token));
    expect(Date.now() - started).toBeLessThan(10_000);

    const ready = await readiness(api.url);
    expect(ready).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'unreachable' } });
    expect((await fetch(api.url.replace('/graphql', '/healthz'))).status).toBe(200); // alive all the same

    await proxy.resume();
    await waitUntil(async () => (await readiness(api.url)).status === 200, '/readyz to say ready again');
    const page = ok(await t.gql(GROUP_PAGE, { slug: group.slug }));
    expect(page.group).toMatchObject({ id: group.id, memberCount: 1 });
    expect(ok(await t.gql(ME, {}, organizer.token)).me.id).toBe(organizer.id);
    const again = await createGroup(t, organizer.token);
    expect(ok(await t.gql(GROUP_PAGE, { slug: again.slug })).group.id).toBe(again.id);
  });

  it('loses no connection for good when the database goes away mid-traffic', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token);
    // Traffic while the connection drops: each answer is data or SERVICE_UNAVAILABLE, nothing else.
    const traffic = Array.from({ length: 40 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 5));
      const res = await t.gql(GROUP_PAGE, { slug: group.slug }, i % 2 ? organizer.token : null);
      // The connection may drop between two statements of one request: every field that then reads reports it.
      if (res.errors) for (const error of res.errors) expect(error.extensions?.code, JSON.stringify(res)).toBe('SERVICE_UNAVAILABLE');
      else expect(res.data!.group.id).toBe(group.id);
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await proxy.resume();
    await Promise.all(traffic);
    await waitUntil(async () => !(await t.gql(GROUP_PAGE, { slug: group.slug })).errors, 'queries to succeed again');
    // Every pooled connection works again: more parallel requests than the pool holds all succeed.
    const answers = await Promise.all(Array.from({ length: 12 }, () => t.gql(ME, {}, organizer.token)));
    for (const answer of answers) expect(ok(answer).me.id).toBe(organizer.id);
  });
});
