import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api, unique } from './api';
import { watchAttacks, type AttackWatch } from './attack-watch';
import { horizontalOverflow, launchBrowser, requireStack, signInContext, skipBrowserTests } from './helpers';

/** Script, attribute-breaking and markup payloads; `__pwned` is what they would call if they ran. */
const SHORT = `"'><img src=x onerror=__pwned(1) data-xss><script>__pwned(2)</script>`;
const LONG =
	`${SHORT} <svg onload=__pwned(3) data-xss></svg><iframe src="javascript:__pwned(4)" data-xss></iframe>` +
	`</textarea></title><style>*{display:none!important}</style><a href="javascript:__pwned(5)" data-xss>x</a> ` +
	`[link](javascript:__pwned(6)) {{constructor.constructor('__pwned(7)')()}} \${__pwned(8)} <!-- <b data-xss>`;
/** A field's hostile value, tagged so the page can be searched for it verbatim. */
const short = (tag: string) => `${tag} ${SHORT}`;
const long = (tag: string) => `${tag} ${LONG}`;

/**
 * Every text people type, carrying script, attribute-breaking and markup payloads, shown on every page
 * that renders it in Chromium: shown as text, no script run (no dialog, no CSP violation, no payload
 * call), no element injected, the layout whole (docs/ARCHITECTURE.md, web security).
 */
