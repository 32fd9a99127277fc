import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const apiUrl = process.env.API_URL || 'http://localhost:4000';

// The browser always talks to its own origin at /graphql; the dev and preview
// servers forward it (HTTP and WebSocket) to the api.
const proxy = {
	'/graphql': { target: apiUrl, ws: true }
};

export default defineConfig({
	plugins: [sveltekit()],
	server: { proxy },
	preview: { proxy },
	test: {
		include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
		environment: 'node'
	}
});
