import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Api, unique } from './api';
import { watchAttacks } from './attack-watch';
import { launchBrowser, requireStack, skipBrowserTests } from './helpers';

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string | null): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const part of (csp ?? '').split(';')) {
		const [name, ...values] = part.trim().split(/\s+/);
		if (name) out[name] = values;
	}
	return out;
}

/**
 * Security headers of the built web server (docs/ARCHITECTURE.md, web security): a strict CSP with
 * SvelteKit's nonce on every page, never framed, no sniffing, a careful referrer, geolocation for the
 * site only, HSTS behind TLS; GraphiQL runs a query and a subscription under the same policy.
 */
describe.skipIf(skipBrowserTests())('security headers', () => {
	let browser: Browser;
	let api: Api;
	let webUrl: string;
	let event: { id: string };
	let group: { id: string; slug: string };
	let organizer: Awaited<ReturnType<Api['person']>>;
	let framer: Server;

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		webUrl = stack.webUrl;
		api = new Api(stack.apiUrl);
		organizer = await api.person('Hedda Headers');
		group = await api.group(organizer.token);
		event = await api.event(organizer.token, group.id);
		browser = await launchBrowser();
		// A foreign site (another origin) that frames our event page.
		framer = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end(`<!doctype html><h1>Win a prize</h1><iframe id="victim" src="${webUrl}/events/${event.id}" width="800" height="600"></iframe>`);
		});
		await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => {
		await browser?.close();
		framer?.close();
	});

	const pages = () => ['/', '/login', '/signup', '/graphiql', `/events/${event.id}`, `/groups/${group.slug}`, '/no-such-page'];

	it('are on every page: strict CSP with a fresh nonce, no framing, nosniff, referrer and permissions policies', async () => {
		for (const path of pages()) {
			const res = await fetch(`${webUrl}${path}`);
			const csp = directives(res.headers.get('content-security-policy'));
			expect(csp['script-src'], path).toContain("'self'");
			expect(csp['script-src'].some((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v)), path).toBe(true);
			expect(csp['script-src'], path).not.toContain("'unsafe-inline'");
			expect(csp['script-src'], path).not.toContain("'unsafe-eval'");
			expect(csp['default-src'], path).toEqual(["'self'"]);
			expect(csp['object-src'], path).toEqual(["'none'"]);
			expect(csp['base-uri'], path).toEqual(["'none'"]);
			expect(csp['frame-ancestors'], path).toEqual(["'none'"]);
			expect(csp['connect-src'], path).toEqual(["'self'"]);
			expect(csp['form-action'], path).toEqual(["'self'"]);
			expect(csp['report-uri'], path).toEqual(['/csp-report']);
			expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
			expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
			expect(res.headers.get('x-frame-options'), path).toBe('DENY');
			const permissions = res.headers.get('permissions-policy') ?? '';
			expect(permissions, path).toContain('geolocation=(self)');
			expect(permissions, path).toContain('camera=()');
			expect(permissions, path).toContain('microphone=()');
			// Plain HTTP: no HSTS (a browser would ignore it anyway).
			expect(res.headers.get('strict-transport-security'), path).toBeNull();
			await res.arrayBuffer();
		}
		const [a, b] = await Promise.all([fetch(`${webUrl}/`), fetch(`${webUrl}/`)]);
		expect(a.headers.get('content-security-policy')).not.toBe(b.headers.get('content-security-policy'));
	});

	it('include HSTS when a TLS proxy in front says the page came over https', async () => {
		for (const path of ['/', '/login', '/graphiql']) {
			const res = await fetch(`${webUrl}${path}`, { headers: { 'x-forwarded-proto': 'https' } });
			expect(res.headers.get('strict-transport-security'), path).toBe('max-age=63072000; includeSubDomains');
		}
	});

	it('are on redirects and form failures too', async () => {
		const res = await fetch(`${webUrl}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: webUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: 'nobody@example.test', password: '' })
		});
		expect(res.status).toBeLessThan(500);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		const logout = await fetch(`${webUrl}/logout`, { redirect: 'manual' });
		expect(logout.status).toBe(303);
		expect(logout.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	});

	it('keep a page from rendering inside a foreign site’s frame', async () => {
		const page = await browser.newPage();
		const watch = await watchAttacks(page);
		const { port } = framer.address() as AddressInfo;
		await page.goto(`http://localhost:${port}/`);
		await page.waitForTimeout(1500);
		const frame = page.frames().find((f) => f !== page.mainFrame());
		const rendered = frame
			? await frame.evaluate(() => document.body?.getAttribute('data-sveltekit-preload-data') ?? null).catch(() => null)
			: null;
		expect(rendered).toBeNull();
		expect(watch.consoleViolations.join('\n')).toMatch(/frame-ancestors|X-Frame-Options/);
		await page.close();
	});

	it('let GraphiQL run a query and a subscription with no policy violation', async () => {
		const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
		const page = await context.newPage();
		const watch = await watchAttacks(page);
		await page.addInitScript(() => {
			localStorage.setItem('graphiql:query', 'query Mine { events(first: 3) { totalCount edges { node { id title } } } }');
		});
		await page.goto(`${webUrl}/graphiql`);
		await page.locator('.graphiql-container').waitFor();
		await page.getByRole('button', { name: /Execute query/ }).click();
		const result = page.locator('.result-window');
		await result.getByText('"totalCount"').waitFor({ timeout: 10_000 });

		// Now a subscription over the page's WebSocket, in a fresh explorer.
		const rsvper = await api.person(`Sam Subscriber ${unique('s').slice(-4)}`);
		await api.join(rsvper.token, group.id);
		await page.close();
		const second = await context.newPage();
		const watchSecond = await watchAttacks(second);
		await second.addInitScript((id) => {
			localStorage.setItem('graphiql:query', `subscription Watch { eventAttendance(eventId: "${id}") { version rsvp { user { name } } } }`);
		}, event.id);
		await second.goto(`${webUrl}/graphiql`);
		await second.locator('.graphiql-container').waitFor();
		await second.getByRole('button', { name: /Execute query/ }).click();
		const live = second.locator('.result-window');
		for (let i = 0; i < 20 && !(await live.getByText(rsvper.name).count()); i++) {
			await api.rsvp(rsvper.token, event.id, i % 2 === 0 ? 'YES' : 'NO');
			await second.waitForTimeout(500);
		}
		const shown = await live.getByText(rsvper.name).count();
		expect(await watch.caught()).toEqual([]);
		expect(await watchSecond.caught()).toEqual([]);
		expect(shown, (await live.textContent()) ?? '').toBeGreaterThan(0);
		await context.close();
	});

	it('block an injected inline script and report it to /csp-report', async () => {
		const page = await browser.newPage();
		const watch = await watchAttacks(page);
		await page.goto(`${webUrl}/login`);
		await page.waitForSelector('html[data-hydrated]', { timeout: 15_000 });
		const report = page.waitForRequest((r) => r.url() === `${webUrl}/csp-report` && r.method() === 'POST', { timeout: 10_000 });
		// What an injection would do: add a script element without the page's nonce.
		await page.evaluate(() => {
			const script = document.createElement('script');
			script.textContent = "window.__pwned('inline')";
			document.body.append(script);
		});
		const sent = await report;
		expect(sent.postData()).toContain('script-src');
		expect((await sent.response())?.status()).toBe(204);
		const caught = await watch.caught();
		expect(caught.some((c) => c.startsWith('csp: script-src'))).toBe(true);
		expect(caught.some((c) => c.startsWith('ran:'))).toBe(false);
		await page.close();
	});

	it('let the ordinary pages run without a single policy violation', async () => {
		const page = await browser.newPage();
		const watch = await watchAttacks(page);
		for (const path of pages().filter((p) => p !== '/graphiql')) {
			await page.goto(`${webUrl}${path}`);
			await page.waitForSelector('html[data-hydrated]', { timeout: 15_000 });
			expect(await watch.caught(), path).toEqual([]);
		}
		await page.close();
	});
});
