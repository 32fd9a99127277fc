import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { ResetPasswordMutation } from '$lib/graphql/operations/notifications';
import { apiFailure, invalid, text } from '$lib/server/forms';
import { serverClient } from '$lib/server/graphql';
import { setSession } from '$lib/server/session';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
	/** Sets the new password, signs in with the session it starts (every other one ended) and goes home. */
	default: async (event) => {
		const form = await event.request.formData();
		const token = text(form, 'token');
		const password = form.get('password')?.toString() ?? '';
		const confirm = form.get('confirm')?.toString() ?? '';
		if (!token) return invalid(form, 'This page needs the link from the reset email. Ask for a new one.');
		if (password.length < 8) return invalid(form, 'Choose a password of at least 8 characters.', { password: 'At least 8 characters.' });
		if (password !== confirm) return invalid(form, 'The two passwords differ.', { confirm: 'Type the same password again.' });
		const result = await serverClient(event).mutation(ResetPasswordMutation, { token, password }).toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!);
		setSession(event.cookies, event.url, result.data.resetPassword.token);
		redirect(303, '/?reset=1');
	}
};
