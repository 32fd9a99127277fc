import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { Api, unique } from './api';
import { horizontalOverflow, launchBrowser, PHONE, requireStack, screenshot, seriousViolations, signInContext, skipBrowserTests } from './helpers';

/**
 * Cover pictures: an organizer uploads one on the manage page (and an event's on its edit page, without
 * JavaScript), and it shows on the group's card and page and the event's card and page, at desktop size and on a
 * 390 px phone, without accessibility violations. A fake picture is refused with a sentence.
 */
describe.skipIf(skipBrowserTests())('pictures', () => {
	let browser: Browser;
	let api: Api;
	let webUrl: string;
	let word: string;
	let organizer: Awaited<ReturnType<Api['person']>>;
	let group: Awaited<ReturnType<Api['group']>>;
	let event: Awaited<ReturnType<Api['event']>>;

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		api = new Api(stack.apiUrl);
		webUrl = stack.webUrl;
		browser = await launchBrowser();
		word = `Kite${unique('w').replace(/[^a-z0-9]/gi, '').slice(-8)}`;
		organizer = await api.person('Olivia Organizer');
		group = await api.group(organizer.token, { name: `Lantern painters ${word}` });
		event = await api.event(organizer.token, group.id, { title: `Painting night ${word}` });
	});
	afterAll(async () => {
		await browser?.close();
	});

	/** A real PNG, drawn by Chromium itself (a gradient with a sun). */
	async function drawnPng(width: number, height: number, colours: string): Promise<Buffer> {
		const context = await browser.newContext({ viewport: { width, height } });
		const page = await context.newPage();
		await page.setContent(
			`<body style="margin:0"><div style="width:${width}px;height:${height}px;background:linear-gradient(135deg,${colours})">` +
				`<div style="position:relative;left:60%;top:20%;width:25%;aspect-ratio:1;border-radius:50%;background:#ffd54a"></div></div></body>`
		);
		const png = await page.screenshot({ clip: { x: 0, y: 0, width, height } });
		await context.close();
		return png;
	}

	async function signedIn(options: BrowserContextOptions = {}) {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
		await signInContext(context, webUrl, organizer.token);
		return context;
	}

	/** The image at `selector` has loaded from a content-hashed /images/ URL. */
	async function expectLoaded(page: Page, selector: string) {
		const img = page.locator(selector).first();
		await img.scrollIntoViewIfNeeded();
		await expect
			.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), { timeout: 10_000 })
			.toBe(true);
		expect(await img.evaluate((el: HTMLImageElement) => el.currentSrc)).toMatch(/\/images\/[0-9a-f-]{36}\/\w+\.[0-9a-f]{16}\.webp$/);
	}

	async function expectNoViolations(page: Page, name: string) {
		expect((await seriousViolations(page)).map((v) => `${name}: ${v.id} ${v.help} — ${v.nodes.join(', ')}`)).toEqual([]);
	}

	it('an organizer uploads a group cover on the manage page (a fake one is refused), seen on the card and the page', async () => {
		const context = await signedIn();
		const page = await context.newPage();
		await page.goto(`${webUrl}/groups/${group.slug}/manage`);
		await expect.poll(() => page.getByText('No cover picture yet').count(), { timeout: 15_000 }).toBe(1);
		await expectNoViolations(page, 'manage without cover');

		await page.setInputFiles('#cover-image', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some text, not a picture') });
		await page.getByRole('button', { name: 'Upload picture' }).click();
		await expect.poll(() => page.getByRole('alert').filter({ hasText: 'not a picture we can read' }).count(), { timeout: 15_000 }).toBe(1);

		await page.setInputFiles('#cover-image', { name: 'lanterns.png', mimeType: 'image/png', buffer: await drawnPng(1200, 675, '#1e3a8a,#c026d3') });
		await page.getByRole('button', { name: 'Upload picture' }).click();
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Cover picture saved.' }).count(), { timeout: 15_000 }).toBe(1);
		await expectLoaded(page, '.cover-form img');
		expect(await page.getByRole('button', { name: 'Replace picture' }).count()).toBe(1);
		await expectNoViolations(page, 'manage with cover');
		await screenshot(page, 'desktop-pictures-manage');

		await page.goto(`${webUrl}/groups/${group.slug}`);
		await expectLoaded(page, '.cover img');
		await expectNoViolations(page, 'group page');
		await screenshot(page, 'desktop-pictures-group');

		await page.goto(`${webUrl}/?q=${word}`);
		await expectLoaded(page, '.group-card img');
		await expectNoViolations(page, 'explore');
		await screenshot(page, 'desktop-pictures-explore');
		await context.close();
	});

	it("an event's cover is uploaded without JavaScript and shows on the event's card and page", async () => {
		const noJs = await signedIn({ javaScriptEnabled: false });
		const form = await noJs.newPage();
		await form.goto(`${webUrl}/events/${event.id}/edit`);
		await form.setInputFiles('#cover-image', { name: 'night.png', mimeType: 'image/png', buffer: await drawnPng(1000, 600, '#0f172a,#f97316') });
		await form.getByRole('button', { name: 'Upload picture' }).click();
		await form.waitForLoadState('load');
		expect(await form.getByRole('status').filter({ hasText: 'Cover picture saved.' }).count()).toBe(1);
		await expectLoaded(form, '.cover-form img');
		await noJs.close();

		const context = await signedIn();
		const page = await context.newPage();
		await page.goto(`${webUrl}/events/${event.id}/edit`);
		await expectLoaded(page, '.cover-form img');
		await expectNoViolations(page, 'event edit');
		await page.goto(`${webUrl}/events/${event.id}`);
		await expectLoaded(page, '.cover img');
		await expectNoViolations(page, 'event page');
		await page.goto(`${webUrl}/?q=${word}`);
		await expectLoaded(page, '.event-card img');
		await context.close();
	});

	it('on a 390 px phone the covers fit without sideways scrolling', async () => {
		const phone = await signedIn(PHONE);
		const page = await phone.newPage();
		for (const [name, path, selector] of [
			['explore', `/?q=${word}`, '.group-card img'],
			['group', `/groups/${group.slug}`, '.cover img'],
			['event', `/events/${event.id}`, '.cover img'],
			['manage', `/groups/${group.slug}/manage`, '.cover-form img']
		] as const) {
			await page.goto(`${webUrl}${path}`);
			await expectLoaded(page, selector);
			expect(await horizontalOverflow(page), name).toBe(0);
			await page.evaluate(() => window.scrollTo(0, 0));
			await screenshot(page, `phone-pictures-${name}`);
		}
		await phone.close();
	});

	it('removing the cover brings back the letter on the card', async () => {
		const context = await signedIn();
		const page = await context.newPage();
		await page.goto(`${webUrl}/groups/${group.slug}/manage`);
		await page.getByRole('button', { name: 'Remove picture' }).click();
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Cover picture removed.' }).count(), { timeout: 15_000 }).toBe(1);
		await page.goto(`${webUrl}/?q=${word}`);
		const card = page.locator('.group-card', { hasText: group.name });
		expect(await card.locator('img').count()).toBe(0);
		expect(await card.locator('.mark').textContent()).toBe('L');
		await context.close();
	});
});
