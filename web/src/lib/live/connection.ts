import { isSocketConnected, onConnectionChange } from '$lib/graphql/client';

/**
 * Resolves once the live WebSocket is connected (at once if it is), or after `timeoutMs` anyway
 * so that a page still re-reads its data when WebSockets are blocked.
 */
export function whenConnected(timeoutMs = 4000): Promise<void> {
	if (isSocketConnected()) return Promise.resolve();
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			off();
			resolve();
		};
		const timer = setTimeout(done, timeoutMs);
		const off = onConnectionChange(({ connected }) => {
			if (connected) done();
		});
	});
}

/** How a live view is doing: still starting, live, or waiting for the connection to come back. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

/**
 * Runs `read` whenever a live view must re-read what it shows: once the subscription's socket is up
 * at the start (subscribe, then read), and again after every reconnection. Calls `onStatus` as the
 * connection drops and returns. Returns the stopper.
 */
export function followConnection(
	read: () => void,
	onStatus: (connected: boolean) => void
): () => void {
	let stopped = false;
	// A beat after the socket is up, so the subscribe message is on its way before we read.
	whenConnected().then(() => setTimeout(() => !stopped && read(), 50));
	const off = onConnectionChange(({ connected, wasRetry }) => {
		onStatus(connected);
		if (connected && wasRetry) setTimeout(() => !stopped && read(), 50);
	});
	return () => {
		stopped = true;
		off();
	};
}
