import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { LogOutMutation } from '$lib/graphql/operations/viewer';
import { serverClient } from './graphql';

/** Name of the session cookie; the api reads the same one on /graphql and WebSocket upgrades. */
export const SESSION_COOKIE = 'gather_session';

/** How long the browser keeps the cookie; the api's session expires on its own (SESSION_TTL_DAYS). */
const MAX_AGE_S = 30 * 24 * 60 * 60;

/**
 * Stores the api's session token as a first-party `HttpOnly; SameSite=Lax; Path=/` cookie on the web
 * origin, `Secure` when the page came over TLS (docs/ARCHITECTURE.md, web security).
 */
export function setSession(cookies: Cookies, url: URL, token: string) {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: MAX_AGE_S
	});
}

export function clearSession(cookies: Cookies, url: URL) {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}

/**
 * Ends at the api whatever session the request's cookie names (the call carries the request's own
 * Cookie header). Logging in or signing up replaces the browser's session: the one it held before
 * (someone else's, or one an attacker planted) must not live on.
 */
export async function endRequestSession(event: Pick<RequestEvent, 'request' | 'getClientAddress' | 'cookies'>) {
	if (!event.cookies.get(SESSION_COOKIE)) return;
	await serverClient(event).mutation(LogOutMutation, {}).toPromise();
}
