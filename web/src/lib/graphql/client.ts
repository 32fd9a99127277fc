import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

/** Where the api listens when API_URL is not set. */
export const DEFAULT_API_URL = 'http://localhost:4000';

/**
 * The client used in the browser. It talks to its own origin: `/graphql` is
 * proxied to the api by the dev/preview server and by `server.js` in
 * production, for HTTP and for WebSocket subscriptions.
 */
export function createBrowserClient(): Client {
	const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
	const ws = createWsClient({
		url: wsUrl,
		lazy: true,
		retryAttempts: Infinity,
		// Retry after network errors too (api restarting), not only close events.
		shouldRetry: () => true
	});

	return new Client({
		url: '/graphql',
		// urql sends queries as GET by default; Apollo's CSRF protection refuses those.
		preferGetMethod: false,
		fetchOptions: { credentials: 'same-origin' },
		exchanges: [
			cacheExchange,
			fetchExchange,
			subscriptionExchange({
				forwardSubscription(request) {
					const input = { ...request, query: request.query ?? '' };
					return {
						subscribe(sink) {
							const unsubscribe = ws.subscribe(input, sink);
							return { unsubscribe };
						}
					};
				}
			})
		]
	});
}

let browserClient: Client | undefined;

/** One client per browser tab, created on first use. */
export function getBrowserClient(): Client {
	browserClient ??= createBrowserClient();
	return browserClient;
}

export interface ServerClientOptions {
	/** Base address of the api, e.g. http://localhost:4000 (no trailing /graphql). */
	apiUrl?: string;
	/** The incoming request's Cookie header, forwarded so the api sees the session. */
	cookie?: string | null;
	/** Give up on the api after this long (ms). */
	timeoutMs?: number;
	fetch?: typeof fetch;
}

/**
 * A client for one server-side load: a fresh one per request so that nothing
 * (cache, cookies) leaks between users.
 */
export function createServerClient(options: ServerClientOptions = {}): Client {
	const apiUrl = (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, '');
	const fetchImpl = options.fetch ?? fetch;
	const timeoutMs = options.timeoutMs ?? 10_000;
	const headers: Record<string, string> = {};
	if (options.cookie) headers.cookie = options.cookie;

	return new Client({
		url: `${apiUrl}/graphql`,
		preferGetMethod: false,
		requestPolicy: 'network-only',
		fetchOptions: { headers },
		fetch: (input, init) => {
			const timeout = AbortSignal.timeout(timeoutMs);
			const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
			return fetchImpl(input, { ...init, signal });
		},
		exchanges: [fetchExchange]
	});
}
