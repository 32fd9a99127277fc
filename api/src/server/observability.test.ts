import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './app.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { waitUntil } from '../test/api-process.js';
import { contractOperation, eventWithOrganizer, rsvp } from '../test/events.js';
import { addMember, expectError, ok, PASSWORD } from '../test/factories.js';
import { captureLogs } from '../test/log-capture.js';
import { requireOrSkip } from '../test/require.js';
import { subscribe, wsClient } from '../test/ws.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const ATTENDANCE = contractOperation('EventAttendance');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const logs = captureLogs();
let t: TestApi;
beforeAll(async () => {
  // No job queue work: notifications would add their own live deliveries to the counts read here.
  t = await startTestApi({ LOG_LEVEL: 'info', METRICS_TOKEN, JOBS_WORK: false }, { logDestination: logs.stream });
});
afterAll(() => t?.close());

/** The API's /metrics text (with the token). */
async function scrape(api: { port: number } = t.api): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${api.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one series (`name{labels}` exactly as exposed), or undefined. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const post = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(t.api.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });

describe('/metrics', () => {
  it('needs the METRICS_TOKEN when one is set', async () => {
    const base = `http://127.0.0.1:${t.api.port}/metrics`;
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(base, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('counts and times operations by name and outcome, over HTTP and WebSocket', async () => {
    const before = await scrape();
    const topics = 'Topics';
    ok(await t.gql(contractOperation(topics)));
    ok(await t.gql(contractOperation(topics)));
    expectError(await t.gql(contractOperation('LogIn'), { input: { email: 'nobody@example.test', password: PASSWORD } }), 'UNAUTHENTICATED');
    expectError(await t.gql(`query Broken { nope }`), 'GRAPHQL_VALIDATION_FAILED');
    const client = wsClient(t.api.url);
    await subscribe(client, `query OverWs { topics { id } }`, {}).waitFor(1);
    await client.dispose();

    const after = await scrape();
    const delta = (series: string) => (value(after, series) ?? 0) - (value(before, series) ?? 0);
    expect(delta('gather_graphql_operations_total{operation="Topics",type="query",outcome="ok"}')).toBe(2);
    expect(delta('gather_graphql_operations_total{operation="LogIn",type="mutation",outcome="client_error"}')).toBe(1);
    expect(delta('gather_graphql_operations_total{operation="Broken",type="unknown",outcome="client_error"}')).toBe(1);
    expect(delta('gather_graphql_operations_total{operation="OverWs",type="query",outcome="ok"}')).toBe(1);
    expect(delta('gather_graphql_operation_duration_seconds_count{operation="Topics",type="query"}')).toBe(2);
    expect(value(after, 'gather_graphql_operation_duration_seconds_bucket{le="10",operation="Topics",type="query"}')).toBeGreaterThanOrEqual(2);
    expect(value(after, 'gather_graphql_operation_duration_seconds_sum{operation="Topics",type="query"}')).toBeGreaterThan(0);
  });

  it('shows open WebSockets, running subscriptions, live listeners and pub/sub delivery lag; they fall back when clients leave', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 5 });
    const member = await addMember(t, organizer.token, group.id);
    const lagBefore = value(await scrape(), 'gather_live_delivery_lag_seconds_count{source="local"}') ?? 0;
    const clients = [wsClient(t.api.url, organizer.token), wsClient(t.api.url, organizer.token)];
    const subs = clients.map((client) => subscribe(client, ATTENDANCE, { eventId: event.id }));
    await waitUntil(() => t.api.live.subscriberCount() >= 2, 'two live subscribers');
    ok(await rsvp(t, member.token, event.id, 'YES'));
    await Promise.all(subs.map((s) => s.waitFor(1)));

    const during = await scrape();
    expect(value(during, 'gather_websockets_open')).toBe(2);
    expect(value(during, 'gather_subscriptions_active')).toBe(2);
    expect(value(during, 'gather_live_listeners')).toBe(t.api.live.subscriberCount());
    expect(value(during, 'gather_live_delivery_lag_seconds_count{source="local"}')).toBe(lagBefore + 1);
    expect(value(during, 'gather_graphql_operations_total{operation="EventAttendance",type="subscription",outcome="ok"}')).toBe(2);

    await Promise.all(clients.map((c) => c.dispose()));
    await waitUntil(async () => value(await scrape(), 'gather_websockets_open') === 0, 'sockets closed');
    const after = await scrape();
    expect(value(after, 'gather_subscriptions_active')).toBe(0);
    expect(value(after, 'gather_live_listeners')).toBe(0);
  });

  it('shows the database pool and the process', async () => {
    const text = await scrape();
    const max = value(text, 'gather_db_pool_connections{state="max"}');
    expect(max).toBe(t.api.db.embedded ? 1 : t.config.DB_POOL_MAX);
    for (const state of ['used', 'free', 'pending']) expect(value(text, `gather_db_pool_connections{state="${state}"}`)).toBeGreaterThanOrEqual(0);
    expect(value(text, 'gather_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('logs', () => {
  it('are JSON lines; each carries the request id the caller sent, which comes back in x-request-id', async () => {
    const res = await post(contractOperation('Topics'), {}, { 'x-request-id': 'trace-abc.123' });
    expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
    const line = logs.lines.find((l) => l.requestId === 'trace-abc.123');
    expect(line).toMatchObject({ level: 'info', msg: 'graphql operation', operation: 'Topics', type: 'query', outcome: 'ok', service: 'gather-api' });
    expect(line!.ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(line!.time)).not.toBeNaN();
  });

  it('make up a request id when none (or a strange one) is sent', async () => {
    for (const headers of [{}, { 'x-request-id': 'no spaces allowed' }, { 'x-request-id': 'x'.repeat(200) }] as Array<Record<string, string>>) {
      const res = await post(contractOperation('Topics'), {}, headers);
      const id = res.headers.get('x-request-id')!;
      expect(id).toMatch(UUID);
      expect(logs.lines.filter((l) => l.requestId === id).map((l) => l.msg)).toEqual(['graphql operation']);
    }
  });

  it('give every line of a request its id, refused requests included', async () => {
    const res = await fetch(t.api.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'too-big-1' }, body: '{'.padEnd(200 * 1024, ' ') });
    expect(res.status).toBe(413);
    expect(logs.lines.filter((l) => l.requestId === 'too-big-1')).toMatchObject([{ msg: 'request refused', status: 413, code: 'PAYLOAD_TOO_LARGE' }]);
    const operations = logs.lines.filter((l) => l.msg === 'graphql operation' || l.msg === 'graphql operation failed');
    expect(operations.length).toBeGreaterThan(5);
    for (const line of operations) expect(line.requestId, JSON.stringify(line)).toEqual(expect.any(String));
  });

  it('give WebSocket operations the id of their connection', async () => {
    const client = wsClient(t.api.url, null, { 'x-request-id': 'socket-42' });
    await subscribe(client, `query FromSocket { topics { id } }`, {}).waitFor(1);
    await client.dispose();
    expect(logs.lines.find((l) => l.requestId === 'socket-42')).toMatchObject({ msg: 'graphql operation', operation: 'FromSocket', type: 'query', outcome: 'ok' });
  });
});

const redis = requireOrSkip(Boolean(process.env.REDIS_URL), 'REDIS_URL is not set: pub/sub lag between processes is not measured');
redis.describe('pub/sub delivery lag between processes', () => {
  let second: RunningApi;
  beforeAll(async () => {
    second = await startApi(t.config, { db: t.api.db });
  });
  afterAll(() => second?.close());

  it('is measured where a change published by another process is delivered', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 5 });
    const member = await addMember(t, organizer.token, group.id);
    const before = value(await scrape(second), 'gather_live_delivery_lag_seconds_count{source="redis"}') ?? 0;
    const client = wsClient(second.url, organizer.token);
    const sub = subscribe(client, ATTENDANCE, { eventId: event.id });
    await waitUntil(() => second.live.subscriberCount() >= 1, 'a subscriber on the second process');
    await new Promise((r) => setTimeout(r, 100)); // its Redis SUBSCRIBE goes out asynchronously
    ok(await rsvp(t, member.token, event.id, 'YES'));
    await sub.waitFor(1);
    await client.dispose();
    const text = await scrape(second);
    expect(value(text, 'gather_live_delivery_lag_seconds_count{source="redis"}')).toBe(before + 1);
    expect(value(text, 'gather_live_delivery_lag_seconds_sum{source="redis"}')).toBeLessThan(5);
  });
});
