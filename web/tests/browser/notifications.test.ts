import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api, unique } from './api';
import { gotoReady, launchBrowser, markPage, requireStack, signInContext, skipBrowserTests, waitForTestIdText, wasNotReloaded } from './helpers';

/** The bell (live unread count, notifications page) and password reset by email, without JavaScript. */
describe.skipIf(skipBrowserTests())('notifications and password reset', () => {
	let browser: Browser;
	let api: Api;
	let webUrl: string;
	let mailDir: string;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		({ webUrl } = stack);
		mailDir = inject('stack')!.mailDir!;
		api = new Api(stack.apiUrl);
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
	});

	async function open(url: string, options: { token?: string; javaScript?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: options.javaScript ?? true });
		contexts.push(context);
		if (options.token) await signInContext(context, webUrl, options.token);
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		if (options.javaScript === false) await page.goto(url);
		else await gotoReady(page, url);
		return { page, errors };
	}

	/** The text of the newest email the API wrote for `to` (quoted-printable undone), once it is there. */
	async function mailTo(to: string, timeoutMs = 15_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const file = readdirSync(mailDir).filter((f) => f.endsWith(`${to}.eml`)).sort().pop();
			if (file) return readFileSync(join(mailDir, file), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
			await new Promise((r) => setTimeout(r, 200));
		}
		throw new Error(`no email to ${to} within ${timeoutMs} ms`);
	}

	it('rings the bell live when something happens, lists it, and marks it read', async () => {
		const organizer = await api.person('Olivia Organizer');
		const group = await api.group(organizer.token);
		const member = await api.person(`Mia ${unique('m').slice(-4)}`);
		await api.join(member.token, group.id);
		const { page, errors } = await open(`${webUrl}/`, { token: member.token });
		const bell = page.getByTestId('bell');
		await expect(bell.getAttribute('aria-label')).resolves.toBe('Notifications');
		await markPage(page);
		await page.waitForTimeout(500); // the subscription is on its way
		const event = await api.event(organizer.token, group.id, { title: 'Lantern walk by the river' });
		await waitForTestIdText(page, 'unread-count', '1');
		expect(await bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
		expect(await wasNotReloaded(page)).toBe(true);

		await Promise.all([page.waitForURL((u) => u.pathname === '/notifications'), bell.click()]);
		const item = page.getByTestId('notifications').getByRole('listitem').first();
		await expect(item.textContent()).resolves.toContain('Lantern walk by the river');
		await Promise.all([page.waitForURL((u) => u.pathname === `/events/${event.id}`), item.getByRole('button').first().click()]);
		await page.waitForFunction(() => !document.querySelector('[data-testid="unread-count"]'), undefined, { timeout: 10_000 });
		expect(errors).toEqual([]);
	});

	it('resets a forgotten password by email, without JavaScript, and ends the other sessions', async () => {
		const person = await api.person('Rosa Reset');
		const { page } = await open(`${webUrl}/login`, { javaScript: false });
		await page.getByRole('link', { name: 'Forgot your password?' }).click();
		await page.getByLabel('Email').fill(person.email);
		await page.getByRole('button', { name: 'Email me a link' }).click();
		await expect(page.getByRole('status').textContent()).resolves.toContain(person.email);

		const mail = await mailTo(person.email);
		const link = /(\/reset\?token=[A-Za-z0-9_-]+)/.exec(mail)![1];
		await page.goto(`${webUrl}${link}`);
		await page.getByLabel('New password', { exact: true }).fill('lanterns and tea');
		await page.getByLabel('New password again').fill('lanterns and tea');
		await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: 'Set password and log in' }).click()]);
		await expect(page.getByRole('link', { name: /Rosa Reset/ }).count()).resolves.toBe(1);

		// The old session (from sign-up) is over; the link works once; the new password logs in.
		await expect(api.gql('{ me { id } }', {}, person.token)).rejects.toThrow(/session/i);
		await page.goto(`${webUrl}${link}`);
		await page.getByLabel('New password', { exact: true }).fill('another secret here');
		await page.getByLabel('New password again').fill('another secret here');
		await page.getByRole('button', { name: 'Set password and log in' }).click();
		await expect(page.getByRole('alert').textContent()).resolves.toMatch(/expired or was already used/);
		const login = await api.gql(`mutation($input: LogInInput!) { logIn(input: $input) { user { id } } }`, { input: { email: person.email, password: 'lanterns and tea' } });
		expect(login.logIn.user.id).toBe(person.id);
	});
});
