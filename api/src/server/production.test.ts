import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueEmail, type TestApi } from '../test/api.js';
import { expectError, ok, PASSWORD, sql } from '../test/factories.js';
import { captureLogs } from '../test/log-capture.js';
import { wsClient } from '../test/ws.js';
import { formatError } from './format-error.js';

// Two production APIs: `prod` as shipped, `proxied` behind a trusted TLS proxy with introspection enabled by flag.
const logs = captureLogs();
let prod: TestApi;
let proxied: TestApi;
beforeAll(async () => {
  prod = await startTestApi({ NODE_ENV: 'production', LOG_LEVEL: 'info' }, { logDestination: logs.stream });
  proxied = await startTestApi({ NODE_ENV: 'production', TRUST_PROXY: true, ENABLE_INTROSPECTION: true });
});
afterAll(async () => {
  await prod?.close();
  await proxied?.close();
});

/** The first answer to one operation over graphql-ws: its data or its errors. */
async function overWs(t: TestApi, query: string): Promise<{ data?: any; errors: any[] }> {
  const client = wsClient(t.api.url);
  try {
    return await new Promise((resolve) => {
      const result: { data?: any; errors: any[] } = { errors: [] };
      client.subscribe(
        { query },
        {
          next: (v) => Object.assign(result, { data: v.data, errors: v.errors ?? [] }),
          error: (e) => resolve({ errors: Array.isArray(e) ? e : [e] }),
          complete: () => resolve(result),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const INTROSPECTION = `{ __schema { queryType { name } } }`;

describe('introspection', () => {
  it('is refused in production, over HTTP and WebSocket; __typename still answers', async () => {
    const res = await prod.gql(INTROSPECTION);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors![0]).toMatchObject({ message: expect.stringMatching(/introspection has been disabled/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expectError(await prod.gql(`{ __type(name: "User") { name } }`), 'GRAPHQL_VALIDATION_FAILED');
    const ws = await overWs(prod, INTROSPECTION);
    expect(ws.data).toBeUndefined();
    expect(ws.errors[0]).toMatchObject({ message: expect.stringMatching(/introspection has been disabled/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(ok(await prod.gql(`{ __typename }`))).toEqual({ __typename: 'Query' });
  });

  it('is served in production with ENABLE_INTROSPECTION', async () => {
    expect(ok(await proxied.gql(INTROSPECTION)).__schema.queryType.name).toBe('Query');
    expect((await overWs(proxied, INTROSPECTION)).data.__schema.queryType.name).toBe('Query');
  });
});

describe('validation errors give no hints about the schema', () => {
  it('drops "Did you mean" from field, argument and enum errors, over HTTP and WebSocket', async () => {
    const field = expectError(await prod.gql(`{ topcs { id } }`), 'GRAPHQL_VALIDATION_FAILED');
    expect(field.message).toBe('Cannot query field "topcs" on type "Query".');
    const enumValue = await prod.gql(`mutation { rsvp(eventId: "x", response: YSE) { id } }`);
    expect(enumValue.errors![0].message).toBe('Value "YSE" does not exist in "RsvpResponse" enum.');
    const variable = await prod.gql(`mutation ($r: RsvpResponse!) { rsvp(eventId: "x", response: $r) { id } }`, { r: 'YSE' });
    expect(variable.errors![0].message).not.toMatch(/did you mean/i);
    expect(variable.errors![0].message).toMatch(/YSE/);
    const ws = await overWs(prod, `{ topcs { id } }`);
    expect(ws.errors.map((e) => e.message)).toEqual(['Cannot query field "topcs" on type "Query".']);
  });

  it('keeps them outside production (the same error on a development API has the hint)', () => {
    const error = new GraphQLError('Cannot query field "topcs" on type "Query". Did you mean "topics"?', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatError(error.toJSON(), error, () => {}).message).toContain('Did you mean "topics"?');
    expect(formatError(error.toJSON(), error, () => {}, { hideSuggestions: true }).message).toBe('Cannot query field "topcs" on type "Query".');
  });
});

describe('internal errors are masked', () => {
  it('formatError hides the message, stack and SQL of an unexpected error and logs the original', () => {
    const logged: unknown[] = [];
    const cause = Object.assign(new Error('select "t0".* from "topics" as "t0" - relation "topics" does not exist'), { code: '42P01' });
    const error = new GraphQLError(cause.message, { originalError: cause, path: ['topics'] });
    const shaped = formatError({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: cause.stack!.split('\n') } }, error, (e) => logged.push(e));
    expect(shaped).toEqual({ message: 'Internal server error.', path: ['topics'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged).toEqual([cause]);
  });

  it('answers a failing database query with a bare INTERNAL_SERVER_ERROR, and logs the cause with the request id', async () => {
    await sql(prod, 'alter table topics rename to topics_hidden');
    let res: Response;
    try {
      res = await fetch(prod.api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'masked-error-check' },
        body: JSON.stringify({ query: '{ topics { id name } }' }),
      });
    } finally {
      await sql(prod, 'alter table topics_hidden rename to topics');
    }
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ data: null, errors: [{ message: 'Internal server error.', locations: [{ line: 1, column: 3 }], path: ['topics'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    for (const leak of ['topics_hidden', 'relation', 'select', 'stack', '.ts:', '.js:']) expect(text).not.toContain(leak);
    const logged = logs.lines.filter((l) => l.requestId === 'masked-error-check');
    expect(logged.find((l) => l.msg === 'unexpected error')?.err.message).toMatch(/relation "topics" does not exist/);
    expect(logged.find((l) => l.msg === 'graphql operation failed')).toMatchObject({ outcome: 'internal_error', type: 'query' });
    expect(ok(await prod.gql('{ topics { id } }')).topics).toBeInstanceOf(Array);
  });
});

describe('CSRF prevention', () => {
  it('refuses a GET query without a preflight header, and serves it with one', async () => {
    const url = `${prod.api.url}?query=${encodeURIComponent('{ __typename }')}`;
    const bare = await fetch(url);
    expect(bare.status).toBe(400);
    expect(await bare.text()).toMatch(/CSRF/);
    const preflighted = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses simple (form-encoded, text/plain) POSTs that a page on another site could send', async () => {
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'query=mutation%20%7B%20logOut%20%7D'],
      ['text/plain', JSON.stringify({ query: 'mutation { logOut }' })],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\nmutation { logOut }\r\n--x--'],
    ]) {
      const res = await fetch(prod.api.url, { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status, type).toBe(400);
    }
  });
});

describe('session cookies', () => {
  const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`;
  async function signUpCookie(t: TestApi, forwardedProto?: string): Promise<string> {
    const res = await fetch(t.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(forwardedProto ? { 'x-forwarded-proto': forwardedProto } : {}) },
      body: JSON.stringify({ query: SIGN_UP, variables: { input: { email: uniqueEmail(), password: PASSWORD, name: 'Cookie' } } }),
    });
    expect((await res.json()).errors).toBeUndefined();
    return res.headers.getSetCookie().find((c) => c.startsWith('gather_session='))!;
  }

  it('are Secure behind a trusted proxy that says the request came over TLS', async () => {
    const cookie = await signUpCookie(proxied, 'https');
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it('are not Secure over plain HTTP, nor when an untrusted client claims https', async () => {
    expect(await signUpCookie(proxied)).not.toMatch(/Secure/);
    expect(await signUpCookie(prod, 'https')).not.toMatch(/Secure/);
  });
});

describe('security headers', () => {
  it('are on every API response: GraphQL, errors, health', async () => {
    const responses = [
      await fetch(prod.api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      await fetch(prod.api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
      await fetch(prod.api.url.replace(/\/graphql$/, '/healthz')),
    ];
    for (const res of responses) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('add HSTS once the request came over TLS through the trusted proxy', async () => {
    const res = await fetch(proxied.api.url.replace(/\/graphql$/, '/healthz'), { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});
