import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Api } from './api';
import { launchBrowser, logInInBrowser, requireStack, skipBrowserTests } from './helpers';

/**
 * Sessions on the web (docs/ARCHITECTURE.md, web security): log-in and sign-up issue a fresh token and
 * end whatever session the browser held before (no fixation), log-out clears the cookie and ends the
 * session at the api, the cookie is HttpOnly, SameSite=Lax, Path=/ and Secure behind TLS.
 */
describe.skipIf(skipBrowserTests())('web sessions', () => {
	let api: Api;
	let webUrl: string;
	let browser: Browser;

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		webUrl = stack.webUrl;
		api = new Api(stack.apiUrl);
		browser = await launchBrowser();
	});
	afterAll(() => browser?.close());

	/** Who a token signs in, asked of the api with it as the cookie; null once the session is over. */
	async function whoIs(token: string): Promise<string | null> {
		const res = await fetch(`${api.url}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: `gather_session=${token}` },
			body: JSON.stringify({ query: '{ me { name } }' })
		});
		const body = (await res.json()) as { data?: { me: { name: string } | null } };
		return body.data?.me?.name ?? null;
	}

	const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
		fetch(`${webUrl}${path}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: webUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body: new URLSearchParams(fields)
		});

	/** The gather_session Set-Cookie line of a response. */
	const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('gather_session='));
	const tokenOf = (line: string | undefined) => /^gather_session=([^;]*)/.exec(line ?? '')?.[1] ?? '';

	it('log-in issues a fresh token and ends a session an attacker planted before', async () => {
		const attacker = await api.person('Mallory Planted');
		const victim = await api.person('Victor Victim');
		const res = await post('/login', { email: victim.email, password: victim.password, next: '/' }, { cookie: `gather_session=${attacker.token}` });
		expect(res.status).toBe(303);
		const token = tokenOf(sessionCookie(res));
		expect(token).toBeTruthy();
		expect(token).not.toBe(attacker.token);
		expect(token).not.toBe(victim.token);
		expect(await whoIs(token)).toBe('Victor Victim');
		// The planted session is over: whoever planted it holds nothing the victim's log-in touched.
		expect(await whoIs(attacker.token)).toBeNull();
	});

	it('log-in over one’s own old session ends the old one', async () => {
		const person = await api.person('Olga Oldsession');
		const res = await post('/login', { email: person.email, password: person.password }, { cookie: `gather_session=${person.token}` });
		const token = tokenOf(sessionCookie(res));
		expect(token).not.toBe(person.token);
		expect(await whoIs(token)).toBe('Olga Oldsession');
		expect(await whoIs(person.token)).toBeNull();
	});

	it('sign-up over a planted session starts a new one and ends the planted one', async () => {
		const attacker = await api.person('Mallory Again');
		const email = `fresh.${Date.now().toString(36)}@example.test`;
		const res = await post('/signup', { name: 'Nina New', email, password: 'correct horse battery' }, { cookie: `gather_session=${attacker.token}` });
		expect(res.status).toBe(303);
		const token = tokenOf(sessionCookie(res));
		expect(await whoIs(token)).toBe('Nina New');
		expect(await whoIs(attacker.token)).toBeNull();
	});

	it('the cookie is HttpOnly, SameSite=Lax, Path=/, and Secure only behind TLS', async () => {
		const person = await api.person('Cora Cookie');
		const plain = sessionCookie(await post('/login', { email: person.email, password: person.password }))!;
		expect(plain).toMatch(/;\s*HttpOnly/i);
		expect(plain).toMatch(/;\s*SameSite=Lax/i);
		expect(plain).toMatch(/;\s*Path=\/(;|$)/i);
		expect(plain).not.toMatch(/;\s*Secure/i);
		const tls = sessionCookie(await post('/login', { email: person.email, password: person.password }, { 'x-forwarded-proto': 'https', origin: webUrl.replace('http:', 'https:') }))!;
		expect(tls).toMatch(/;\s*Secure/i);
		expect(tls).toMatch(/;\s*HttpOnly/i);
		expect(tls).toMatch(/;\s*SameSite=Lax/i);
	});

	it('log-out clears the cookie and ends the session at the api', async () => {
		const person = await api.person('Lars Logout');
		const login = await post('/login', { email: person.email, password: person.password });
		const token = tokenOf(sessionCookie(login));
		expect(await whoIs(token)).toBe('Lars Logout');
		const res = await post('/logout', {}, { cookie: `gather_session=${token}` });
		expect(res.status).toBe(303);
		const cleared = sessionCookie(res)!;
		expect(tokenOf(cleared)).toBe('');
		expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
		expect(await whoIs(token)).toBeNull();
	});

	it('log-out cannot be forced by another site or by a link', async () => {
		const person = await api.person('Stella Stays');
		expect((await post('/logout', {}, { cookie: `gather_session=${person.token}`, origin: 'http://evil.example' })).status).toBe(403);
		expect((await fetch(`${webUrl}/logout`, { redirect: 'manual', headers: { cookie: `gather_session=${person.token}` } })).status).toBe(303);
		expect(await whoIs(person.token)).toBe('Stella Stays');
	});

	it('in Chromium: a planted cookie is replaced at log-in, and the log-out button ends the session', async () => {
		const context = await browser.newContext();
		const url = new URL(webUrl);
		await context.addCookies([{ name: 'gather_session', value: 'planted-by-attacker', url: webUrl }]);
		const person = await api.person('Bea Browser');
		const page = await context.newPage();
		await logInInBrowser(page, webUrl, person.email, person.password, '/me');
		const cookies = (await context.cookies(webUrl)).filter((c) => c.name === 'gather_session');
		expect(cookies).toHaveLength(1);
		const [cookie] = cookies;
		expect(cookie.value).not.toBe('planted-by-attacker');
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false, domain: url.hostname });
		expect(await page.evaluate(() => document.cookie)).not.toContain('gather_session');
		expect(await whoIs(cookie.value)).toBe('Bea Browser');
		await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: 'Log out' }).click()]);
		expect((await context.cookies(webUrl)).some((c) => c.name === 'gather_session')).toBe(false);
		expect(await whoIs(cookie.value)).toBeNull();
		await context.close();
	});
});
