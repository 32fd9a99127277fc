import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { GroupMembersQuery } from '$lib/graphql/operations/organizers';
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
