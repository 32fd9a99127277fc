import type { PageServerLoad } from './$types';
import { CITIES, NEAR_RADIUS_KM, placeFromQuery } from '$lib/cities';
import { ExploreEventsQuery, ExploreGroupsQuery, TopicsQuery } from '$lib/graphql/operations/explore';
import { serverClient } from '$lib/server/graphql';
import { readDateFilter } from '$lib/date-filter';

/** Page sizes; `?events=N` / `?groups=N` ask for more at once (the "more" links without JavaScript). */
const EVENTS_PAGE = 12;
const GROUPS_PAGE = 12;
const count = (raw: string | null, base: number) =>
	Math.min(Math.max(Math.trunc(Number(raw)) || base, 1), 60);

export const load: PageServerLoad = async (event) => {
	const params = event.url.searchParams;
	const search = params.get('q')?.trim() || null;
	const topic = params.get('topic')?.trim() || null;
	const place = placeFromQuery(params);
	const near = place ? { lat: place.lat, lng: place.lng, radiusKm: NEAR_RADIUS_KM } : null;
	const dates = readDateFilter(params);
	const client = serverClient(event);

	const [topics, events, groups] = await Promise.all([
		client.query(TopicsQuery, {}).toPromise(),
		client
			.query(ExploreEventsQuery, {
				filter: { search, topic, near, startsAfter: dates.startsAfter, startsBefore: dates.startsBefore },
				first: count(params.get('events'), EVENTS_PAGE)
			})
			.toPromise(),
		client
			.query(ExploreGroupsQuery, {
				search,
				topic,
				near,
				first: count(params.get('groups'), GROUPS_PAGE)
			})
			.toPromise()
	]);
	for (const [what, result] of [
		['topics', topics],
		['events', events],
		['groups', groups]
	] as const) {
		if (result.error) console.error(`[explore] ${what}: ${result.error.message}`);
	}

	return {
		filters: { search, topic, place, near },
		dates,
		cities: CITIES.map((c) => c.name),
		topics: topics.data?.topics ?? null,
		events: events.data?.events ?? null,
		groups: groups.data?.groups ?? null
	};
};
