import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { MePageQuery } from '$lib/graphql/operations/viewer';
import { loginUrl } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';

export const load: PageServerLoad = async (event) => {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const { me } = pageData(await serverClient(event).query(MePageQuery, {}).toPromise(), 'Your page');
	if (!me) redirect(303, loginUrl(event.url));
	return { me };
};
