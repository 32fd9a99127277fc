import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation } from '../../test/events.js';
import { expectError, ok, PASSWORD, signUp, sql } from '../../test/factories.js';
import { startSmtp, type TestSmtp } from '../../test/smtp.js';
import { queueSettled } from '../notification/notification.testkit.js';

// Account basics on email: reset by a single-use token that expires in an hour, change with the current password;
// both end every other session.

let t: TestApi;
let limited: TestApi;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApi({ SMTP_URL: smtp.url, JOBS_POLL_MS: 200, PUBLIC_URL: 'http://web.gather.test' });
  // In-process limits: with Redis the counter of this address would be shared with the other API of this file.
  limited = await startTestApi({ RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS: { points: 2, seconds: 3600 }, REDIS_URL: undefined });
});
afterAll(async () => {
  await t?.close();
  await limited?.close();
  await smtp?.close();
});

const REQUEST = contractOperation('RequestPasswordReset');
const RESET = contractOperation('ResetPassword');
const CHANGE = contractOperation('ChangePassword');
const ME = 'query { me { id } }';
const LOG_IN = 'mutation ($input: LogInInput!) { logIn(input: $input) { token } }';
const logIn = (email: string, password: string) => t.gql(LOG_IN, { input: { email, password } });

async function resetToken(email: string, count = 1): Promise<string> {
  const mails = await smtp.waitFor(email, count);
  const link = /http:\/\/web\.gather\.test\/reset\?token=([A-Za-z0-9_-]+)/.exec(mails[count - 1].text);
  expect(link).not.toBeNull();
  return link![1];
}

describe('password reset', () => {
  it('answers true for any address, emails a link only to an account, and the link works once', async () => {
    const ann = await signUp(t, 'Ann');
    const otherDevice = ok(await logIn(ann.email, PASSWORD)).logIn.token;
    expect(ok(await t.gql(REQUEST, { email: 'nobody.here@example.test' })).requestPasswordReset).toBe(true);
    expect(ok(await t.gql(REQUEST, { email: ann.email.toUpperCase() })).requestPasswordReset).toBe(true);
    const token = await resetToken(ann.email);
    await queueSettled(t);
    expect(smtp.to('nobody.here@example.test')).toEqual([]);
    const [stored] = await sql(t, 'select token_hash from password_resets r join users u on u.id = r.user_id where u.id = ?', [ann.id]);
    expect(stored.token_hash).not.toContain(token); // only its hash is kept

    expectError(await t.gql(RESET, { token, password: 'short' }), 'BAD_USER_INPUT', 'password');
    const reset = ok(await t.gql(RESET, { token, password: 'a brand new secret' })).resetPassword;
    expect(reset.user).toMatchObject({ id: ann.id, name: 'Ann' });
    expect(ok(await t.gql(ME, {}, reset.token)).me.id).toBe(ann.id);
    // Every earlier session has ended; the old password no longer works, the new one does.
    for (const old of [ann.token, otherDevice]) expectError(await t.gql(ME, {}, old), 'UNAUTHENTICATED');
    expectError(await logIn(ann.email, PASSWORD), 'UNAUTHENTICATED');
    ok(await logIn(ann.email, 'a brand new secret'));
    expectError(await t.gql(RESET, { token, password: 'yet another secret' }), 'BAD_USER_INPUT', 'token');
  });

  it('refuses an expired token, an unknown one, and a second link once one was used', async () => {
    const bob = await signUp(t, 'Bob');
    ok(await t.gql(REQUEST, { email: bob.email }));
    const first = await resetToken(bob.email, 1);
    ok(await t.gql(REQUEST, { email: bob.email }));
    const second = await resetToken(bob.email, 2);
    await sql(t, `update password_resets set expires_at = now() - interval '1 second' where user_id = ? and created_at = (select min(created_at) from password_resets where user_id = ?)`, [bob.id, bob.id]);
    expectError(await t.gql(RESET, { token: first, password: 'a brand new secret' }), 'BAD_USER_INPUT', 'token');
    expectError(await t.gql(RESET, { token: 'made-up', password: 'a brand new secret' }), 'BAD_USER_INPUT', 'token');
    ok(await t.gql(RESET, { token: second, password: 'a brand new secret' }));
    ok(await t.gql(REQUEST, { email: bob.email }));
    const third = await resetToken(bob.email, 3);
    await sql(t, 'update password_resets set used_at = now() where user_id = ? and token_hash is not null and used_at is null', [bob.id]); // (as a use would)
    expectError(await t.gql(RESET, { token: third, password: 'a brand new secret' }), 'BAD_USER_INPUT', 'token');
  });

  it('is rate-limited per address, with the same answer for known and unknown addresses', async () => {
    const cat = await signUp(limited, 'Cat');
    expect(ok(await limited.gql(REQUEST, { email: cat.email })).requestPasswordReset).toBe(true);
    expect(ok(await limited.gql(REQUEST, { email: 'nobody@example.test' })).requestPasswordReset).toBe(true);
    expectError(await limited.gql(REQUEST, { email: cat.email }), 'RATE_LIMITED');
    expectError(await limited.gql(REQUEST, { email: 'nobody@example.test' }), 'RATE_LIMITED');
  });
});

describe('change password', () => {
  it('needs the current password and ends every other session, keeping this one', async () => {
    const dan = await signUp(t, 'Dan');
    const laptop = ok(await logIn(dan.email, PASSWORD)).logIn.token;
    expectError(await t.gql(CHANGE, { current: 'wrong password', password: 'a brand new secret' }, dan.token), 'BAD_USER_INPUT', 'current');
    expectError(await t.gql(CHANGE, { current: PASSWORD, password: 'short' }, dan.token), 'BAD_USER_INPUT', 'password');
    expectError(await t.gql(CHANGE, { current: PASSWORD, password: 'a brand new secret' }), 'UNAUTHENTICATED');
    ok(await t.gql(ME, {}, laptop));
    expect(ok(await t.gql(CHANGE, { current: PASSWORD, password: 'a brand new secret' }, dan.token)).changePassword).toBe(true);
    expect(ok(await t.gql(ME, {}, dan.token)).me.id).toBe(dan.id);
    expectError(await t.gql(ME, {}, laptop), 'UNAUTHENTICATED');
    expectError(await logIn(dan.email, PASSWORD), 'UNAUTHENTICATED');
    ok(await logIn(dan.email, 'a brand new secret'));
  });
});
