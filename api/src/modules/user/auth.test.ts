import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueEmail, type TestApi } from '../../test/api.js';
import { createGroup, expectError, joinGroup, ok, PASSWORD, signUp, sql } from '../../test/factories.js';

const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token user { id name city email } } }`;
const LOG_IN = `mutation LogIn($input: LogInInput!) { logIn(input: $input) { token user { id name email } } }`;
const LOG_OUT = `mutation { logOut }`;
const ME = `query { me { id name email city bio location { lat lng } } }`;
const UPDATE_PROFILE = `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id name bio city location { lat lng } } }`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

/** Posts an operation with headers of our own (cookies), as a browser would. */
async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(t.api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] }, setCookies: res.headers.getSetCookie() };
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

describe('sign-up', () => {
  it('creates an account, signs it in and shows the owner their email', async () => {
    const email = uniqueEmail('ada');
    const up = ok(await t.gql(SIGN_UP, { input: { email, password: PASSWORD, name: 'Ada', city: 'Oslo' } }));
    expect(up.signUp.user).toMatchObject({ name: 'Ada', city: 'Oslo', email });
    expect(up.signUp.token).toMatch(/^[\w-]{40,}$/);
    const me = ok(await t.gql(ME, {}, up.signUp.token));
    expect(me.me).toMatchObject({ id: up.signUp.user.id, name: 'Ada', email, city: 'Oslo', bio: '', location: null });
  });

  it('refuses an email that exists in another case, naming input.email, and writes nothing', async () => {
    const email = uniqueEmail('grace');
    ok(await t.gql(SIGN_UP, { input: { email, password: PASSWORD, name: 'Grace' } }));
    const again = await t.gql(SIGN_UP, { input: { email: email.toUpperCase(), password: PASSWORD, name: 'Impostor' } });
    expectError(again, 'BAD_USER_INPUT', 'input.email');
    const rows = await sql(t, 'select name from users where lower(email) = ?', [email.toLowerCase()]);
    expect(rows).toEqual([{ name: 'Grace' }]);
  });

  it('lets only one of several simultaneous sign-ups with one email through, and never fails with a 500', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      ['', '', 'upper'].map((kind) => t.gql(SIGN_UP, { input: { email: kind ? email.toUpperCase() : email, password: PASSWORD, name: 'Racer' } })),
    );
    expect(results.filter((res) => !res.errors)).toHaveLength(1);
    for (const res of results.filter((r) => r.errors)) expectError(res, 'BAD_USER_INPUT', 'input.email');
    expect(await sql(t, 'select id from users where lower(email) = ?', [email.toLowerCase()])).toHaveLength(1);
  });

  it('refuses a malformed email and a short password, naming the field', async () => {
    const badEmail = await t.gql(SIGN_UP, { input: { email: 'not-an-email', password: PASSWORD, name: 'X' } });
    expectError(badEmail, 'BAD_USER_INPUT', 'input.email');
    const email = uniqueEmail('short');
    const shortPassword = await t.gql(SIGN_UP, { input: { email, password: 'seven77', name: 'X' } });
    expectError(shortPassword, 'BAD_USER_INPUT', 'input.password');
    expect(await sql(t, 'select id from users where email = ?', [email])).toEqual([]);
  });

  it('stores the password as an scrypt hash, never the password itself', async () => {
    const user = await signUp(t, 'Hashed');
    const [row] = await sql(t, 'select password_hash from users where id = ?', [user.id]);
    expect(row.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });
});

describe('log-in and log-out', () => {
  it('logs in with the email in any case and gives a new working token', async () => {
    const user = await signUp(t, 'Linus');
    const res = ok(await t.gql(LOG_IN, { input: { email: user.email.toUpperCase(), password: PASSWORD } }));
    expect(res.logIn.user).toMatchObject({ id: user.id, email: user.email });
    expect(res.logIn.token).not.toBe(user.token);
    expect(ok(await t.gql(ME, {}, res.logIn.token)).me.id).toBe(user.id);
  });

  it('answers a wrong password and an unknown email with the same UNAUTHENTICATED error', async () => {
    const user = await signUp(t, 'Mallory');
    const wrong = await t.gql(LOG_IN, { input: { email: user.email, password: 'wrong password' } });
    const unknown = await t.gql(LOG_IN, { input: { email: uniqueEmail('nobody'), password: PASSWORD } });
    const a = expectError(wrong, 'UNAUTHENTICATED');
    const b = expectError(unknown, 'UNAUTHENTICATED');
    expect(a.message).toBe(b.message);
    expect(wrong.data).toBeNull();
  });

  it('ends the session: the token is refused afterwards and the cookie is cleared', async () => {
    const user = await signUp(t, 'Leaver');
    expect(ok(await t.gql(LOG_OUT, {}, user.token)).logOut).toBe(true);
    const after = await t.gql(ME, {}, user.token);
    expect(after.status).toBe(401);
    expectError(after, 'UNAUTHENTICATED');
    expect(await sql(t, 'select id from sessions where user_id = ?', [user.id])).toEqual([]);
  });

  it('logs out a browser: the cookie is cleared and the old cookie reads me as null', async () => {
    const user = await signUp(t, 'Browser');
    const cookie = { cookie: `gather_session=${user.token}` };
    const out = await post(LOG_OUT, {}, cookie);
    expect(out.body.data).toEqual({ logOut: true });
    expect(out.setCookies.some((c) => /^gather_session=;/.test(c) && /Expires=Thu, 01 Jan 1970/i.test(c))).toBe(true);
    const me = await post(ME, {}, cookie);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ data: { me: null } });
  });

  it('answers logOut with false for nobody signed in', async () => {
    expect(ok(await t.gql(LOG_OUT, {})).logOut).toBe(false);
  });
});

describe('sessions', () => {
  it('refuses an unknown bearer token with 401 UNAUTHENTICATED', async () => {
    const res = await t.gql(ME, {}, 'no-such-token');
    expect(res.status).toBe(401);
    expectError(res, 'UNAUTHENTICATED');
  });

  it('refuses an expired bearer token with 401 UNAUTHENTICATED', async () => {
    const user = await signUp(t, 'Expired');
    await sql(t, `update sessions set expires_at = now() - interval '1 minute' where user_id = ?`, [user.id]);
    const res = await t.gql(ME, {}, user.token);
    expect(res.status).toBe(401);
    expectError(res, 'UNAUTHENTICATED');
  });

  it('sets an HttpOnly SameSite=Lax cookie that alone signs the browser in', async () => {
    const email = uniqueEmail('cookie');
    const up = await post(SIGN_UP, { input: { email, password: PASSWORD, name: 'Cookie' } });
    const token: string = up.body.data.signUp.token;
    const cookie = up.setCookies.find((c) => c.startsWith('gather_session='))!;
    expect(cookie).toBeDefined();
    expect(cookie).toContain(`gather_session=${token};`);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Secure/i); // plain HTTP here; Secure only behind TLS
    const me = await post(ME, {}, { cookie: cookie.split(';')[0] });
    expect(me.body.data.me).toMatchObject({ email, name: 'Cookie' });
  });

  it('stores only the SHA-256 of each token, never the token', async () => {
    const user = await signUp(t, 'Stored');
    const rows = await sql(t, 'select token_hash, expires_at from sessions where user_id = ?', [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(sha256(user.token));
    const leaked = await sql(t, `select count(*)::int as n from sessions s where s::text like ?`, [`%${user.token}%`]);
    expect(leaked[0].n).toBe(0);
    const days = (new Date(rows[0].expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(t.config.SESSION_TTL_DAYS - 1);
    expect(days).toBeLessThanOrEqual(t.config.SESSION_TTL_DAYS);
  });
});

describe('profile', () => {
  it('updates the signed-in person\'s own profile, leaving omitted fields alone', async () => {
    const user = await signUp(t, 'Profiled');
    const input = { name: 'Profiled Again', bio: 'Walks a lot.', city: 'Bergen', location: { lat: 60.39, lng: 5.32 } };
    const res = ok(await t.gql(UPDATE_PROFILE, { input }, user.token));
    expect(res.updateProfile).toEqual({ id: user.id, ...input });
    const bioOnly = ok(await t.gql(UPDATE_PROFILE, { input: { bio: 'Runs too.' } }, user.token));
    expect(bioOnly.updateProfile).toMatchObject({ name: 'Profiled Again', bio: 'Runs too.', city: 'Bergen' });
    const [row] = await sql(t, 'select name, bio, city, lat, lng from users where id = ?', [user.id]);
    expect(row).toEqual({ name: 'Profiled Again', bio: 'Runs too.', city: 'Bergen', lat: 60.39, lng: 5.32 });
  });

  it('refuses anonymous profile changes and bad values', async () => {
    expectError(await t.gql(UPDATE_PROFILE, { input: { name: 'Ghost' } }), 'UNAUTHENTICATED');
    const user = await signUp(t, 'Valid');
    expectError(await t.gql(UPDATE_PROFILE, { input: { name: '' } }, user.token), 'BAD_USER_INPUT', 'input.name');
    const farAway = { location: { lat: 91, lng: 0 } };
    expectError(await t.gql(UPDATE_PROFILE, { input: farAway }, user.token), 'BAD_USER_INPUT', 'input.location.lat');
  });

  it('never shows another person\'s email, but shows one\'s own', async () => {
    const organizer = await signUp(t, 'Owner');
    const member = await signUp(t, 'Other');
    const group = await createGroup(t, organizer.token);
    await joinGroup(t, member.token, group.id);
    const MEMBERS = `query ($slug: String!) { group(slug: $slug) { members(first: 10) { edges { node { user { id email } } } } } }`;
    const emailsSeenBy = async (token?: string) => {
      const data = ok(await t.gql(MEMBERS, { slug: group.slug }, token));
      return Object.fromEntries(data.group.members.edges.map((e: any) => [e.node.user.id, e.node.user.email]));
    };
    expect(await emailsSeenBy(member.token)).toEqual({ [organizer.id]: null, [member.id]: member.email });
    expect(await emailsSeenBy(organizer.token)).toEqual({ [organizer.id]: organizer.email, [member.id]: null });
    expect(await emailsSeenBy()).toEqual({ [organizer.id]: null, [member.id]: null });
  });
});
