import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api, unique } from './api';
import {
	axeViolations,
	gotoReady,
	horizontalOverflow,
	launchBrowser,
	PHONE,
	requireStack,
	screenshot,
	signInContext,
	skipBrowserTests
} from './helpers';

const ZURICH = { lat: 47.36667, lng: 8.55 };
const ZURICH_ID = '2657896'; // GeoNames id of Zürich, as `?place=` carries it

/**
 * Places on the web: the explore place box with JavaScript (suggestions, keyboard) and without (a plain
 * search the server resolves), any place in the URL, the home place as the default, "near me" kept across
 * searches, group creation filling position and time zone, and the profile page.
 */
describe.skipIf(skipBrowserTests())('places', () => {
	let browser: Browser;
	let api: Api;
	let webUrl: string;
	let group: { id: string; slug: string; name: string };
	let eventTitle: string;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		api = new Api(stack.apiUrl);
		webUrl = stack.webUrl;
		browser = await launchBrowser();
		// A group in Zürich with an upcoming event (the demo data has none there).
		const organizer = await api.person('Zora Zürcher');
		group = await api.group(organizer.token, {
			name: `Limmat Swimmers ${unique('z').slice(-5)}`,
			city: 'Zürich',
			location: { lat: 47.3769, lng: 8.5417 },
			timezone: 'Europe/Zurich'
		});
		eventTitle = `Morning swim ${unique('s').slice(-4)}`;
		await api.event(organizer.token, group.id, {
			title: eventTitle,
			venue: { name: 'Oberer Letten', city: 'Zürich', location: { lat: 47.3856, lng: 8.5385 } }
		});
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

	/** The explore summary line ("Showing … within 50 km of …"). */
	const summary = (page: Page) => page.locator('p.summary').textContent();

	async function expectOurGroupCard(page: Page) {
		const card = page.getByTestId('group-list').locator('li', { hasText: group.name });
		await card.waitFor();
		expect(await card.getByTestId('distance').textContent()).toMatch(/^ \(\d+(\.\d)? km away\)$/);
		expect(await card.getByTestId('next-event').textContent()).toContain(eventTitle);
	}

	it('searches any place typed into the box with JavaScript off (the server takes the best match)', async () => {
		const page = await (await context({ javaScriptEnabled: false })).newPage();
		await page.goto(webUrl);
		await page.getByLabel('Near').fill('zurich');
		await page.getByLabel('Within').selectOption('25');
		await page.getByRole('button', { name: 'Search', exact: true }).click();
		await page.waitForURL(/place=zurich/);
		expect(page.url()).toContain('radius=25');
		expect(await summary(page)).toMatch(/within 25 km of\s+Zürich, Switzerland/);
		expect(await page.getByLabel('Near').inputValue()).toBe('Zürich, Switzerland');
		await expectOurGroupCard(page);
		await screenshot(page, 'places-explore-no-js');

		// A place that does not exist says so instead of silently showing the whole world.
		await page.goto(`${webUrl}/?place=Qqxyzzyville`);
		await page.getByText('We couldn’t find “Qqxyzzyville”').waitFor();
	});

	it('suggests places as you type, chosen with the keyboard, and searches by the chosen place\'s id', async () => {
		const page = await (await context()).newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await gotoReady(page, webUrl);
		const box = page.getByRole('combobox', { name: 'Near' });
		await box.pressSequentially('zür', { delay: 30 });
		const options = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
		await options.first().waitFor();
		expect(await box.getAttribute('aria-expanded')).toBe('true');
		expect(await options.first().textContent()).toContain('Zürich');
		expect(await axeViolations(page)).toEqual([]);
		await screenshot(page, 'places-suggestions');

		await box.press('ArrowDown');
		expect(await box.getAttribute('aria-activedescendant')).toBe('place-option-0');
		expect(await options.first().getAttribute('aria-selected')).toBe('true');
		await box.press('Enter');
		expect(await box.getAttribute('aria-expanded')).toBe('false');
		expect(await box.inputValue()).toBe('Zürich, Switzerland');
		await page.getByRole('button', { name: 'Search', exact: true }).click();
		await page.waitForURL(new RegExp(`place=${ZURICH_ID}`));
		expect(await summary(page)).toMatch(/within 50 km of\s+Zürich, Switzerland/);
		await expectOurGroupCard(page);

		// Escape closes the list without choosing.
		await box.fill('');
		await box.pressSequentially('sao pa', { delay: 30 });
		await options.first().waitFor();
		expect(await options.first().textContent()).toContain('São Paulo');
		await box.press('Escape');
		expect(await box.getAttribute('aria-expanded')).toBe('false');
		expect(errors).toEqual([]);
	});

	it('takes any place in the URL: an id, a name, and the old ?city=', async () => {
		const page = await (await context({ javaScriptEnabled: false })).newPage();
		await page.goto(`${webUrl}/?place=${ZURICH_ID}`);
		expect(await summary(page)).toMatch(/of\s+Zürich, Switzerland/);
		await page.goto(`${webUrl}/?place=${encodeURIComponent('São Paulo')}&radius=10`);
		expect(await summary(page)).toMatch(/within 10 km of\s+São Paulo, Brazil/);
		await page.goto(`${webUrl}/?city=Manchester`);
		expect(await summary(page)).toMatch(/of\s+Manchester, England, United Kingdom/);
	});

	it('starts a signed-in person at their home place; "Clear all" searches anywhere', async () => {
		const person = await api.person('Hanna Home');
		await api.gql(
			`mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`,
			{ input: { city: 'Zürich, Switzerland', location: ZURICH } },
			person.token
		);
		const page = await (await context({}, person.token)).newPage();
		await gotoReady(page, webUrl);
		expect(await summary(page)).toMatch(/of\s+Zürich, Switzerland\s+\(your home place\)/);
		expect(await page.getByLabel('Near').inputValue()).toBe('Zürich, Switzerland');
		await expectOurGroupCard(page);
		await page.getByTestId('clear-all').click();
		await page.waitForURL(/\?place=$/);
		expect(await page.locator('p.summary').count()).toBe(0);
		expect(await page.getByLabel('Near').inputValue()).toBe('');
	});

	it('keeps "near me" in the URL through the next search', async () => {
		const page = await (
			await context({ geolocation: { latitude: ZURICH.lat, longitude: ZURICH.lng }, permissions: ['geolocation'] })
		).newPage();
		await gotoReady(page, webUrl);
		await page.getByRole('button', { name: 'Near me' }).click();
		await page.waitForURL(/lat=47\.3667/);
		await page.getByLabel('What are you into?').fill('swimmers');
		await page.getByRole('button', { name: 'Search', exact: true }).click();
		await page.waitForURL(/q=swimmers/);
		expect(page.url()).toMatch(/lat=47\.3667.*lng=8\.55/);
		expect(await summary(page)).toMatch(/of\s+your location/);
		expect(await page.getByTestId('group-list').getByText(group.name).count()).toBe(1);
	});

	it('fills a new group\'s position and time zone from the place picked, still editable', async () => {
		const organizer = await api.person('Paulo Pinheiro');
		const page = await (await context({}, organizer.token)).newPage();
		await gotoReady(page, `${webUrl}/groups/new`);
		const name = `Paulista Runners ${unique('r').slice(-5)}`;
		await page.getByLabel('Name').fill(name);
		await page.getByLabel('What is it about?').fill('Sunday runs on Avenida Paulista.');
		const box = page.getByRole('combobox', { name: 'City or town' });
		await box.pressSequentially('sao pa', { delay: 30 });
		await page.getByRole('option', { name: /São Paulo/ }).first().click();
		expect(await box.inputValue()).toBe('São Paulo');
		expect(Number(await page.getByLabel('Latitude').inputValue())).toBeCloseTo(-23.55, 1);
		expect(Number(await page.getByLabel('Longitude').inputValue())).toBeCloseTo(-46.64, 1);
		expect(await page.getByLabel('Time zone').inputValue()).toBe('America/Sao_Paulo');
		await page.getByLabel('Latitude').fill('-23.5614'); // Avenida Paulista, not the centre
		await screenshot(page, 'places-group-new');
		await page.getByRole('button', { name: 'Create group' }).click();
		await page.getByRole('heading', { name, level: 1 }).waitFor();
		const slug = page.url().split('/groups/')[1]!;
		const saved = await api.gql(`query($slug: String!) { group(slug: $slug) { city timezone location { lat lng } } }`, { slug });
		expect(saved.group).toMatchObject({ city: 'São Paulo', timezone: 'America/Sao_Paulo' });
		expect(saved.group.location.lat).toBeCloseTo(-23.5614, 4);
		expect(saved.group.location.lng).toBeCloseTo(-46.64, 1);
	});

	it('edits name, bio and home place on the profile page, with and without JavaScript', async () => {
		const person = await api.person(`Pia Profile ${unique('p').slice(-4)}`);
		const me = `{ me { name bio city location { lat lng } } }`;
		const page = await (await context({}, person.token)).newPage();
		await gotoReady(page, `${webUrl}/me`);
		await page.getByRole('link', { name: 'Edit your profile' }).click();
		await page.waitForURL('**/me/profile');
		await page.getByRole('heading', { name: 'Your profile' }).waitFor();
		expect(await axeViolations(page)).toEqual([]);
		await page.getByLabel('Name').fill('Pia Lindqvist');
		await page.getByLabel('About you').fill('Swims in lakes all year.');
		const box = page.getByRole('combobox', { name: 'Home place' });
		await box.fill('');
		await box.pressSequentially('zur', { delay: 30 });
		await page.getByRole('option', { name: /Zürich/ }).first().click();
		await page.getByRole('button', { name: 'Save profile' }).click();
		await page.getByText('Profile saved.').waitFor();
		await screenshot(page, 'places-profile');
		const saved = (await api.gql(me, {}, person.token)).me;
		expect(saved).toMatchObject({ name: 'Pia Lindqvist', bio: 'Swims in lakes all year.', city: 'Zürich, Switzerland' });
		expect(saved.location.lat).toBeCloseTo(ZURICH.lat, 3);
		// The header now greets the new name.
		await page.goto(`${webUrl}/me/profile`);
		expect(await page.getByRole('navigation', { name: 'Main' }).textContent()).toContain('Pia Lindqvist');

		// Without JavaScript the typed place is looked up on the server; an unknown one is refused, naming it.
		const plain = await (await context({ javaScriptEnabled: false }, person.token)).newPage();
		await plain.goto(`${webUrl}/me/profile`);
		await plain.getByLabel('Home place').fill('Qqxyzzyville');
		await plain.getByRole('button', { name: 'Save profile' }).click();
		await plain.getByText('We couldn’t find “Qqxyzzyville”').waitFor();
		await plain.getByLabel('Home place').fill('bergen');
		await plain.getByRole('button', { name: 'Save profile' }).click();
		await plain.getByText('Profile saved.').waitFor();
		const moved = (await api.gql(me, {}, person.token)).me;
		expect(moved.city).toBe('Bergen, Norway');
		expect(moved.location.lat).toBeCloseTo(60.39, 1);
	});

	it('fit a 390 px phone, with no axe violations at all on explore near a place and on the profile page', async () => {
		const person = await api.person('Phil Phone');
		const problems: string[] = [];
		for (const [name, path] of [
			['explore-place', `/?place=${ZURICH_ID}`],
			['profile', '/me/profile']
		] as const) {
			const phone = await context(PHONE, person.token);
			const page = await phone.newPage();
			await page.goto(`${webUrl}${path}`);
			await page.waitForLoadState('networkidle');
			const overflow = await horizontalOverflow(page);
			if (overflow > 0) problems.push(`${name}: ${overflow}px too wide`);
			for (const v of await axeViolations(page)) problems.push(`${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.join(', ')}`);
			await screenshot(page, `phone-places-${name}`);
		}
		expect(problems).toEqual([]);
	});
});
