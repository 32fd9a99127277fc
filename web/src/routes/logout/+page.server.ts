import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { clearSession, endRequestSession } from '$lib/server/session';

// Logging out is a POST (the header's button); a plain visit just goes home.
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		// Ends the session at the api too, so the token is dead even if copied.
		await endRequestSession(event);
		clearSession(event.cookies, event.url);
		redirect(303, '/');
	}
};
