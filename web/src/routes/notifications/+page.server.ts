import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { MarkNotificationsReadMutation, NotificationsPageQuery } from '$lib/graphql/operations/notifications';
import { apiFailure, loginUrl, text } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';

export const load: PageServerLoad = async (event) => {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const after = event.url.searchParams.get('after');
	const { me } = pageData(await serverClient(event).query(NotificationsPageQuery, { first: 30, after }).toPromise(), 'Notifications');
	if (!me) redirect(303, loginUrl(event.url));
	return { me, paged: after !== null };
};

/** Marks one notification (`id`) or all of them read; plain forms, so it works without JavaScript. */
export const actions: Actions = {
	read: async (event) => {
		const form = await event.request.formData();
		const id = text(form, 'id');
		const result = await serverClient(event)
			.mutation(MarkNotificationsReadMutation, id ? { ids: [id] } : { all: true })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error);
		const go = text(form, 'go');
		if (go.startsWith('/') && !go.startsWith('//')) redirect(303, go);
		return { ok: true };
	}
};
