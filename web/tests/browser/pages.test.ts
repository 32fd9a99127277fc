import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { Api, unique } from './api';
import {
	gotoReady,
	horizontalOverflow,
	launchBrowser,
	requireStack,
	logInInBrowser,
	PHONE,
	screenshot,
	seriousViolations,
	signInContext,
	skipBrowserTests,
	waitUntilLive
} from './helpers';

/**
 * The main pages as people use them: on a 390 px phone without sideways scrolling, free of
 * serious accessibility violations (axe-core), readable and usable with JavaScript off, the
 * organizer's forms and tools, and the GraphQL explorer with a live subscription.
 */
describe.skipIf(skipBrowserTests())('pages', () => {
	let browser: Browser;
	let api: Api;
	let webUrl: string;
	let fixture: Awaited<ReturnType<typeof makeFixture>>;
	const contexts: BrowserContext[] = [];

	/** A group with an event that has people going, a chat and a discussion, plus a member and an organizer. */
	async function makeFixture() {
		const organizer = await api.person('Olivia Organizer');
		const member = await api.person(`Mia Member ${unique('m').slice(-4)}`);
		const group = await api.group(organizer.token, {
			joinMode: 'APPROVAL',
			joinQuestion: 'What brings you to the lantern walks?'
		});
		const event = await api.event(organizer.token, group.id, { capacity: 12, guestLimit: 2 });
		await api.rsvp(organizer.token, event.id, 'YES', 1);
		const pending = await api.person('Paul Pending');
		await api.join(pending.token, group.id, 'I walk my dog there every evening.');
		const membership = await api.join(member.token, group.id, 'Friends told me.');
		await api.gql(
			`mutation($id: ID!) { reviewMembership(membershipId: $id, approve: true) { id } }`,
			{ id: membership.id },
			organizer.token
		);
		await api.rsvp(member.token, event.id, 'YES');
		await api.post(member.token, event.thread.id, 'Looking forward to it!');
		const thread = await api.thread(organizer.token, group.id, 'Lantern making workshop?', 'Shall we make our own lanterns?');
		return { organizer, member, pending, group, event, thread };
	}

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		api = new Api(stack.apiUrl);
		webUrl = stack.webUrl;
		browser = await launchBrowser();
		fixture = await makeFixture();
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
	});

	async function context(options: Parameters<Browser['newContext']>[0] = {}, token?: string) {
		const created = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
		contexts.push(created);
		if (token) await signInContext(created, webUrl, token);
		return created;
	}

	/** The main pages, and whose eyes they are seen through. */
	function mainPages() {
		const { group, event, thread, organizer, member } = fixture;
		return [
			{ name: 'explore', path: '/', as: null },
			{ name: 'group', path: `/groups/${group.slug}`, as: null },
			{ name: 'group-member', path: `/groups/${group.slug}`, as: member.token },
			{ name: 'event', path: `/events/${event.id}`, as: null },
			{ name: 'event-member', path: `/events/${event.id}`, as: member.token },
			{ name: 'thread', path: `/groups/${group.slug}/threads/${thread.id}`, as: member.token },
			{ name: 'login', path: '/login', as: null },
			{ name: 'signup', path: '/signup', as: null },
			{ name: 'me-member', path: '/me', as: member.token },
			{ name: 'profile', path: '/me/profile', as: member.token },
			{ name: 'group-new', path: '/groups/new', as: organizer.token },
			{ name: 'manage', path: `/groups/${group.slug}/manage`, as: organizer.token },
			{ name: 'event-new', path: `/groups/${group.slug}/events/new`, as: organizer.token },
			{ name: 'event-edit', path: `/events/${event.id}/edit`, as: organizer.token },
			{ name: 'notifications', path: '/notifications', as: member.token },
			{ name: 'settings', path: '/me/settings', as: member.token },
			{ name: 'forgot', path: '/forgot', as: null },
			{ name: 'reset', path: '/reset?token=abc', as: null },
			{ name: 'not-found', path: '/groups/no-such-group', as: null }
		];
	}

	it('fit a 390 px wide phone without sideways scrolling', async () => {
		const problems: string[] = [];
		for (const { name, path, as } of mainPages()) {
			const phone = await context(PHONE, as ?? undefined);
			const page = await phone.newPage();
			await page.goto(`${webUrl}${path}`);
			await page.waitForLoadState('networkidle');
			const overflow = await horizontalOverflow(page);
			if (overflow > 0) problems.push(`${name}: ${overflow}px too wide`);
			await screenshot(page, `phone-${name}`);
			await phone.close();
		}
		expect(problems).toEqual([]);
	});

	it('have no serious or critical axe-core violations', async () => {
		const problems: string[] = [];
		for (const { name, path, as } of mainPages()) {
			const desktop = await context({}, as ?? undefined);
			const page = await desktop.newPage();
			await page.goto(`${webUrl}${path}`);
			await page.waitForLoadState('networkidle');
			for (const v of await seriousViolations(page)) {
				problems.push(`${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.join(', ')}`);
			}
			if (['group', 'event-member', 'manage'].includes(name)) await screenshot(page, `desktop-${name}`);
			await desktop.close();
		}
		expect(problems).toEqual([]);
	});

	it('show their content and take log-in, RSVP and chat with JavaScript off', async () => {
		const { event, group, organizer } = fixture;
		const noJs = await context({ javaScriptEnabled: false });
		const page = await noJs.newPage();

		// A shared link renders on the server: details, counts and who is going.
		await page.goto(`${webUrl}/events/${event.id}`);
		await page.getByRole('heading', { name: event.title }).waitFor();
		expect(await page.getByTestId('going-count').textContent()).toBe('3');
		expect(await page.getByTestId('attendees').textContent()).toContain(fixture.member.name);
		expect(await page.getByTestId('chat').textContent()).toContain('Looking forward to it!');

		// Log in (a plain form post), come back, RSVP and post a message.
		const walker = await api.person(`Walt Nojs ${unique('w').slice(-4)}`);
		const request = await api.join(walker.token, group.id, 'Evening walks!');
		await api.gql(`mutation($id: ID!) { reviewMembership(membershipId: $id, approve: true) { id } }`, { id: request.id }, organizer.token);
		await logInInBrowser(page, webUrl, walker.email, walker.password, `/events/${event.id}`);
		await page.getByRole('button', { name: 'Attend' }).click();
		await page.getByTestId('my-rsvp').getByText('You’re going').waitFor();
		expect(await page.getByTestId('going-count').textContent()).toBe('4');
		expect(await page.getByTestId('attendees').textContent()).toContain(walker.name);

		await page.getByLabel('Write a message').fill('Posted without JavaScript');
		await page.getByRole('button', { name: 'Send' }).click();
		await page.waitForLoadState('load');
		await page.goto(`${webUrl}/events/${event.id}`);
		expect(await page.getByTestId('chat').textContent()).toContain('Posted without JavaScript');
	});

	it('let an organizer review a request with its answer, approve it and set a role', async () => {
		const { group, organizer, pending } = fixture;
		const page = await (await context({}, organizer.token)).newPage();
		await gotoReady(page, `${webUrl}/groups/${group.slug}/manage`);
		const request = page.getByTestId('join-request').filter({ hasText: pending.name });
		await request.getByText('I walk my dog there every evening.').waitFor();
		await screenshot(page, 'manage');
		await request.getByRole('button', { name: /Approve/ }).click();
		await page.getByText('Approved.').waitFor();
		expect(await page.getByTestId('join-request').filter({ hasText: pending.name }).count()).toBe(0);

		await page.getByLabel(`Role of ${pending.name}`).selectOption('EVENT_ORGANIZER');
		await page.getByRole('button', { name: `Set role of ${pending.name}` }).click();
		await page.getByText('Role changed.').waitFor();
		const roles = await api.gql(
			`query($slug: String!) { group(slug: $slug) { members(role: EVENT_ORGANIZER) { edges { node { user { id } } } } } }`,
			{ slug: group.slug },
			organizer.token
		);
		expect(roles.group.members.edges.map((e: { node: { user: { id: string } } }) => e.node.user.id)).toContain(pending.id);
	});

	it('let an organizer create a group and an event, shown in the group’s time zone', async () => {
		const page = await (await context({}, fixture.organizer.token)).newPage();
		await gotoReady(page, `${webUrl}/groups/new`);
		const name = `Tokyo Night Photographers ${unique('t').slice(-5)}`;
		await page.getByLabel('Name').fill(name);
		await page.getByLabel('What is it about?').fill('Neon, rain and long exposures after dark.');
		// Typed without picking a suggestion: the server reads the best match for the text.
		await page.getByLabel('City or town').fill('Tokyo');
		await page.getByLabel('Topics').fill('Photography, Night walks');
		await page.getByRole('button', { name: 'Create group' }).click();
		await page.getByRole('heading', { name, level: 1 }).waitFor();
		expect(await page.getByText('Night walks').count()).toBeGreaterThan(0);

		await page.getByRole('link', { name: 'New event' }).click();
		await page.getByLabel('Title').fill('Shibuya crossing at midnight');
		await page.getByLabel('Starts').fill('2027-04-02T23:30');
		await page.getByLabel('Venue name').fill('Hachiko statue');
		await page.getByLabel('Places').fill('8');
		await page.getByRole('button', { name: 'Create event' }).click();
		await page.getByRole('heading', { name: 'Shibuya crossing at midnight' }).waitFor();
		// 23:30 where the group meets (Tokyo, UTC+9), whatever the browser's or server's zone.
		expect(await page.locator('.when').textContent()).toBe('Fri, Apr 2, 2027, 11:30 PM – Sat, Apr 3, 1:30 AM GMT+9');
		await waitUntilLive(page);
		await page.getByRole('button', { name: 'Attend' }).waitFor();
	});

	it('serve GraphiQL from our own assets, with subscriptions working', async () => {
		const { event } = fixture;
		const explorer = await context({ viewport: { width: 1400, height: 900 } });
		const requests: string[] = [];
		explorer.on('request', (r) => requests.push(r.url()));
		const page = await explorer.newPage();
		await page.addInitScript((id) => {
			localStorage.setItem('graphiql:query', `subscription Watch($id: ID!) {\n  eventAttendance(eventId: $id) { version event { goingCount } rsvp { user { name } } }\n}`);
			localStorage.setItem('graphiql:variables', JSON.stringify({ id }));
		}, event.id);
		await page.goto(`${webUrl}/`);
		await page.getByRole('link', { name: 'GraphQL explorer' }).click();
		await page.locator('.graphiql-container').waitFor();
		const rsvper = await api.person(`Gina Graphiql ${unique('g').slice(-4)}`);
		const membership = await api.join(rsvper.token, fixture.group.id, 'Queries!');
		await api.gql(`mutation($id: ID!) { reviewMembership(membershipId: $id, approve: true) { id } }`, { id: membership.id }, fixture.organizer.token);
		await page.getByRole('button', { name: /Execute query/ }).click();
		// The subscription runs over this page's WebSocket; RSVPs made elsewhere stream into the result.
		const result = page.locator('.result-window');
		for (let i = 0; i < 20 && !(await result.getByText(rsvper.name).count()); i++) {
			await api.rsvp(rsvper.token, event.id, i % 2 === 0 ? 'YES' : 'NO');
			await page.waitForTimeout(500);
		}
		await result.getByText(rsvper.name).waitFor({ timeout: 5000 });
		expect(await result.textContent()).toContain('"version"');
		await screenshot(page, 'graphiql');
		const foreign = requests.filter((url) => !url.startsWith(webUrl) && !url.startsWith(webUrl.replace('http', 'ws')));
		expect(foreign).toEqual([]);
	});
});
