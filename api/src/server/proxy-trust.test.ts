import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { startTestApi, uniqueEmail, type GqlResult, type TestApi } from '../test/api.js';
import { expectError, PASSWORD } from '../test/factories.js';
import { wsClient } from '../test/ws.js';
import { clientAddress, viaTls } from './proxy-trust.js';

/** A request as node hands it over: from `peer`, with these headers. */
const request = (peer: string, headers: Record<string, string> = {}) =>
  ({ headers, socket: { remoteAddress: peer }, connection: { remoteAddress: peer } }) as unknown as IncomingMessage;

describe('TRUST_PROXY', () => {
  const parse = (value: string) => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value }).TRUST_PROXY;

  it('reads false, a hop count or a list of proxy addresses and ranges', () => {
    expect(parse('false')).toBe(false);
    expect(parse('0')).toBe(false);
    expect(parse('true')).toBe(true);
    expect(parse('2')).toBe(2);
    expect(parse('10.0.0.0/8, 127.0.0.1,::1')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(parse('loopback,uniquelocal')).toEqual(['loopback', 'uniquelocal']);
    expect(loadConfig({ NODE_ENV: 'test' }).TRUST_PROXY).toBe(false);
  });

  it('refuses a malformed address, naming the variable', () => {
    expect(() => parse('10.0.0.300')).toThrow(/TRUST_PROXY/);
    expect(() => parse('proxy.example.com')).toThrow(/TRUST_PROXY/);
    expect(() => parse('10.0.0.1,,')).toThrow(/TRUST_PROXY/);
  });
});

describe('the client address', () => {
  const spoofed = { 'x-forwarded-for': '6.6.6.6' };

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('198.51.100.7', spoofed), false)).toBe('198.51.100.7');
    expect(clientAddress(request('::ffff:198.51.100.7', spoofed), false)).toBe('198.51.100.7');
  });

  it('is the hop a trusted proxy appended, never what the client wrote before it', () => {
    // The browser sent "6.6.6.6"; the web server appended the address it saw.
    const viaWeb = request('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7' });
    expect(clientAddress(viaWeb, 1)).toBe('198.51.100.7');
    expect(clientAddress(viaWeb, true)).toBe('198.51.100.7');
    expect(clientAddress(viaWeb, ['127.0.0.1'])).toBe('198.51.100.7');
    expect(clientAddress(viaWeb, ['loopback'])).toBe('198.51.100.7');
    // Two proxies (a load balancer, then the web server), both listed: the client is before them.
    const twoProxies = request('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.5' });
    expect(clientAddress(twoProxies, ['127.0.0.1', '10.0.0.0/8'])).toBe('198.51.100.7');
    expect(clientAddress(twoProxies, 2)).toBe('198.51.100.7');
  });

  it('ignores X-Forwarded-For from a peer that is not a listed proxy', () => {
    expect(clientAddress(request('198.51.100.7', spoofed), ['10.0.0.0/8'])).toBe('198.51.100.7');
    expect(clientAddress(request('::ffff:198.51.100.7', spoofed), ['127.0.0.1'])).toBe('198.51.100.7');
  });

  it('takes TLS from X-Forwarded-Proto only from a trusted proxy', () => {
    const https = { 'x-forwarded-proto': 'https' };
    expect(viaTls(request('127.0.0.1', https), ['127.0.0.1'])).toBe(true);
    expect(viaTls(request('127.0.0.1', https), 1)).toBe(true);
    expect(viaTls(request('198.51.100.7', https), ['127.0.0.1'])).toBe(false);
    expect(viaTls(request('127.0.0.1', https), false)).toBe(false);
  });
});

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`;
// In-process limits: every test here talks from 127.0.0.1, which a shared Redis counts across test files.
const LIMIT: Partial<Config> = { RATE_LIMIT_SIGNUP_PER_ADDRESS: { points: 3, seconds: 3600 }, REDIS_URL: undefined };

/** A sign-up with these extra headers (each with a new spoofed X-Forwarded-For unless given). */
async function signUp(t: TestApi, headers: Record<string, string>): Promise<GqlResult & { cookie?: string }> {
  const res = await fetch(t.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: SIGN_UP, variables: { input: { email: uniqueEmail(), password: PASSWORD, name: 'Spoofer' } } }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gather_session='));
  return { ...(await res.json()), status: res.status, headers: res.headers, cookie };
}

const spoof = (i: number) => `203.0.113.${i}`;

describe('a spoofed X-Forwarded-For from an untrusted peer', () => {
  // Only a proxy at 192.0.2.10 is trusted; this test talks from 127.0.0.1.
  let listed: TestApi;
  beforeAll(async () => {
    listed = await startTestApi({ ...LIMIT, TRUST_PROXY: ['192.0.2.10'] });
  });
  afterAll(() => listed?.close());

  it('changes nothing: the sign-up limit still hits the real address', async () => {
    for (let i = 1; i <= 3; i++) expect((await signUp(listed, { 'x-forwarded-for': spoof(i) })).errors).toBeUndefined();
    for (let i = 4; i <= 6; i++) expectError(await signUp(listed, { 'x-forwarded-for': spoof(i) }), 'RATE_LIMITED');
  });

  it('changes nothing over a WebSocket either: the upgrade request names the same real address', async () => {
    const client = wsClient(listed.api.url, null, { 'x-forwarded-for': spoof(7) });
    try {
      const result = await new Promise<{ errors?: readonly { extensions?: { code?: unknown } }[] }>((resolve, reject) => {
        let last: { errors?: readonly { extensions?: { code?: unknown } }[] } = {};
        client.subscribe(
          { query: SIGN_UP, variables: { input: { email: uniqueEmail(), password: PASSWORD, name: 'Socket Spoofer' } } },
          { next: (v) => (last = v as typeof last), error: reject, complete: () => resolve(last) },
        );
      });
      expect(result.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await client.dispose();
    }
  });

  it('does not make the cookie Secure or send HSTS by claiming https', async () => {
    const res = await signUp(listed, { 'x-forwarded-proto': 'https', 'x-forwarded-for': spoof(9) });
    expect(res.headers.get('strict-transport-security')).toBeNull();
    if (res.cookie) expect(res.cookie).not.toMatch(/;\s*Secure/i);
  });
});

describe('behind one trusted proxy that appends the address it saw', () => {
  let proxied: TestApi;
  beforeAll(async () => {
    proxied = await startTestApi({ ...LIMIT, TRUST_PROXY: 1 });
  });
  afterAll(() => proxied?.close());

  it("limits by the proxy's entry, whatever the client wrote before it", async () => {
    const real = '198.51.100.7';
    for (let i = 1; i <= 3; i++) expect((await signUp(proxied, { 'x-forwarded-for': `${spoof(i)}, ${real}` })).errors).toBeUndefined();
    for (let i = 4; i <= 6; i++) expectError(await signUp(proxied, { 'x-forwarded-for': `${spoof(i)}, ${real}` }), 'RATE_LIMITED');
    // Another person behind the same proxy is not held back.
    expect((await signUp(proxied, { 'x-forwarded-for': `${spoof(1)}, 198.51.100.8` })).errors).toBeUndefined();
  });
});
