import type { PageServerLoad } from './$types';
import { radiusFromQuery } from '$lib/places';
import { ExploreEventsQuery, ExploreGroupsQuery, TopicsQuery } from '$lib/graphql/operations/explore';
import { serverClient } from '$lib/server/graphql';
import { exploreWhereabouts } from '$lib/server/places';
import { readDateFilter } from '$lib/date-filter';

/** How many topics the explore page offers as filters: the most used ones (the API lists at most 100). */
const TOPIC_CHIPS = 24;

/** Page sizes; `?events=N` / `?groups=N` ask for more at once (the "more" links without JavaScript). */
const EVENTS_PAGE = 12;
const GROUPS_PAGE = 12;
const count = (raw: string | null, base: number) =>
	Math.min(Math.max(Math.trunc(Number(raw)) || base, 1), 60);

export const load: PageServerLoad = async (event) => {
	const params = event.url.searchParams;
	const search = params.get('q')?.trim() || null;
	const topic = params.get('topic')?.trim() || null;
	const radiusKm = radiusFromQuery(params.get('radius'));
	const dates = readDateFilter(params);
	const client = serverClient(event);
	// Any place in the URL (`?place=<id or name>`, the old `?city=`), "near me", or the signed-in person's home place.
	const { where, unknown } = await exploreWhereabouts(client, params, Boolean(event.locals.viewer));
	const near = where ? { lat: where.lat, lng: where.lng, radiusKm } : null;

	const [topics, events, groups] = await Promise.all([
		client.query(TopicsQuery, { first: TOPIC_CHIPS }).toPromise(),
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
		filters: { search, topic, where, radiusKm, near, unknownPlace: unknown },
		dates,
		topics: topics.data?.topics ?? null,
		events: events.data?.events ?? null,
		groups: groups.data?.groups ?? null
	};
};
