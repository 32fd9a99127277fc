import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const apiUrl = process.env.API_URL || 'http://localhost:4000';

// The browser always talks to its own origin at /graphql (and /ical/ for calendar
// files, /images/ for pictures); the dev and preview servers forward them (HTTP and WebSocket) to the api.
const proxy = {
	'/graphql': { target: apiUrl, ws: true },
	'/ical/': { target: apiUrl },
	'/images/': { target: apiUrl }
};

export default defineConfig({
	plugins: [sveltekit()],
	server: { proxy },
	preview: { proxy },
	build: {
		// GraphiQL (React + CodeMirror) is one lazily loaded chunk of about 1.5 MB, fetched only on /graphiql.
		chunkSizeWarningLimit: 2000,
		rolldownOptions: {
			// GraphiQL's dependencies mark modules "use client" (a React Server Components hint, moot here).
			checks: { moduleLevelDirective: false }
		}
	},
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'tests/*.test.ts'],
					environment: 'node'
				}
			},
			{
				// Real Chromium against the built API and web server (started once in global-setup).
				extends: true,
				test: {
					name: 'browser',
					include: ['tests/browser/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/browser/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 90_000,
					hookTimeout: 180_000
				}
			}
		]
	}
});
