import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api, unique } from './api';
import {
	gotoReady,
	horizontalOverflow,
	launchBrowser,
	PHONE,
	requireStack,
	screenshot,
	seriousViolations,
	signInContext,
	skipBrowserTests
} from './helpers';

/**
 * Issue 14 as people meet it: recurring events from the event form, check-in at the door, the member
 * list and request badges, date filters on explore, and the rough edges (wrong password, errors as
 * sentences, confirm steps, past events, post-redirect-get, phone layout, GraphiQL on a phone).
 * Desktop and a 390 px phone, with and without JavaScript; axe-core on every new page.
 */
describe.skipIf(skipBrowserTests())('organizers and members', () => {
	let browser: Browser;
	let api: Api;
	let webUrl: string;
	const contexts: BrowserContext[] = [];
	const HOUR = 3_600_000;

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		api = new Api(stack.apiUrl);
		webUrl = stack.webUrl;
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
	});

	async function open(options: Parameters<Browser['newContext']>[0] = {}, token?: string): Promise<Page> {
		const created = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Oslo', ...options });
		contexts.push(created);
		if (token) await signInContext(created, webUrl, token);
		return created.newPage();
	}

	async function expectAccessible(page: Page, name: string) {
		await page.waitForLoadState('networkidle');
		const problems = (await seriousViolations(page)).map((v) => `${name}: ${v.id} ${v.help} — ${v.nodes.join(', ')}`);
		expect(problems).toEqual([]);
	}

	async function expectFitsPhone(page: Page, name: string) {
		expect(await horizontalOverflow(page), `${name} scrolls sideways`).toBeLessThanOrEqual(0);
		await screenshot(page, `phone-${name}`);
	}

	/** A group with an organizer and `n` members. */
	async function groupWithMembers(n: number, input: Record<string, unknown> = {}) {
		const organizer = await api.person('Olga Organizer');
		const group = await api.group(organizer.token, input);
		const members = [];
		for (const name of ['Bea Bakke', 'Carl Dahl', 'Dina Eng', 'Erik Fjell'].slice(0, n)) {
			const person = await api.person(name);
			await api.join(person.token, group.id);
			members.push(person);
		}
		return { organizer, group, members };
	}

	it('an organizer makes a weekly event from the form, then changes this and the following dates', async () => {
		const { organizer, group } = await groupWithMembers(0);
		const page = await open({}, organizer.token);
		await gotoReady(page, `${webUrl}/groups/${group.slug}/events/new`);
		await expectAccessible(page, 'event-new');
		const title = `Tuesday run ${unique('r').slice(-4)}`;
		await page.getByLabel('Title').fill(title);
		// Next Tuesday, 19:00.
		const day = new Date(Date.now() + 86_400_000);
		while (day.getUTCDay() !== 2) day.setUTCDate(day.getUTCDate() + 1);
		const local = `${day.toISOString().slice(0, 10)}T19:00`;
		await page.getByLabel('Starts').fill(local);
		await page.getByLabel('Venue name').fill('Frogner park gate');
		await page.getByLabel('Repeats').selectOption('weekly');
		await page.getByLabel('How many times').fill('6');
		await Promise.all([page.waitForURL(/\/events\/[0-9a-f-]+$/), page.getByRole('button', { name: 'Create event' }).click()]);
		const series = page.getByTestId('series');
		await expect(series.textContent()).resolves.toContain('Every week on Tuesday, 6 times');
		expect(await series.getByRole('link').count()).toBe(5);
		await screenshot(page, 'desktop-event-series');
		await expectAccessible(page, 'event-series');

		// The third date: rename it and the ones after it.
		const thirdUrl = `${webUrl}${await series.getByRole('link').nth(1).getAttribute('href')}`;
		await gotoReady(page, `${thirdUrl}/edit`);
		await page.getByLabel('Title').fill(`${title} (longer route)`);
		await page.getByLabel('This and all following dates').check();
		await screenshot(page, 'desktop-event-edit-series');
		await Promise.all([page.waitForURL(thirdUrl), page.getByRole('button', { name: 'Save changes' }).click()]);
		const id = thirdUrl.split('/').pop()!;
		const data = await api.gql(
			`query($id: ID!) { event(id: $id) { series { occurrences(first: 10) { edges { node { title } } } } } }`,
			{ id }
		);
		const titles = data.event.series.occurrences.edges.map((e: any) => e.node.title);
		expect(titles).toEqual([title, title, ...Array(4).fill(`${title} (longer route)`)]);
	});

	it('cancelling an event asks first, and works without JavaScript', async () => {
		const { organizer, group } = await groupWithMembers(0);
		const event = await api.event(organizer.token, group.id);
		const page = await open({ javaScriptEnabled: false }, organizer.token);
		await page.goto(`${webUrl}/events/${event.id}/edit`);
		await page.getByRole('link', { name: 'Cancel event…' }).click();
		await expect(page.getByText(`Cancel “${event.title}”?`).isVisible()).resolves.toBe(true);
		await screenshot(page, 'desktop-cancel-confirm');
		await page.getByRole('link', { name: 'Keep it' }).click();
		expect((await api.gql(`query($id: ID!) { event(id: $id) { status } }`, { id: event.id })).event.status).toBe('SCHEDULED');
		await page.getByRole('link', { name: 'Cancel event…' }).click();
		await page.getByRole('button', { name: 'Yes, cancel the event' }).click();
		await page.waitForURL(`${webUrl}/events/${event.id}`);
		expect((await api.gql(`query($id: ID!) { event(id: $id) { status } }`, { id: event.id })).event.status).toBe('CANCELLED');
	});

	it('hosts check people in from a phone without JavaScript, searching by name, and with one tap on a desktop', async () => {
		const { organizer, group, members } = await groupWithMembers(3);
		const event = await api.event(organizer.token, group.id, {
			startsAt: new Date(Date.now() - HOUR).toISOString(),
			endsAt: new Date(Date.now() + HOUR).toISOString()
		});
		for (const m of members) await api.rsvp(m.token, event.id, 'YES');
		const page = await open({ ...PHONE, javaScriptEnabled: false }, organizer.token);
		await page.goto(`${webUrl}/events/${event.id}`);
		await page.getByRole('link', { name: 'Check in people' }).click();
		await page.waitForURL(`${webUrl}/events/${event.id}/check-in`);
		expect(await page.getByTestId('checked-in').textContent()).toBe('0 of 3');
		await page.getByLabel('Find a person').fill('bea');
		await page.getByRole('button', { name: 'Search' }).click();
		const list = page.getByRole('list', { name: 'People going' });
		expect(await list.getByRole('listitem').count()).toBe(1);
		await list.getByRole('button', { name: 'Check in Bea Bakke' }).click();
		await page.waitForLoadState();
		expect(new URL(page.url()).search).toBe('?q=bea'); // post-redirect-get, the search kept
		expect(await page.getByTestId('checked-in').textContent()).toBe('1 of 3');
		expect(await list.getByRole('button', { name: 'Here Bea Bakke' }).getAttribute('aria-pressed')).toBe('true');
		await expectFitsPhone(page, 'check-in');

		// With JavaScript, on a desktop: the list filters as you type, one tap per person.
		const desktop = await open({}, organizer.token);
		await gotoReady(desktop, `${webUrl}/events/${event.id}/check-in`);
		await expectAccessible(desktop, 'check-in');
		await desktop.getByLabel('Find a person').fill('carl');
		await desktop.getByRole('button', { name: 'Check in Carl Dahl' }).click();
		await desktop.getByRole('button', { name: 'Here Carl Dahl' }).waitFor();
		expect(await desktop.getByTestId('checked-in').textContent()).toBe('2 of 3');
		await screenshot(desktop, 'desktop-check-in');

		// A member cannot open it.
		const member = await open({}, members[2].token);
		const denied = await member.goto(`${webUrl}/events/${event.id}/check-in`);
		expect(denied?.status()).toBe(403);
	});

	it('past events show their year, who went and who came, and no places or waitlist', async () => {
		const { organizer, group } = await groupWithMembers(0);
		const lastYear = new Date(Date.now() - 400 * 86_400_000);
		const event = await api.event(organizer.token, group.id, {
			startsAt: lastYear.toISOString(),
			endsAt: new Date(lastYear.getTime() + 2 * HOUR).toISOString(),
			capacity: 10
		});
		const page = await open(PHONE);
		await page.goto(`${webUrl}/groups/${group.slug}`);
		const card = page.getByRole('heading', { name: 'Past events' }).locator('..').getByRole('article');
		const text = (await card.textContent())!;
		expect(text).toContain(String(lastYear.getUTCFullYear()));
		expect(text).toContain('0 went');
		expect(text).not.toMatch(/spots? left|waitlist|full/);
		await page.goto(`${webUrl}/events/${event.id}`);
		const panel = (await page.getByTestId('rsvp-panel').textContent())!;
		expect(panel).toContain('went');
		expect(panel).toContain('0 checked in');
		expect(panel).not.toMatch(/places left|waitlist/);
		await expectFitsPhone(page, 'past-event');
	});

	it('the member list pages and searches by name, with roles; private groups show it to members only', async () => {
		const { organizer, group } = await groupWithMembers(4);
		const page = await open(PHONE);
		await page.goto(`${webUrl}/groups/${group.slug}`);
		const some = page.getByRole('list', { name: 'Some members' });
		expect(await some.getByRole('listitem').count()).toBe(5);
		expect(await some.getByRole('listitem').filter({ hasText: 'Olga Organizer' }).textContent()).toContain('Organizer');
		await page.getByPlaceholder('Find a member').fill('eng');
		await page.getByRole('button', { name: 'Find' }).click();
		await page.waitForURL(/\/members\?q=eng/);
		expect(await page.getByRole('list', { name: 'Members' }).getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Dina Eng')]);
		await page.goto(`${webUrl}/groups/${group.slug}`);
		await page.getByTestId('members-link').click();
		await page.waitForURL(`${webUrl}/groups/${group.slug}/members`);
		const list = page.getByRole('list', { name: 'Members' });
		expect(await list.getByRole('listitem').count()).toBe(5);
		expect(await list.getByRole('listitem').filter({ hasText: 'Olga Organizer' }).textContent()).toContain('Organizer');
		await page.getByLabel('Find a member by name').fill('dahl');
		await page.getByRole('button', { name: 'Search' }).click();
		await page.waitForURL(/q=dahl/);
		expect(await list.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Carl Dahl')]);
		expect(await page.getByTestId('member-results').textContent()).toContain('1 member matches');
		await expectFitsPhone(page, 'members');
		const desktop = await open();
		await desktop.goto(`${webUrl}/groups/${group.slug}/members`);
		await expectAccessible(desktop, 'members');
		await screenshot(desktop, 'desktop-members');

		const secret = await api.group(organizer.token, { visibility: 'PRIVATE' });
		const stranger = await api.person('Stranger');
		const outsider = await open({}, stranger.token);
		await outsider.goto(`${webUrl}/groups/${secret.slug}/members`);
		expect(await outsider.getByText('Only its members see who is in it.').isVisible()).toBe(true);
		expect(await outsider.getByRole('list', { name: 'Members' }).count()).toBe(0);
	});

	it('organizers see pending requests as a badge in the header and on the group page; "1 member", "2 members"', async () => {
		const organizer = await api.person('Pia Organizer');
		const group = await api.group(organizer.token, { joinMode: 'APPROVAL', joinQuestion: 'Why?' });
		const page = await open({}, organizer.token);
		await page.goto(`${webUrl}/groups/${group.slug}/manage`);
		expect(await page.getByTestId('manage-counts').textContent()).toContain('1 member ·');
		expect(await page.getByTestId('header-pending').count()).toBe(0);
		const asker = await api.person('Asker');
		await api.join(asker.token, group.id, 'I like walks.');
		await page.goto(`${webUrl}/groups/${group.slug}`);
		expect((await page.getByTestId('header-pending').textContent())?.trim()).toMatch(/^1/);
		expect((await page.getByTestId('pending-badge').textContent())?.trim()).toMatch(/^1/);
		await expectAccessible(page, 'group-with-badge');
		await screenshot(page, 'desktop-group-badges');
		const second = await api.person('Second');
		await api.join(second.token, group.id, 'Me too.');
		const requests = await api.gql(
			`query($slug: String!) { group(slug: $slug) { members(status: PENDING, first: 5) { edges { node { id } } } } }`,
			{ slug: group.slug },
			organizer.token
		);
		await api.gql(`mutation($id: ID!) { reviewMembership(membershipId: $id, approve: true) { id } }`, { id: requests.group.members.edges[0].node.id }, organizer.token);
		await page.goto(`${webUrl}/groups/${group.slug}/manage`);
		expect(await page.getByTestId('manage-counts').textContent()).toContain('2 members ·');
	});

	it('a wrong password says so, and the address does not grow', async () => {
		const person = await api.person('Forgetful');
		for (const javaScriptEnabled of [true, false]) {
			const page = await open({ javaScriptEnabled });
			await page.goto(`${webUrl}/login?next=%2Fme`);
			if (javaScriptEnabled) await page.waitForSelector('html[data-hydrated]');
			await page.getByLabel('Email').fill(person.email);
			await page.getByLabel('Password').fill('not the password');
			await page.getByRole('button', { name: 'Log in' }).click();
			await page.getByText('That email and password don’t match').waitFor();
			expect(page.url()).not.toContain('next=%2Flogin');
			expect(decodeURIComponent(page.url())).not.toMatch(/login.*login/);
		}
	});

	it('API errors read as sentences, never "input.email: …"', async () => {
		const person = await api.person('Taken');
		const page = await open({ javaScriptEnabled: false });
		await page.goto(`${webUrl}/signup`);
		await page.getByLabel('Your name').fill('Someone Else');
		await page.getByLabel('Email').fill(person.email);
		await page.getByLabel('Password').fill('long enough password');
		await page.getByRole('button', { name: 'Create account' }).click();
		await page.getByText('An account with this email already exists.').first().waitFor();
		expect(await page.locator('main').textContent()).not.toMatch(/input\.email|eventId:/);
	});

	it('leaving a group asks first, with and without JavaScript', async () => {
		const { group, members } = await groupWithMembers(2);
		for (const [i, javaScriptEnabled] of [true, false].entries()) {
			const page = await open({ javaScriptEnabled }, members[i].token);
			await page.goto(`${webUrl}/groups/${group.slug}`);
			if (javaScriptEnabled) await page.waitForSelector('html[data-hydrated]');
			await page.getByRole('link', { name: 'Leave group' }).click();
			await page.getByText(`Leave ${group.name}?`).waitFor();
			if (i === 0) await screenshot(page, 'desktop-leave-confirm');
			await page.getByRole('button', { name: 'Yes, leave the group' }).click();
			await page.getByRole('button', { name: /Join group/ }).waitFor();
			expect(new URL(page.url()).search).toBe('');
		}
	});

	it('an RSVP without JavaScript leaves a clean address (post-redirect-get)', async () => {
		const { organizer, group, members } = await groupWithMembers(1);
		const event = await api.event(organizer.token, group.id);
		const page = await open({ javaScriptEnabled: false }, members[0].token);
		await page.goto(`${webUrl}/events/${event.id}`);
		await page.getByRole('button', { name: 'Attend' }).click();
		await page.waitForLoadState();
		expect(page.url()).toBe(`${webUrl}/events/${event.id}`);
		expect(await page.getByTestId('going-count').textContent()).toBe('1');
	});

	it('on a phone the groups are one tap away on explore; GraphiQL says it needs a wider screen', async () => {
		const page = await open(PHONE);
		await page.goto(`${webUrl}/`);
		const jump = page.getByTestId('jump-groups');
		const box = await jump.boundingBox();
		expect(box && box.y + box.height).toBeLessThanOrEqual(844 * 2); // near the top, not after every event
		await jump.click();
		await page.waitForFunction(() => location.hash === '#groups-heading');
		const heading = await page.getByRole('heading', { name: 'Groups', exact: true }).boundingBox();
		expect(heading!.y).toBeLessThan(844);
		await screenshot(page, 'phone-explore-groups');
		await page.goto(`${webUrl}/graphiql`);
		// The explorer renders in the browser only (no SSR): wait for the page to mount before looking.
		await page.getByTestId('graphiql').waitFor({ state: 'attached' });
		await page.getByTestId('graphiql-narrow').waitFor({ state: 'visible', timeout: 10_000 });
		expect(await page.getByTestId('graphiql-narrow').isVisible()).toBe(true);
		await screenshot(page, 'phone-graphiql');
		const desktop = await open();
		await desktop.goto(`${webUrl}/graphiql`);
		await desktop.getByTestId('graphiql').waitFor({ state: 'attached' });
		expect(await desktop.getByTestId('graphiql-narrow').isVisible()).toBe(false);
	});

	it('explore filters by date: today, this weekend, next 7 days, a range', async () => {
		const organizer = await api.person('Date Organizer');
		const group = await api.group(organizer.token);
		const word = unique('datefilter').replace(/[^a-z0-9]/gi, '');
		const soon = await api.event(organizer.token, group.id, { title: `${word} soon`, startsAt: new Date(Date.now() + 5 * 60_000).toISOString() });
		const later = await api.event(organizer.token, group.id, { title: `${word} later`, startsAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });
		const page = await open();
		await gotoReady(page, `${webUrl}/?q=${word}`);
		const titles = async () => page.getByTestId('event-list').getByRole('heading').allTextContents().catch(() => []);
		expect((await titles()).sort()).toEqual([soon.title, later.title].sort());
		await page.getByRole('link', { name: 'Next 7 days' }).click();
		await page.waitForURL(/when=week/);
		expect(page.url()).toContain('tz=Europe%2FOslo');
		expect(await titles()).toEqual([soon.title]);
		// "Today" in Oslo: the soon event, unless it falls after midnight there.
		await page.getByRole('link', { name: 'Today' }).click();
		await page.waitForURL(/when=today/);
		const osloDay = (d: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(d));
		const soonToday = osloDay(Date.now()) === osloDay(Date.now() + 5 * 60_000);
		expect(await titles()).toEqual(soonToday ? [soon.title] : []);
		await page.getByText('Pick dates').click();
		const day = osloDay(Date.now() + 10 * 86_400_000);
		await page.getByLabel('From', { exact: true }).fill(day);
		await page.getByLabel('To', { exact: true }).fill(day);
		await page.getByRole('button', { name: 'Show' }).click();
		await page.waitForURL(/from=/);
		expect(await titles()).toEqual([later.title]);
		expect(new URL(page.url()).searchParams.get('q')).toBe(word);
		await expectAccessible(page, 'explore-dates');
		await screenshot(page, 'desktop-explore-dates');
		await page.getByRole('link', { name: 'This weekend' }).click();
		await page.waitForURL(/when=weekend/);
		const phone = await open(PHONE);
		await phone.goto(`${webUrl}/?q=${word}&when=week`);
		await expectFitsPhone(phone, 'explore-dates');
	});
});
