import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../config.js';
import { startApi, type RunningApi } from '../server/app.js';
import { startTestApi, uniqueEmail, type GqlResult, type TestApi } from '../test/api.js';
import { apiAt } from '../test/api-process.js';
import { contractOperation, eventWithOrganizer } from '../test/events.js';
import { addMember, expectError, ok, PASSWORD, signUp, sql, type TestUser } from '../test/factories.js';
import { requireOrSkip } from '../test/require.js';
import { rateLimited, waitFor } from './rate-limit.js';

/** Low limits, so each can be hit in a few requests. Behind a "trusted proxy", each test claims its own address. */
const LIMITS: Partial<Config> = {
  // Two trusted hops (this test's socket, then the proxy 192.0.2.1 `from` lists last): the made-up address before them is the client.
  TRUST_PROXY: 2,
  RATE_LIMIT_LOGIN_PER_ACCOUNT: { points: 3, seconds: 900 },
  RATE_LIMIT_LOGIN_PER_ADDRESS: { points: 5, seconds: 900 },
  RATE_LIMIT_SIGNUP_PER_ADDRESS: { points: 3, seconds: 3600 },
  RATE_LIMIT_MESSAGES_PER_USER: { points: 3, seconds: 60 },
  RATE_LIMIT_RSVPS_PER_USER: { points: 3, seconds: 60 },
};

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }`;
const LOG_IN = contractOperation('LogIn');
const POST = contractOperation('PostMessage');
const RSVP = `mutation ($eventId: ID!, $response: RsvpResponse!) { rsvp(eventId: $eventId, response: $response) { id status } }`;

/** A made-up client address, new for each caller (X-Forwarded-For, trusted with TRUST_PROXY). */
const newAddress = () => `10.${[...randomBytes(3)].join('.')}`;

/** An operation sent from `address` (X-Forwarded-For), as `token`'s user when given. */
async function from(t: TestApi, address: string | null, query: string, variables: Record<string, unknown>, token?: string): Promise<GqlResult> {
  const res = await fetch(t.api.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(address ? { 'x-forwarded-for': `${address}, 192.0.2.1` } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { ...(await res.json()), status: res.status, headers: res.headers };
}
const logIn = (t: TestApi, address: string, email: string, password = PASSWORD) => from(t, address, LOG_IN, { input: { email, password } });
const signUpFrom = (t: TestApi, address: string | null, email = uniqueEmail()) =>
  from(t, address, SIGN_UP, { input: { email, password: PASSWORD, name: 'Rate' } });

/** Asserts RATE_LIMITED with a retry time within `windowSeconds` that the message repeats; returns it. */
function expectRateLimited(res: GqlResult, refusal: string, windowSeconds: number): number {
  const error = expectError(res, 'RATE_LIMITED');
  const retry = error.extensions!.retryAfterSeconds as number;
  expect(retry).toBeGreaterThan(0);
  expect(retry).toBeLessThanOrEqual(windowSeconds);
  expect(error.message).toBe(`${refusal}: try again in ${waitFor(retry)}.`);
  return retry;
}

// `t` sends each operation from a new address, so the factories' sign-ups stay under the per-address limit.
let t: TestApi;
beforeAll(async () => {
  const started = await startTestApi(LIMITS);
  t = { ...started, gql: ((query, variables = {}, token) => from(started, newAddress(), query, variables, token ?? undefined)) as TestApi['gql'] };
});
afterAll(() => t?.close());

describe('failed log-ins', () => {
  it('are limited per account across addresses (the slower ceiling): the 4th attempt is refused, even with the right password', async () => {
    const user = await signUp(t, 'Target');
    for (let i = 0; i < 3; i++) expectError(await logIn(t, newAddress(), user.email, 'wrong password'), 'UNAUTHENTICATED');
    const retry = expectRateLimited(await logIn(t, newAddress(), user.email), 'Too many failed log-ins for this account', 900);
    expect(retry).toBeGreaterThan(800);
    expect(ok(await logIn(t, newAddress(), (await signUp(t, 'Other')).email)).logIn.token).toBeTruthy();
  });

  it('are limited per address, across accounts; other addresses carry on', async () => {
    const address = newAddress();
    const users = await Promise.all(Array.from({ length: 6 }, () => signUp(t, 'Sprayed')));
    for (const user of users.slice(0, 5)) expectError(await logIn(t, address, user.email, 'wrong password'), 'UNAUTHENTICATED');
    expectRateLimited(await logIn(t, address, users[5].email), 'Too many failed log-ins from your address', 900);
    expect(ok(await logIn(t, newAddress(), users[5].email)).logIn.token).toBeTruthy();
  });
});

describe('sign-ups', () => {
  it('are limited per address: the 4th in an hour is refused and creates no account', async () => {
    const address = newAddress();
    for (let i = 0; i < 3; i++) ok(await signUpFrom(t, address));
    const email = uniqueEmail('refused');
    expectRateLimited(await signUpFrom(t, address, email), 'Too many sign-ups from your address', 3600);
    expect(await sql(t, 'select id from users where email = ?', [email])).toEqual([]);
    ok(await signUpFrom(t, newAddress(), email));
  });
});

describe('message posts', () => {
  it('are limited per user: the 4th post in a minute is refused and not stored; others still post', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t);
    const threadId: string = ok(await t.gql(`query ($id: ID!) { event(id: $id) { thread { id } } }`, { id: event.id }, organizer.token)).event.thread.id;
    const member: TestUser = await addMember(t, organizer.token, group.id);
    for (let i = 0; i < 3; i++) ok(await from(t, null, POST, { threadId, body: `post ${i}` }, member.token));
    expectRateLimited(await from(t, null, POST, { threadId, body: 'one too many' }, member.token), 'You are posting messages too fast', 60);
    const [{ count }] = await sql(t, 'select count(*)::int as count from messages where thread_id = ? and author_id = ?', [threadId, member.id]);
    expect(count).toBe(3);
    const [{ messageCount }] = await sql(t, 'select message_count as "messageCount" from threads where id = ?', [threadId]);
    expect(messageCount).toBe(3);
    ok(await from(t, null, POST, { threadId, body: 'my first' }, organizer.token));
  });
});

describe('RSVPs', () => {
  it('are limited per user: the 4th answer in a minute is refused and changes nothing', async () => {
    const { organizer, group, event } = await eventWithOrganizer(t, { capacity: 10 });
    const member = await addMember(t, organizer.token, group.id);
    for (const response of ['YES', 'NO', 'YES']) ok(await from(t, null, RSVP, { eventId: event.id, response }, member.token));
    expectRateLimited(await from(t, null, RSVP, { eventId: event.id, response: 'NO' }, member.token), 'You are changing RSVPs too fast', 60);
    const [row] = await sql(t, 'select status from rsvps where event_id = ? and user_id = ?', [event.id, member.id]);
    expect(row.status).toBe('GOING');
    const [{ goingCount }] = await sql(t, 'select going_count as "goingCount" from events where id = ?', [event.id]);
    expect(goingCount).toBe(1);
  });
});

describe('the RATE_LIMITED error', () => {
  it('says when to retry, rounded up to a whole unit', () => {
    expect(waitFor(1)).toBe('1 second');
    expect(waitFor(59)).toBe('59 seconds');
    expect(waitFor(61)).toBe('2 minutes');
    expect(waitFor(3600)).toBe('1 hour');
    const error = rateLimited('signUpsPerAddress', 1500);
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 2 });
    expect(error.message).toBe('Too many sign-ups from your address: try again in 2 seconds.');
  });
});

describe('without Redis, or with Redis down', () => {
  let down: TestApi;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis call fails, and the in-process limiter answers instead.
    down = await startTestApi({ ...LIMITS, TRUST_PROXY: false, REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => down?.close());

  it('still limits, in-process, and never fails a request because of Redis', async () => {
    expect(down.api.rateLimits.mode).toBe('redis');
    for (let i = 0; i < 3; i++) ok(await signUpFrom(down, null));
    expectRateLimited(await signUpFrom(down, null), 'Too many sign-ups from your address', 3600);
  });

  it('counts by the socket address when no proxy is trusted: a made-up X-Forwarded-For changes nothing', async () => {
    for (let i = 0; i < 5; i++) expectError(await logIn(down, newAddress(), uniqueEmail(), 'wrong password'), 'UNAUTHENTICATED');
    expectRateLimited(await logIn(down, newAddress(), uniqueEmail()), 'Too many failed log-ins from your address', 900);
  });
});

const redis = requireOrSkip(Boolean(process.env.REDIS_URL), 'REDIS_URL is not set: limits shared through Redis are not tested');
redis.describe('with Redis, across API processes', () => {
  let second: RunningApi;
  let other: TestApi;
  beforeAll(async () => {
    second = await startApi(t.config, { db: t.api.db });
    other = apiAt(second.url, t.api.db, t.config, second);
  });
  afterAll(() => second?.close());

  it('share failed log-ins: three on one API lock the account on the other', async () => {
    expect(t.api.rateLimits.mode).toBe('redis');
    const user = await signUp(t, 'Shared');
    expectError(await logIn(t, newAddress(), user.email, 'wrong'), 'UNAUTHENTICATED');
    expectError(await logIn(other, newAddress(), user.email, 'wrong'), 'UNAUTHENTICATED');
    expectError(await logIn(t, newAddress(), user.email, 'wrong'), 'UNAUTHENTICATED');
    expectRateLimited(await logIn(other, newAddress(), user.email), 'Too many failed log-ins for this account', 900);
  });

  it('share sign-ups per address', async () => {
    const address = newAddress();
    ok(await signUpFrom(t, address));
    ok(await signUpFrom(other, address));
    ok(await signUpFrom(t, address));
    expectRateLimited(await signUpFrom(other, address), 'Too many sign-ups from your address', 3600);
  });
});
