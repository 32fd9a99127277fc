import type { Client } from '@urql/core';
import { HomePlaceQuery, PlaceByIdQuery, PlacesQuery } from '$lib/graphql/operations/places';
import { placeLabel, pointFromQuery, type PlaceResult, type Whereabouts } from '$lib/places';

/** A place from a link or a typed name: a gazetteer id ("2657896"), else the best match for the text. */
export async function findPlace(client: Client, raw: string | null | undefined): Promise<PlaceResult | null> {
	const text = raw?.trim().slice(0, 100);
	if (!text) return null;
	if (/^\d{1,10}$/.test(text)) {
		const byId = await client.query(PlaceByIdQuery, { id: text }).toPromise();
		if (byId.data?.place) return byId.data.place;
	}
	const found = await client.query(PlacesQuery, { search: text, first: 1 }).toPromise();
	if (found.error) console.error(`[places] ${found.error.message}`);
	return found.data?.places[0] ?? null;
}

/**
 * Where explore searches around, from its URL: a named place (`?place=<id or name>`, or the old `?city=`) wins;
 * else "near me" (`?lat=&lng=`); else an explicit `?place=` (blank) means anywhere; else the signed-in
 * person's home place. `unknown` is the text of a place that was asked for but not found.
 */
export async function exploreWhereabouts(
	client: Client,
	params: URLSearchParams,
	signedIn: boolean
): Promise<{ where: Whereabouts | null; unknown: string | null }> {
	const named = params.get('place')?.trim() || params.get('city')?.trim();
	if (named) {
		const place = await findPlace(client, named);
		if (!place) return { where: null, unknown: named };
		return { where: { label: placeLabel(place), ...place.location, id: place.id, source: 'place' }, unknown: null };
	}
	const point = pointFromQuery(params);
	if (point) return { where: { label: 'your location', ...point, id: null, source: 'device' }, unknown: null };
	if (params.has('place') || !signedIn) return { where: null, unknown: null };
	const home = (await client.query(HomePlaceQuery, {}).toPromise()).data?.me;
	if (home?.location) {
		return { where: { label: home.city || 'your home place', ...home.location, id: null, source: 'home' }, unknown: null };
	}
	const place = await findPlace(client, home?.city);
	return { where: place ? { label: placeLabel(place), ...place.location, id: place.id, source: 'home' } : null, unknown: null };
}
