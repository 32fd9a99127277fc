import type { Cookies } from '@sveltejs/kit';

/** Name of the session cookie; the api reads the same one on /graphql and WebSocket upgrades. */
export const SESSION_COOKIE = 'gather_session';

/** How long the browser keeps the cookie; the api's session expires on its own (SESSION_TTL_DAYS). */
const MAX_AGE_S = 30 * 24 * 60 * 60;

/** Stores the api's session token as a first-party HttpOnly, SameSite=Lax cookie on the web origin. */
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
