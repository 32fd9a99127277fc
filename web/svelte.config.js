import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The Content-Security-Policy of every page (docs/ARCHITECTURE.md, web security). SvelteKit adds a
 * fresh nonce (a hash on prerendered pages) for its own inline start-up script, so no other inline
 * script runs. The browser talks only to its own origin: /graphql over HTTP and WebSocket ('self'
 * covers ws:/wss: to the same host), proxied by server.js. Style attributes stay allowed for the
 * app shell's `display: contents` wrapper and the explorer's editor; style elements come from 'self'.
 * GraphiQL's extra allowance, if any, is added for /graphiql alone in hooks.server.ts.
 */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	'style-src': ['self'],
	'style-src-attr': ['unsafe-inline'],
	'img-src': ['self', 'data:'],
	'font-src': ['self', 'data:'],
	'connect-src': ['self'],
	'worker-src': ['none'],
	'object-src': ['none'],
	'base-uri': ['none'],
	'form-action': ['self'],
	'frame-ancestors': ['none'],
	// What the policy blocks is reported to the web server, which logs it (src/routes/csp-report).
	'report-uri': ['/csp-report']
};

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		csp: { mode: 'auto', directives: CSP_DIRECTIVES }
	}
};

export default config;
