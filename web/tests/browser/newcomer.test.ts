import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Api, unique } from './api';
import { launchBrowser, requireStack, screenshot, skipBrowserTests, waitUntilLive } from './helpers';

/**
 * A newcomer's first visit, end to end in Chromium against the real API and database: explore
 * (topic chip, near me, search), open a group, sign up, join, RSVP, and see themselves going.
 */
describe.skipIf(skipBrowserTests())('a newcomer', () => {
	let browser: Browser;
	let api: Api;
	let webUrl: string;

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		api = new Api(stack.apiUrl);
		webUrl = stack.webUrl;
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('explores, opens a group, signs up, joins, RSVPs and sees their name in the attendee list', async () => {
		const organizer = await api.person('Olivia Organizer');
		const suffix = unique('x').slice(-6);
		// Other tests' groups all stand on one Oslo point; this one stands where the browser says it is, so "near me" lists it first.
		const here = { lat: 59.95, lng: 10.8 };
		const group = await api.group(organizer.token, { name: `Lantern Walkers ${suffix}`, location: here });
		const event = await api.event(organizer.token, group.id, { title: `Lantern walk ${suffix}`, capacity: 20, guestLimit: 1 });
		await api.rsvp(organizer.token, event.id, 'YES');

		const context = await browser.newContext({
			viewport: { width: 1280, height: 900 },
			geolocation: { latitude: here.lat, longitude: here.lng },
			permissions: ['geolocation']
		});
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));

		// Explore: the server-rendered page lists events and groups.
		await page.goto(webUrl);
		await page.getByRole('heading', { name: 'Find your people' }).waitFor();
		expect(await page.getByTestId('event-list').locator('li').count()).toBeGreaterThan(0);
		expect(await page.getByTestId('group-list').locator('li').count()).toBeGreaterThan(0);
		await screenshot(page, 'explore');

		// A topic chip narrows the lists.
		await page.getByRole('navigation', { name: 'Topics' }).getByRole('link', { name: /^Hiking/ }).click();
		await page.waitForURL(/topic=hiking/);
		await page.getByText(/Showing\s+in\s+Hiking/).waitFor();

		// "Near me" uses the browser's location.
		await page.getByRole('button', { name: 'Near me' }).click();
		await page.waitForURL(/lat=59\.95/);
		await page.getByText(/of\s+your location/).waitFor();
		expect(await page.getByTestId('group-list').getByText(group.name).count()).toBe(1);

		// Searching for the group by name finds it ("near me" stays on); "more" buttons page with cursors.
		await page.getByLabel('What are you into?').fill(group.name);
		await page.getByRole('button', { name: 'Search', exact: true }).click();
		await page.waitForURL(/q=Lantern/);
		await page.getByTestId('group-list').getByRole('link', { name: group.name }).click();

		// The group page, signed out: about, organizers, events, and a way in.
		await page.waitForURL(`**/groups/${group.slug}`);
		await page.getByRole('heading', { name: group.name, level: 1 }).waitFor();
		await page.getByText('Olivia Organizer').first().waitFor();
		await page.getByRole('link', { name: event.title }).waitFor();
		await screenshot(page, 'group-signed-out');

		await page.getByRole('link', { name: 'Sign up to join' }).click();
		await page.waitForURL(/\/signup\?next=/);
		await screenshot(page, 'signup');
		const name = `Nora Newcomer ${suffix}`;
		await page.getByLabel('Your name').fill(name);
		await page.getByLabel('Email').fill(`${unique('nora')}@example.test`);
		await page.getByLabel('Password').fill('lanterns-at-dusk');
		await page.getByRole('button', { name: 'Create account' }).click();
		await page.waitForURL(`**/groups/${group.slug}`);
		await page.getByRole('button', { name: 'Log out' }).waitFor();

		// Join: one click for an open group.
		await page.getByRole('button', { name: 'Join group' }).click();
		await page.getByTestId('join-panel').getByText('You are a member of this group.').waitFor();
		expect(await page.getByTestId('member-count').textContent()).toBe('2 members');

		// RSVP from the event page; their name joins the live attendee list.
		await page.getByRole('link', { name: event.title }).click();
		await page.waitForURL(`**/events/${event.id}`);
		await waitUntilLive(page);
		await page.getByRole('button', { name: 'Attend' }).click();
		await page.getByTestId('my-rsvp').getByText('You’re going').waitFor();
		await page.getByTestId('attendees').getByText(name).waitFor();
		expect(await page.getByTestId('going-count').textContent()).toBe('2');
		await screenshot(page, 'event-going');

		// "Me" lists the group and the RSVP.
		await page.goto(`${webUrl}/me`);
		await page.getByRole('link', { name: group.name }).waitFor();
		await page.getByText('You’re going').waitFor();
		await screenshot(page, 'me');

		// Log out: the header offers logging in again, and "me" asks for it.
		await page.getByRole('button', { name: 'Log out' }).click();
		await page.getByRole('link', { name: 'Log in' }).waitFor();
		await page.goto(`${webUrl}/me`);
		await page.waitForURL(/\/login\?next=%2Fme/);

		expect(errors).toEqual([]);
		await context.close();
	});
});
