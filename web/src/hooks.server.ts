import type { Handle } from '@sveltejs/kit';
import { ViewerQuery } from '$lib/graphql/operations/viewer';
import { serverClient } from '$lib/server/graphql';
import { clearSession, SESSION_COOKIE } from '$lib/server/session';

/** Puts the signed-in person (from the session cookie, checked by the api) in `locals.viewer`. */
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
	return resolve(event);
};