describe.skipIf(skipBrowserTests())('hostile text on every page', () => {
	let api: Api;
	let webUrl: string;
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	let f: Awaited<ReturnType<typeof plant>>;

	async function plant() {
		const organizer = await api.person(short('ON'));
		await api.gql(`mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`, { input: { bio: long('OB'), city: short('OC') } }, organizer.token);
		const group = await api.group(organizer.token, {
			name: short('GN').slice(0, 80),
			description: long('GD'),
			joinMode: 'APPROVAL',
			joinQuestion: short('GQ')
		});
		const event = await api.event(organizer.token, group.id, {
			title: short('ET'),
			description: long('ED'),
			venue: { name: short('VN'), address: short('VA'), city: short('VC'), location: { lat: 59.91, lng: 10.75 } }
		});
		const member = await api.person(short('MN'));
		const membership = await api.join(member.token, group.id, short('MA'));
		await api.gql(`mutation($id: ID!) { reviewMembership(membershipId: $id, approve: true) { id } }`, { id: membership.id }, organizer.token);
		const pending = await api.person(short('PN'));
		await api.join(pending.token, group.id, long('PA').slice(0, 500));
		await api.rsvp(member.token, event.id, 'YES');
		await api.rsvp(organizer.token, event.id, 'YES');
		await api.post(member.token, event.thread.id, long('CM'));
		const thread = await api.thread(member.token, group.id, short('TT'), long('TB'));
		return { organizer, member, pending, group, event, thread };
	}

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		webUrl = stack.webUrl;
		api = new Api(stack.apiUrl);
		f = await plant();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const c of contexts) await c.close();
		await browser?.close();
	});

	async function pageAs(token: string | null): Promise<{ page: Page; watch: AttackWatch }> {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		contexts.push(context);
		if (token) await signInContext(context, webUrl, token);
		const page = await context.newPage();
		return { page, watch: await watchAttacks(page) };
	}

	/** Opens `path`, waits for hydration, and checks nothing ran, nothing got in, and `texts` show verbatim. */
	async function visit(session: { page: Page; watch: AttackWatch }, path: string, texts: string[], status = 200) {
		const { page, watch } = session;
		const res = await page.goto(`${webUrl}${path}`);
		expect(res?.status(), path).toBe(status);
		await page.waitForSelector('html[data-hydrated]', { timeout: 15_000 });
		for (const text of texts) {
			await page.waitForFunction((t) => document.body.innerText.includes(t), text, { timeout: 10_000 }).catch(() => undefined);
			expect(await page.evaluate((t) => document.body.innerText.includes(t), text), `${path} shows ${text.slice(0, 12)}…`).toBe(true);
		}
		const injected = await page.evaluate(() => ({
			marked: document.querySelectorAll('[data-xss]').length,
			images: document.querySelectorAll('img[src="x"]').length,
			frames: document.querySelectorAll('iframe').length,
			// SvelteKit's own start-up script carries the page data, payloads JSON-escaped; an injected one would be the payload itself.
			scripts: [...document.scripts].filter((s) => /^\s*__pwned/.test(s.textContent ?? '')).length,
			styles: [...document.querySelectorAll('style')].filter((s) => s.textContent?.includes('display:none!important')).length,
			bodyShown: getComputedStyle(document.body).display !== 'none',
			headingShown: !!document.querySelector('h1') && getComputedStyle(document.querySelector('h1')!).display !== 'none'
		}));
		expect(injected, path).toEqual({ marked: 0, images: 0, frames: 0, scripts: 0, styles: 0, bodyShown: true, headingShown: true });
		expect(await horizontalOverflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(1);
		expect(await watch.caught(), path).toEqual([]);
	}

	it('the group page shows names, description, events and threads as text', async () => {
		await visit(await pageAs(null), `/groups/${f.group.slug}`, [short('GN').slice(0, 80), long('GD'), short('ET'), short('TT')]);
		await visit(await pageAs(f.member.token), `/groups/${f.group.slug}`, [short('GN').slice(0, 80), short('TT')]);
		// Someone about to ask to join reads the join question.
		const outsider = await api.person('Otto Outsider');
		await visit(await pageAs(outsider.token), `/groups/${f.group.slug}`, [short('GQ')]);
	});

	it('a thread shows its title, messages and authors as text', async () => {
		await visit(await pageAs(f.member.token), `/groups/${f.group.slug}/threads/${f.thread.id}`, [short('TT'), long('TB'), short('MN')]);
	});

	it('the event page shows title, description, venue, attendees and chat as text', async () => {
		const texts = [short('ET'), long('ED'), short('VN'), short('VA'), short('VC'), short('MN'), short('GN').slice(0, 80)];
		await visit(await pageAs(null), `/events/${f.event.id}`, texts);
		await visit(await pageAs(f.member.token), `/events/${f.event.id}`, [...texts, long('CM')]);
		const organizer = await pageAs(f.organizer.token);
		await visit(organizer, `/events/${f.event.id}`, [short('ON')]);
		expect(await organizer.page.title()).toContain(short('ET'));
	});

	it('one’s own page shows name, bio, city, groups and RSVPs as text', async () => {
		await visit(await pageAs(f.organizer.token), '/me', [short('ON'), long('OB'), short('OC'), short('GN').slice(0, 80), short('ET')]);
		await visit(await pageAs(f.member.token), '/me', [short('MN'), short('ET')]);
	});

	it('the organizer’s pages show members, answers and form values without breaking out', async () => {
		const organizer = await pageAs(f.organizer.token);
		await visit(organizer, `/groups/${f.group.slug}/manage`, [short('PN'), short('MN')]);
		await visit(organizer, `/events/${f.event.id}/edit`, []);
		const title = await organizer.page.locator('input[name="title"]').inputValue();
		expect(title).toBe(short('ET'));
	});

	it('text reflected from the address (search, next, a missing page) stays text', async () => {
		const visitor = await pageAs(null);
		await visit(visitor, `/?q=${encodeURIComponent(SHORT)}`, []);
		expect(await visitor.page.getByRole('searchbox', { name: 'What are you into?' }).inputValue()).toBe(SHORT);
		await visit(visitor, `/login?next=${encodeURIComponent(`/x${SHORT}`)}`, []);
		await visit(visitor, `/groups/${encodeURIComponent(SHORT)}`, [], 404);
		await visit(visitor, `/events/${encodeURIComponent(SHORT)}`, [], 404);
	});

	it('refuses links that would run script', async () => {
		const group = await api.group(f.organizer.token, { name: `Links ${unique('l').slice(-5)}` });
		for (const onlineUrl of ['javascript:__pwned(9)', 'JaVaScRiPt:__pwned(9)', ' javascript:__pwned(9)', 'data:text/html,<script>__pwned(9)</script>', 'vbscript:x']) {
			const refused = await api.event(f.organizer.token, group.id, { onlineUrl }).then(
				() => false,
				(error: Error) => /GraphQL error/.test(error.message)
			);
			expect(refused, onlineUrl).toBe(true);
		}
	});
});
