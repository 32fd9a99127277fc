import type { Actions, PageServerLoad } from './$types';
import { RequestPasswordResetMutation } from '$lib/graphql/operations/notifications';
import { apiFailure, invalid, text } from '$lib/server/forms';
import { serverClient } from '$lib/server/graphql';

export const load: PageServerLoad = () => ({});

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = text(form, 'email');
		if (!email) return invalid(form, 'Enter the email address of your account.', { email: 'Enter your email address.' });
		const result = await serverClient(event).mutation(RequestPasswordResetMutation, { email }).toPromise();
		if (result.error) return apiFailure(event, form, result.error);
		return { sent: true, email };
	}
};
