import type { TestProject } from 'vitest/node';
import { chromiumPath, startStack, type Stack } from './stack';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Addresses of the API and web server the browser tests drive; null when they are skipped. */
		stack: { apiUrl: string; webUrl: string; mailDir?: string } | null;
	}
}

let stack: Stack | null = null;

/** Starts the API and the web server once for every browser test file (when Chromium is there). */
export async function setup(project: TestProject) {
	if (!chromiumPath()) {
		project.provide('stack', null);
		return;
	}
	stack = await startStack();
	project.provide('stack', { apiUrl: stack.apiUrl, webUrl: stack.webUrl, mailDir: stack.mailDir });
}

export async function teardown() {
	await stack?.stop();
}
