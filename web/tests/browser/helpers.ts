import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { Api } from './api';
import { chromiumPath, repoRoot } from './stack';

/** Flags for Debian's Chromium in a container: no sandbox, no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

export function launchBrowser(): Promise<Browser> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error('Chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH).');
	return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Whether the browser tests must run (CI): then a missing Chromium fails them instead of skipping. */
export const requireAll = process.env.REQUIRE_ALL === '1';

/** The API and web server that global-setup started; a clear failure when there are none. */
export function requireStack(stack: { apiUrl: string; webUrl: string } | null) {
	if (stack) return stack;
	throw new Error(
		chromiumPath()
			? 'The browser test stack did not start; see the global setup error above.'
			: `REQUIRE_ALL=1 but there is no Chromium at ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'} (apt-get install -y chromium).`
	);
}

/** Skip the browser tests when Chromium is absent (saying so), unless REQUIRE_ALL=1. */
export function skipBrowserTests(): boolean {
	if (chromiumPath() || requireAll) return false;
	console.warn(
		`Browser tests skipped: no Chromium at ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'} ` +
			'(apt-get install -y chromium, or set CHROMIUM_PATH; REQUIRE_ALL=1 makes this a failure).'
	);
	return true;
}

const screenshotDir = join(repoRoot, 'web/test-results/screenshots');

/** Saves a full-page screenshot under web/test-results/screenshots/ (kept by CI). */
export async function screenshot(page: Page, name: string) {
	mkdirSync(screenshotDir, { recursive: true });
	await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	nodes: string[];
}

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
	return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Runs axe-core on the page; returns every violation, whatever its impact. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
	// Evaluated by the test driver, not added as an inline <script>: the page's CSP forbids those.
	await page.evaluate(axeSource);
	const violations = await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
		const result = await axe.run(document, { resultTypes: ['violations'] });
		return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
	});
	return violations;
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export function horizontalOverflow(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

export const PHONE: BrowserContextOptions = {
	viewport: { width: 390, height: 844 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true
};

/** Signs up through the web form; ends on the page `next` names. */
export async function signUpInBrowser(page: Page, webUrl: string, person: { name: string; email: string; password: string }, next = '/') {
	await page.goto(`${webUrl}/signup?next=${encodeURIComponent(next)}`);
	await page.getByLabel('Your name').fill(person.name);
	await page.getByLabel('Email').fill(person.email);
	await page.getByLabel('Password').fill(person.password);
	await Promise.all([page.waitForURL((url) => url.pathname === next), page.getByRole('button', { name: 'Create account' }).click()]);
}

/** Logs in through the web form. */
export async function logInInBrowser(page: Page, webUrl: string, email: string, password: string, next = '/me') {
	await page.goto(`${webUrl}/login?next=${encodeURIComponent(next)}`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await Promise.all([page.waitForURL((url) => url.pathname === next), page.getByRole('button', { name: 'Log in' }).click()]);
}

/** Opens `url` and waits until the app has hydrated (enhanced forms and live views are running). */
export async function gotoReady(page: Page, url: string) {
	await page.goto(url);
	await page.waitForSelector('html[data-hydrated]', { timeout: 15_000 });
}

/** Waits until a live view on the page has subscribed and re-read its data. */
export async function waitUntilLive(page: Page, count = 1) {
	await page.waitForFunction((n) => document.querySelectorAll('[data-live="live"]').length >= n, count, { timeout: 15_000 });
}

/** Waits until the element with `data-testid=testId` reads exactly `text` (trimmed). */
export async function waitForTestIdText(page: Page, testId: string, text: string, timeout = 15_000) {
	await page.waitForFunction(
		([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === want,
		[testId, text] as const,
		{ timeout }
	);
}

/** Puts a session on a browser context without going through the form (for people set up via the API). */
export async function signInContext(context: import('playwright-core').BrowserContext, webUrl: string, token: string) {
	await context.addCookies([{ name: 'gather_session', value: token, url: webUrl, httpOnly: true, sameSite: 'Lax' }]);
}

/** Marks the page so a later check can prove it was not reloaded. */
export async function markPage(page: Page) {
	await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
}

export async function wasNotReloaded(page: Page): Promise<boolean> {
	return page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded === true);
}

/** What a browser test file works with: the stack's addresses, an Api, and pages in fresh contexts. */
export interface BrowserSuite {
	api: Api;
	webUrl: string;
	/** A page in a new context (1280×900, Oslo time, changed by `options`), signed in as `token`'s person when given. */
	open(token?: string, options?: BrowserContextOptions): Promise<Page>;
}

/** Starts Chromium before the file's tests (against the stack global-setup started) and closes it and every context after. */
export function browserSuite(): BrowserSuite {
	let browser: Browser | undefined;
	const contexts: BrowserContext[] = [];
	const suite: BrowserSuite = {
		api: new Api(''),
		webUrl: '',
		async open(token, options = {}) {
			const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Oslo', ...options });
			contexts.push(context);
			if (token) await signInContext(context, suite.webUrl, token);
			return context.newPage();
		}
	};
	beforeAll(async () => {
		const stack = requireStack(inject('stack'));
		suite.api = new Api(stack.apiUrl);
		suite.webUrl = stack.webUrl;
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
	});
	return suite;
}
