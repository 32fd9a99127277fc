import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { SignUpMutation } from '$lib/graphql/operations/viewer';
import { apiFailure, invalid, safeNext, text } from '$lib/server/forms';
import { serverClient } from '$lib/server/graphql';
import { endRequestSession, setSession } from '$lib/server/session';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.viewer) redirect(303, safeNext(url.searchParams.get('next'), url.origin));
	return { next: safeNext(url.searchParams.get('next'), url.origin) };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const name = text(form, 'name');
		const email = text(form, 'email');
		const city = text(form, 'city');
		const password = form.get('password')?.toString() ?? '';
		const fields: Record<string, string> = {};
		if (!name) fields.name = 'Tell people what to call you.';
		if (!email) fields.email = 'Enter your email address.';
		if (password.length < 8) fields.password = 'Use at least 8 characters.';
		if (Object.keys(fields).length) return invalid(form, 'Please check the marked fields.', fields);

		const result = await serverClient(event)
			.mutation(SignUpMutation, { input: { name, email, password, city: city || null } })
			.toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!);
		// A fresh token from the api; the session this browser held before ends (no fixation).
		await endRequestSession(event);
		setSession(event.cookies, event.url, result.data.signUp.token);
		redirect(303, safeNext(text(form, 'next'), event.url.origin));
	}
};
