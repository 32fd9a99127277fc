import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { ChangePasswordMutation, SaveNotificationSettingsMutation, SettingsPageQuery } from '$lib/graphql/operations/notifications';
import type { NotificationKind } from '$lib/graphql/generated/graphql';
import { apiFailure, invalid, loginUrl } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';

export const load: PageServerLoad = async (event) => {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const { me } = pageData(await serverClient(event).query(SettingsPageQuery, {}).toPromise(), 'Settings');
	if (!me) redirect(303, loginUrl(event.url));
	return { me };
};

export const actions: Actions = {
	/** Every kind's two checkboxes; an unchecked box is absent from the form, so it means off. */
	notifications: async (event) => {
		const form = await event.request.formData();
		const kinds = form.getAll('kind').map(String) as NotificationKind[];
		const settings = kinds.map((kind) => ({ kind, inApp: form.has(`inApp:${kind}`), email: form.has(`email:${kind}`) }));
		const result = await serverClient(event).mutation(SaveNotificationSettingsMutation, { settings }).toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'notifications');
		return { form: 'notifications', saved: true };
	},
	password: async (event) => {
		const form = await event.request.formData();
		const current = form.get('current')?.toString() ?? '';
		const password = form.get('password')?.toString() ?? '';
		const confirm = form.get('confirm')?.toString() ?? '';
		if (!current) return invalid(form, 'Enter your current password.', { current: 'Enter your current password.' }, 'password');
		if (password.length < 8) return invalid(form, 'Choose a new password of at least 8 characters.', { password: 'At least 8 characters.' }, 'password');
		if (password !== confirm) return invalid(form, 'The two new passwords differ.', { confirm: 'Type the same password again.' }, 'password');
		const result = await serverClient(event).mutation(ChangePasswordMutation, { current, password }).toPromise();
		if (result.error) {
			const failure = apiFailure(event, form, result.error, 'password');
			return failure.data.fields.current ? fail(400, { ...failure.data, message: 'That is not your current password.' }) : failure;
		}
		return { form: 'password', saved: true };
	}
};
