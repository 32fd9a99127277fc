import type { Page } from 'playwright-core';

/**
 * Watches a page for signs that an attack ran: any dialog (alert/confirm/prompt, dismissed at once),
 * any Content-Security-Policy violation (the `securitypolicyviolation` event, Chromium's console
 * report, and the report the page posts to /csp-report), and calls to `window.__pwned` that the
 * payloads make.
 */
export interface AttackWatch {
	dialogs: string[];
	/** CSP violations reported on the console or to /csp-report, across navigations. */
	consoleViolations: string[];
	/** Everything caught so far, including the current document's violation events and __pwned calls. */
	caught(): Promise<string[]>;
}

export async function watchAttacks(page: Page): Promise<AttackWatch> {
	const dialogs: string[] = [];
	const consoleViolations: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss().catch(() => undefined);
	});
	page.on('request', (request) => {
		if (new URL(request.url()).pathname === '/csp-report') consoleViolations.push(`report: ${request.postData() ?? ''}`);
	});
	page.on('console', (message) => {
		if (/Content Security Policy|Refused to/i.test(message.text())) consoleViolations.push(message.text());
	});
	await page.addInitScript(() => {
		const w = window as unknown as { __caught: string[]; __pwned: (what: string) => void };
		w.__caught = [];
		w.__pwned = (what) => w.__caught.push(`ran: ${what}`);
		document.addEventListener('securitypolicyviolation', (e) =>
			w.__caught.push(`csp: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`)
		);
	});
	return {
		dialogs,
		consoleViolations,
		async caught() {
			const here = await page
				.evaluate(() => (window as unknown as { __caught?: string[] }).__caught ?? [])
				.catch(() => [] as string[]);
			return [...dialogs.map((d) => `dialog ${d}`), ...consoleViolations, ...here];
		}
	};
}
