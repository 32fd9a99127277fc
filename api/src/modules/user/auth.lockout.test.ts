import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../config.js';
import { startTestApi, uniqueEmail, type GqlResult, type TestApi } from '../../test/api.js';
import { contractOperation } from '../../test/events.js';
import { expectError, ok, PASSWORD, signUp } from '../../test/factories.js';

// Failed log-ins are counted per account and address together, per address, and per account with a slower
// ceiling (docs/ARCHITECTURE.md, "Limits"). Each client below really connects from its own loopback address
// (127.x.y.z), so the API sees distinct socket addresses without trusting any forwarded header.

/** The log-in limits as shipped (tests otherwise run with limits too high to hit). */
const shipped = loadConfig({ NODE_ENV: 'production' });
const LIMITS: Partial<Config> = Object.fromEntries(
  Object.entries(shipped).filter(([name]) => name.startsWith('RATE_LIMIT_LOGIN_')),
);
const LOG_IN = contractOperation('LogIn');

let t: TestApi;
beforeAll(async () => {
  // In-process counts: what is tested is how failures are counted. Sharing them through Redis is rate-limit.test.ts's
  // part, and a Redis call slower than its 250 ms budget on a loaded machine would hand the count to the fallback.
  t = await startTestApi({ ...LIMITS, REDIS_URL: undefined });
});
afterAll(() => t?.close());

/** Sends an operation over a connection made from the local address `from` (e.g. 127.0.0.7). */
function gqlFrom(from: string, query: string, variables: Record<string, unknown>): Promise<GqlResult> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(t.api.url, { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ...JSON.parse(Buffer.concat(chunks).toString('utf8')), status: res.statusCode!, headers: new Headers() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
const logIn = (from: string, email: string, password: string) => gqlFrom(from, LOG_IN, { input: { email, password } });

/** A random loopback address (127.0.0.0/8 is all loopback), new for each caller. */
const newAddress = () => `127.${[...randomBytes(3)].map((b) => Math.max(b, 1)).join('.')}`;

describe('failed log-ins', () => {
  it('from one address lock only that address out of the account: the owner logs in from their own', async () => {
    const owner = await signUp(t, 'Owner');
    const attacker = newAddress();
    for (let i = 0; i < 5; i++) expectError(await logIn(attacker, owner.email, `guess ${i}`), 'UNAUTHENTICATED');
    const home = newAddress();
    expect(ok(await logIn(home, owner.email, PASSWORD)).logIn.token).toBeTruthy();
    // Many more, in parallel: all refused without even checking the password, and none counts against the owner.
    const refused = await Promise.all(Array.from({ length: 30 }, (_, i) => logIn(attacker, owner.email, i === 0 ? PASSWORD : `guess ${i}`)));
    for (const res of refused) {
      const error = expectError(res, 'RATE_LIMITED');
      expect(error.message).toMatch(/^Too many failed log-ins for this account from your address: try again in 1[45] minutes\.$/);
      expect(error.extensions!.retryAfterSeconds).toBeGreaterThan(800);
    }
    // The owner's own typos still count for them alone, and a success clears them.
    for (let i = 0; i < 4; i++) expectError(await logIn(home, owner.email, 'typo'), 'UNAUTHENTICATED');
    ok(await logIn(home, owner.email, PASSWORD));
    for (let i = 0; i < 4; i++) expectError(await logIn(home, owner.email, 'typo'), 'UNAUTHENTICATED');
    ok(await logIn(home, owner.email, PASSWORD));
  });

  it('from one address across many accounts are limited per address; other addresses carry on', async () => {
    const sprayer = newAddress();
    for (let i = 0; i < t.config.RATE_LIMIT_LOGIN_PER_ADDRESS.points; i++) expectError(await logIn(sprayer, uniqueEmail(), 'password1'), 'UNAUTHENTICATED');
    const user = await signUp(t, 'Sprayed');
    const error = expectError(await logIn(sprayer, user.email, PASSWORD), 'RATE_LIMITED');
    expect(error.message).toMatch(/^Too many failed log-ins from your address/);
    ok(await logIn(newAddress(), user.email, PASSWORD));
  });

  it('spread over many addresses hit the slower per-account ceiling, which then refuses everyone', async () => {
    const owner = await signUp(t, 'Targeted');
    // Addresses of as many wrong guesses each as their own limit allows (under their own limits), until the ceiling refuses.
    const ceiling = t.config.RATE_LIMIT_LOGIN_PER_ACCOUNT.points;
    const pair = t.config.RATE_LIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS.points;
    const answers: GqlResult[] = [];
    for (const from of Array.from({ length: Math.ceil(ceiling / pair) + 1 }, newAddress)) {
      for (let i = 0; i < pair; i++) answers.push(await logIn(from, owner.email, `guess ${i}`));
    }
    expect(answers.slice(0, ceiling).every((res) => res.errors?.[0].extensions?.code === 'UNAUTHENTICATED')).toBe(true);
    for (const res of answers.slice(ceiling)) expect(expectError(res, 'RATE_LIMITED').message).toMatch(/^Too many failed log-ins for this account: try again in/);
    expect(expectError(await logIn(newAddress(), owner.email, PASSWORD), 'RATE_LIMITED').message).toMatch(/^Too many failed log-ins for this account:/);
  });
});
