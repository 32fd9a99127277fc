import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

/** Where the api listens when API_URL is not set. */
export const DEFAULT_API_URL = 'http://localhost:4000';

/** Whether the browser's WebSocket to the api is up, and whether it came back after a drop. */
export interface ConnectionState {
	connected: boolean;
	/** True when this connection replaced one that dropped: live views must re-read what they show. */
	wasRetry: boolean;
}

type ConnectionListener = (state: ConnectionState) => void;
const connectionListeners = new Set<ConnectionListener>();
let socketConnected = false;

/** Whether the live WebSocket is connected right now. */
export function isSocketConnected(): boolean {
	return socketConnected;
}

/** Calls `listener` whenever the live WebSocket connects or drops; returns the unsubscriber. */
export function onConnectionChange(listener: ConnectionListener): () => void {
	connectionListeners.add(listener);
	return () => connectionListeners.delete(listener);
}

function emitConnection(state: ConnectionState) {
	socketConnected = state.connected;
	for (const listener of connectionListeners) listener(state);
}

/** Waits before reconnecting: 0.5 s, 1 s, 2 s … up to 8 s, plus up to 0.5 s of jitter. */
export function retryDelayMs(retries: number, random = Math.random): number {
	return Math.min(500 * 2 ** retries, 8000) + Math.floor(random() * 500);
}

/**
 * The client used in the browser. It talks to its own origin: `/graphql` is
 * proxied to the api by the dev/preview server and by `server.js` in
 * production, for HTTP and for WebSocket subscriptions (the session cookie
 * goes along on both, first-party).
 */
export function createBrowserClient(): Client {
	const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
	const ws = createWsClient({
		url: wsUrl,
		lazy: true,
		retryAttempts: Infinity,
		// Retry after network errors too (api restarting), not only close events.
		shouldRetry: () => true,
		retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
		on: {
			connected: (_socket, _payload, wasRetry) => emitConnection({ connected: true, wasRetry }),
			closed: () => emitConnection({ connected: false, wasRetry: false })
		}
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
	/** The browser's address, passed on as X-Forwarded-For (per-address rate limits). */
	clientAddress?: string | null;
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
	if (options.clientAddress) headers['x-forwarded-for'] = options.clientAddress;

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
