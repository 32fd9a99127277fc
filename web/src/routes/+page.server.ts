import type { PageServerLoad } from './$types';
import { HomeTopicsQuery } from '$lib/graphql/operations/topics';
import { serverClient } from '$lib/server/graphql';

export const load: PageServerLoad = async (event) => {
	const result = await serverClient(event).query(HomeTopicsQuery, {}).toPromise();

	if (result.error || !result.data) {
		console.error('[home] loading topics failed:', result.error?.message ?? 'no data');
		return { topics: [], unavailable: true };
	}

	return { topics: result.data.topics, unavailable: false };
};
