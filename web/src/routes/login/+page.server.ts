import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { LogInMutation } from '$lib/graphql/operations/viewer';
import { apiFailure, invalid, safeNext, text } from '$lib/server/forms';
import { errorCode, serverClient } from '$lib/server/graphql';
import { endRequestSession, setSession } from '$lib/server/session';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.viewer) redirect(303, safeNext(url.searchParams.get('next'), url.origin));
	return { next: safeNext(url.searchParams.get('next'), url.origin) };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = text(form, 'email');
		const password = form.get('password')?.toString() ?? '';
		if (!email || !password) {
			return invalid(form, 'Enter your email and password.', {
				...(email ? {} : { email: 'Enter your email address.' }),
				...(password ? {} : { password: 'Enter your password.' })
			});
		}
		const result = await serverClient(event)
			.mutation(LogInMutation, { input: { email, password } })
			.toPromise();
		// A wrong email or password is UNAUTHENTICATED: say so here, rather than sending the person to log in again.
		if (result.error && errorCode(result.error) === 'UNAUTHENTICATED') {
			return invalid(form, 'That email and password don’t match. Check them and try again.', { password: 'Check your password.' });
		}
		if (result.error || !result.data) return apiFailure(event, form, result.error!);
		// A fresh token from the api; the session this browser held before ends (no fixation).
		await endRequestSession(event);
		setSession(event.cookies, event.url, result.data.logIn.token);
		redirect(303, safeNext(text(form, 'next'), event.url.origin));
	}
};
