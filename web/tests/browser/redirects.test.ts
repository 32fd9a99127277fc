import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HOSTILE_NEXT, SAME_SITE_NEXT, staysOnSite } from '../redirect-cases';
import { Api, unique } from './api';
import { launchBrowser, requireStack, skipBrowserTests } from './helpers';

/**
 * `next` after log-in and sign-up, attacked (docs/ARCHITECTURE.md, web security): real form posts to
 * the built web server, each answered 303 with a Location on this site (never 500, never off-site),
 * and the same links followed in Chromium.
 */
describe.skipIf(skipBrowserTests())('where log-in and sign-up send people', () => {
	let api: Api;
	let webUrl: string;
	let person: Awaited<ReturnType<Api['person']>>;
	let browser: Browser;

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		webUrl = stack.webUrl;
		api = new Api(stack.apiUrl);
		person = await api.person('Rita Redirect');
		browser = await launchBrowser();
	});
	afterAll(() => browser?.close());

	/** A form post as a browser sends it (same-origin, so SvelteKit's CSRF check lets it through). */
	const post = (path: string, fields: Record<string, string>, cookie?: string) =>
		fetch(`${webUrl}${path}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: webUrl,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				...(cookie ? { cookie } : {})
			},
			body: new URLSearchParams(fields)
		});

	const cases: Array<[string, string, string]> = [
		...HOSTILE_NEXT.map((v): [string, string, string] => [JSON.stringify(v), v, '/']),
		...SAME_SITE_NEXT.map(([v, want]): [string, string, string] => [JSON.stringify(v), v, want])
	];

	it.each(cases)('log-in with next=%s lands on this site', async (_, next, want) => {
		const res = await post('/login', { email: person.email, password: person.password, next });
		expect(res.status).toBe(303);
		const location = res.headers.get('location')!;
		expect(location).toBe(want);
		expect(staysOnSite(location, webUrl)).toBe(true);
	});

	it.each(cases)('sign-up with next=%s lands on this site', async (_, next, want) => {
		const email = `${unique('r')}@example.test`;
		const res = await post('/signup', { name: 'Sid Signup', email, password: 'correct horse battery', next });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(want);
	});

	it.each(cases)('an already signed-in visit to /login?next=%s goes back on this site', async (_, next, want) => {
		for (const page of ['/login', '/signup']) {
			const res = await fetch(`${webUrl}${page}?next=${encodeURIComponent(next)}`, {
				redirect: 'manual',
				headers: { cookie: `gather_session=${person.token}` }
			});
			expect(res.status, page).toBe(303);
			expect(res.headers.get('location'), page).toBe(want);
		}
	});

	it('keeps the log-in page working (never 500) for a signed-out visit with any next', async () => {
		for (const next of HOSTILE_NEXT) {
			const res = await fetch(`${webUrl}/login?next=${encodeURIComponent(next)}`, { redirect: 'manual' });
			expect(res.status, JSON.stringify(next)).toBe(200);
			const html = await res.text();
			expect(html).toContain('name="next" value="/"');
		}
	});

	it('sends a person who logs in from a hostile link to this site in Chromium', async () => {
		const page = await browser.newPage();
		const leaks: string[] = [];
		page.on('request', (r) => {
			if (!r.url().startsWith(webUrl) && !r.url().startsWith('data:')) leaks.push(r.url());
		});
		// The query strings as an attacker writes them in a shared link.
		for (const query of ['/%09/evil.example.com', '/%0d%0a/evil.example.com', '/%5Cevil.example.com', '%2F%2Fevil.example.com', '/%09%5C/evil.example.com', '%5C%5Cevil.example.com']) {
			await page.goto(`${webUrl}/login?next=${query}`);
			await page.getByLabel('Email').fill(person.email);
			await page.getByLabel('Password').fill(person.password);
			await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: 'Log in' }).click()]);
			expect(new URL(page.url()).origin, query).toBe(new URL(webUrl).origin);
			await page.context().clearCookies();
		}
		expect(leaks).toEqual([]);
		await page.close();
	});
});
