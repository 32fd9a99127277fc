import type { Handle } from '@sveltejs/kit';
import { ViewerQuery } from '$lib/graphql/operations/viewer';
import { serverClient } from '$lib/server/graphql';
import { withSecurityHeaders } from '$lib/server/security-headers';
import { clearSession, SESSION_COOKIE } from '$lib/server/session';

/**
 * Puts the signed-in person (from the session cookie, checked by the api) in `locals.viewer`, and
 * adds the security headers to every response.
 */
export const handle: Handle = async ({ event, resolve }) => {
	event.locals.viewer = null;
	if (event.cookies.get(SESSION_COOKIE)) {
		const result = await serverClient(event).query(ViewerQuery, {}).toPromise();
		if (result.data?.me) {
			event.locals.viewer = { id: result.data.me.id, name: result.data.me.name, unread: result.data.me.unreadNotificationCount };
		} else if (result.data && !result.error) {
			// The api no longer knows this session (expired or logged out elsewhere).
			clearSession(event.cookies, event.url);
		}
	}
	return withSecurityHeaders(await resolve(event), event.url.protocol === 'https:');
};
