import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api, unique } from './api';
import {
	gotoReady,
	launchBrowser,
	requireStack,
	markPage,
	screenshot,
	signInContext,
	skipBrowserTests,
	waitForTestIdText,
	waitUntilLive,
	wasNotReloaded
} from './helpers';
import { startWeb } from './stack';

/**
 * Live updates between browsers, against the real API: attendance counts and lists, chat, the
 * waitlist, and catching up after the WebSocket drops.
 */
describe.skipIf(skipBrowserTests())('live pages', () => {
	let browser: Browser;
	let api: Api;
	let webUrl: string;
	let apiUrl: string;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		({ apiUrl, webUrl } = stack);
		api = new Api(apiUrl);
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
	});

	/** A browser page signed in as `token` (or signed out), with page errors collected. */
	async function open(url: string, token?: string): Promise<{ page: Page; errors: string[] }> {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		contexts.push(context);
		if (token) await signInContext(context, webUrl, token);
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await gotoReady(page, url);
		return { page, errors };
	}

	/** An organizer's open group with one event, and members who joined it. */
	async function community(members: string[], event: Record<string, unknown> = {}) {
		const organizer = await api.person('Olivia Organizer');
		const group = await api.group(organizer.token);
		const created = await api.event(organizer.token, group.id, event);
		const people = [];
		for (const name of members) {
			const person = await api.person(`${name} ${unique('n').slice(-4)}`);
			await api.join(person.token, group.id);
			people.push(person);
		}
		return { organizer, group, event: created, people };
	}

	it('shows another browser the going count and attendee list change without a reload', async () => {
		const { event, people } = await community(['Alice', 'Carl'], { capacity: 10 });
		const [alice, carl] = people;
		const watcher = await open(`${webUrl}/events/${event.id}`); // signed out: a public event
		await waitUntilLive(watcher.page);
		await markPage(watcher.page);
		expect(await watcher.page.getByTestId('going-count').textContent()).toBe('0');

		const actor = await open(`${webUrl}/events/${event.id}`, alice.token);
		await waitUntilLive(actor.page);
		await actor.page.getByRole('button', { name: 'Attend' }).click();
		await actor.page.getByTestId('my-rsvp').waitFor();

		await waitForTestIdText(watcher.page, 'going-count', '1');
		await watcher.page.getByTestId('attendees').getByText(alice.name).waitFor();

		// A change made elsewhere (another API client) arrives the same way.
		await api.rsvp(carl.token, event.id, 'YES');
		await waitForTestIdText(watcher.page, 'going-count', '2');
		await watcher.page.getByTestId('attendees').getByText(carl.name).waitFor();
		await screenshot(watcher.page, 'event-live-watcher');

		// Alice changes her mind: she leaves the watcher's list.
		await actor.page.getByRole('button', { name: 'I can’t go anymore' }).click();
		await waitForTestIdText(watcher.page, 'going-count', '1');
		await watcher.page.getByTestId('attendees').getByText(alice.name).waitFor({ state: 'detached' });

		expect(await wasNotReloaded(watcher.page)).toBe(true);
		expect([...watcher.errors, ...actor.errors]).toEqual([]);
	});

	it('applies an RSVP answer without reloading (one request, one API call), and shows a cancellation and new time at once', async () => {
		const { organizer, event, people } = await community(['Dana'], { capacity: 10 });
		const actor = await open(`${webUrl}/events/${event.id}`, people[0].token);
		await waitUntilLive(actor.page);
		await markPage(actor.page);
		const requests: string[] = [];
		actor.page.on('request', (r) => {
			const url = new URL(r.url());
			if (r.url().startsWith(webUrl) || r.url().startsWith(apiUrl)) requests.push(`${r.method()} ${url.pathname}${url.search}`);
		});
		await actor.page.getByRole('button', { name: 'Attend' }).click();
		await actor.page.getByTestId('my-rsvp').waitFor();
		await waitForTestIdText(actor.page, 'going-count', '1');
		// The form action's one mutation is the whole cost: no page data is fetched again.
		expect(requests).toEqual([`POST /events/${event.id}?/rsvp`]);

		// Moved, then cancelled, by an organizer elsewhere: the open page shows both without a reload.
		const startsAt = new Date(Date.now() + 9 * 86_400_000).toISOString();
		await api.gql(`mutation ($id: ID!, $s: DateTime!) { updateEvent(id: $id, input: { startsAt: $s, title: "Moved picnic" }) { id } }`, { id: event.id, s: startsAt }, organizer.token);
		await actor.page.getByRole('heading', { name: 'Moved picnic' }).waitFor();
		await api.gql(`mutation ($id: ID!) { cancelEvent(id: $id) { id } }`, { id: event.id }, organizer.token);
		await actor.page.getByText('This event was cancelled.').waitFor();
		expect(await actor.page.getByRole('button', { name: 'I can’t go anymore' }).count()).toBe(0);
		expect(await actor.page.locator('time').first().getAttribute('datetime')).toBe(startsAt);
		expect(await wasNotReloaded(actor.page)).toBe(true);
		expect(actor.errors).toEqual([]);
	});

	it('delivers a chat message posted in one browser to the other, and its deletion', async () => {
		const { event, people } = await community(['Ana', 'Ben']);
		const [ana, ben] = people;
		const a = await open(`${webUrl}/events/${event.id}`, ana.token);
		const b = await open(`${webUrl}/events/${event.id}`, ben.token);
		await waitUntilLive(a.page, 2); // attendance and chat
		await waitUntilLive(b.page, 2);
		await markPage(b.page);

		const text = `See you at the fountain! ${unique('m')}`;
		const box = a.page.getByLabel('Write a message');
		await box.fill(text);
		await box.press('Enter');
		await a.page.getByTestId('chat').getByText(text).waitFor();
		await b.page.getByTestId('chat').getByText(text).waitFor();

		const reply = `On my way ${unique('m')}`;
		await b.page.getByLabel('Write a message').fill(reply);
		await b.page.getByRole('button', { name: 'Send' }).click();
		await a.page.getByTestId('chat').getByText(reply).waitFor();

		// Ben may not edit Ana's message; Ana deletes it and Ben sees it go.
		const anasMessage = b.page.locator('li.message', { hasText: text });
		expect(await anasMessage.getByRole('button', { name: /Edit/ }).count()).toBe(0);
		await a.page.locator('li.message', { hasText: text }).getByRole('button', { name: /Delete/ }).click();
		await b.page.getByTestId('chat').getByText(text).waitFor({ state: 'detached' });
		await b.page.getByTestId('chat').getByText('Message deleted').waitFor();
		expect(await wasNotReloaded(b.page)).toBe(true);
		expect([...a.errors, ...b.errors]).toEqual([]);
	});

	it('runs a group discussion as a live chat with older messages on request', async () => {
		const { group, organizer, people } = await community(['Dee']);
		const [dee] = people;
		const thread = await api.thread(organizer.token, group.id, 'Where should we walk next?', 'Ideas welcome.');
		for (let i = 1; i <= 35; i++) await api.post(organizer.token, thread.id, `Idea number ${i}`);
		const url = `${webUrl}/groups/${group.slug}/threads/${thread.id}`;
		const reader = await open(url, dee.token);
		const writer = await open(url, organizer.token);
		await waitUntilLive(reader.page);
		await waitUntilLive(writer.page);

		// The newest 30 are shown; the first message is one page back.
		const log = reader.page.getByRole('log', { name: 'Messages' });
		await log.getByText('Idea number 35').waitFor();
		expect(await log.getByText('Ideas welcome.').count()).toBe(0);
		await reader.page.getByRole('button', { name: 'Show older messages' }).click();
		await log.getByText('Ideas welcome.').waitFor();

		// Edits show up live too.
		const text = `Along the river ${unique('m')}`;
		await writer.page.getByLabel('Write a message').fill(text);
		await writer.page.getByRole('button', { name: 'Send' }).click();
		await log.getByText(text).waitFor();
		const id = await writer.page.locator('li.message', { hasText: text }).getAttribute('data-message-id');
		const mine = writer.page.locator(`li[data-message-id="${id}"]`);
		await mine.getByRole('button', { name: /Edit/ }).click();
		await mine.getByLabel('Edit your message').fill(`${text} (edited)`);
		await mine.getByRole('button', { name: 'Save' }).click();
		await log.getByText(`${text} (edited)`).waitFor();
		await screenshot(reader.page, 'thread');
		expect([...reader.errors, ...writer.errors]).toEqual([]);
	});

	it('puts the next person on a full event on the waitlist with their position, and seats them live', async () => {
		const { event, people } = await community(['Holder', 'Wendy', 'Yusuf'], { capacity: 1 });
		const [holder, wendy, yusuf] = people;
		await api.rsvp(holder.token, event.id, 'YES');
		expect((await api.rsvp(wendy.token, event.id, 'YES')).waitlistPosition).toBe(1);

		const { page, errors } = await open(`${webUrl}/events/${event.id}`, yusuf.token);
		await waitUntilLive(page);
		await page.getByText('Full').first().waitFor();
		await page.getByRole('button', { name: 'Join the waitlist' }).click();
		await page.getByTestId('my-rsvp').getByText('#2').waitFor();
		expect(await page.getByTestId('my-rsvp').textContent()).toContain('You’re #2 on the waitlist');
		await waitForTestIdText(page, 'waitlist-count', '2');
		await screenshot(page, 'event-waitlisted');

		// Wendy gives up her place in the queue: Yusuf moves up without reloading.
		await markPage(page);
		await api.rsvp(wendy.token, event.id, 'NO');
		await page.getByTestId('my-rsvp').getByText('#1').waitFor();

		// The seat frees up: the waitlist is promoted and Yusuf sees he is going.
		await api.rsvp(holder.token, event.id, 'NO');
		await page.getByTestId('my-rsvp').getByText('You’re going').waitFor();
		await page.getByTestId('attendees').getByText(yusuf.name).waitFor();
		expect(await wasNotReloaded(page)).toBe(true);
		expect(errors).toEqual([]);
	});

	it('catches up after the connection drops: resubscribes and re-reads what it missed', async () => {
		const { event, people } = await community(['Pia', 'Quinn'], { capacity: 10 });
		const [pia, quinn] = people;
		// A web server of this test's own, so it can go away and come back on the same port.
		let web = await startWeb(apiUrl);
		try {
			const { page } = await open(`${web.url}/events/${event.id}`);
			await waitUntilLive(page);
			await markPage(page);

			await web.process.stop('SIGKILL');
			await page.waitForSelector('[data-live="reconnecting"]', { timeout: 15_000 });
			// Missed while offline: no update will ever arrive for these.
			await api.rsvp(pia.token, event.id, 'YES');
			await api.rsvp(quinn.token, event.id, 'YES');

			web = await startWeb(apiUrl, web.port);
			await waitUntilLive(page);
			await waitForTestIdText(page, 'going-count', '2', 30_000);
			await page.getByTestId('attendees').getByText(quinn.name).waitFor();

			// And the new subscription carries on with later changes.
			await api.rsvp(pia.token, event.id, 'NO');
			await waitForTestIdText(page, 'going-count', '1');
			expect(await wasNotReloaded(page)).toBe(true);
		} finally {
			await web.process.stop();
		}
	});
});
