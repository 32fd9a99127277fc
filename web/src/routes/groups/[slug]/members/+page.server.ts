import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { BanFromGroupMutation } from '$lib/graphql/operations/manage';
import { GroupMembersQuery } from '$lib/graphql/operations/organizers';
import { apiFailure, loginUrl, text } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';

/** Members shown per page. */
const PAGE = 24;

export const load: PageServerLoad = async (event) => {
	const search = event.url.searchParams.get('q')?.trim().slice(0, 100) ?? '';
	const after = event.url.searchParams.get('after') || null;
	const result = await serverClient(event)
		.query(GroupMembersQuery, { slug: event.params.slug, search: search || null, first: PAGE, after })
		.toPromise();
	const { group } = pageData(result, 'Group');
	if (!group) error(404, 'Group not found.');
	return { group, search, paged: after !== null };
};

/** The members page at the list the form was sent from (its search and page kept), with `extra` added. */
function listUrl(event: { url: URL }, form: FormData, extra: Record<string, string>): string {
	const params = new URLSearchParams();
	for (const key of ['q', 'after']) if (text(form, key)) params.set(key, text(form, key));
	for (const [key, value] of Object.entries(extra)) params.set(key, value);
	return `${event.url.pathname}?${params}`;
}

export const actions: Actions = {
	ban: async (event) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const userId = text(form, 'userId');
		// Banning is asked for twice (?ban=<user id>), with and without JavaScript; the API decides who may.
		if (text(form, 'confirm') !== 'yes') redirect(303, listUrl(event, form, { ban: userId }));
		const result = await serverClient(event)
			.mutation(BanFromGroupMutation, { groupId: text(form, 'groupId'), userId })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'ban');
		redirect(303, listUrl(event, form, { banned: '1' })); // post-redirect-get, also clears ?ban=
	}
};
