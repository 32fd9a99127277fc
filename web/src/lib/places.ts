import type { PlacesQuery } from '$lib/graphql/generated/graphql';

/** A place from the gazetteer, as the Places query answers it. */
export type PlaceResult = PlacesQuery['places'][number];

/** Where explore searches around, and how it was chosen. */
export interface Whereabouts {
	/** What the place box shows: "Zürich, Switzerland", or "your location". */
	label: string;
	lat: number;
	lng: number;
	/** The gazetteer id when a place was named (kept in `?place=`); null for a bare point. */
	id: string | null;
	/** `place`: named in the URL; `device`: "near me" (kept as `?lat=&lng=`); `home`: the signed-in person's home place. */
	source: 'place' | 'device' | 'home';
}

/** Radii explore offers, in km; the first search uses DEFAULT_RADIUS_KM. */
export const RADII_KM = [5, 10, 25, 50, 100, 250] as const;
export const DEFAULT_RADIUS_KM = 50;

/** A place's name for people: "Zürich, Switzerland", "Manchester, New Hampshire, United States". */
export function placeLabel(place: Pick<PlaceResult, 'name' | 'region' | 'country'>): string {
	const parts = [place.name];
	if (place.region && place.region !== place.name) parts.push(place.region);
	parts.push(place.country);
	return parts.join(', ');
}

/** The radius from `?radius=`, if it is one of RADII_KM; else the default. */
export function radiusFromQuery(raw: string | null): number {
	const km = Number(raw);
	return (RADII_KM as readonly number[]).includes(km) ? km : DEFAULT_RADIUS_KM;
}

/** A point from `?lat=&lng=` ("near me"); null when missing or out of range, never an error. */
export function pointFromQuery(params: URLSearchParams): { lat: number; lng: number } | null {
	const rawLat = params.get('lat');
	const rawLng = params.get('lng');
	if (!rawLat || !rawLng) return null;
	const lat = Number(rawLat);
	const lng = Number(rawLng);
	if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
	return { lat, lng };
}

/** "3.2 km" / "48 km": a card's distance from the searched place. */
export function formatDistance(km: number): string {
	return km < 10 ? `${km.toFixed(1)} km` : `${Math.round(km)} km`;
}
