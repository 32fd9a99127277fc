import type { LayoutServerLoad } from './$types';
import { PendingRequestsQuery } from '$lib/graphql/operations/organizers';
import { serverClient } from '$lib/server/graphql';

export const load: LayoutServerLoad = async (event) => {
	const viewer = event.locals.viewer;
	// Join requests waiting in the groups the viewer organizes: the header's badge (0 when the api cannot say).
	const pending = viewer
		? ((await serverClient(event).query(PendingRequestsQuery, {}).toPromise()).data?.me?.pendingRequestCount ?? 0)
		: 0;
	return { viewer, pendingRequests: pending };
};
