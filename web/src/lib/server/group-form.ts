import type { CreateGroupInput, GroupVisibility, JoinMode } from '$lib/graphql/generated/graphql';
import type { PlaceResult } from '$lib/places';
import { isValidTimeZone } from '$lib/format';
import { text } from './forms';

/** Every IANA time zone this server knows, for the group form's picker. */
export function timeZones(): string[] {
	return Intl.supportedValuesOf('timeZone');
}

/**
 * A group form read into the api's input, or the fields to fix. When the position or time zone is left
 * empty (no JavaScript to fill them from a suggestion), the best place matching the city text fills them
 * in; topics are comma-separated names.
 */
export async function readGroupForm(
	form: FormData,
	findPlace: (text: string) => Promise<PlaceResult | null>
): Promise<{ input: CreateGroupInput; fields?: undefined } | { input?: undefined; fields: Record<string, string> }> {
	const fields: Record<string, string> = {};
	const name = text(form, 'name');
	const description = text(form, 'description');
	const city = text(form, 'city');
	const latRaw = text(form, 'lat');
	const lngRaw = text(form, 'lng');
	const place = city && (!latRaw || !lngRaw || !text(form, 'timezone')) ? await findPlace(city) : null;
	const known = place && { name: place.name, ...place.location, timezone: place.timezone };
	const lat = latRaw ? Number(latRaw) : known?.lat;
	const lng = lngRaw ? Number(lngRaw) : known?.lng;
	const timezone = text(form, 'timezone') || known?.timezone || '';

	if (!name) fields.name = 'Give the group a name.';
	if (!description) fields.description = 'Say what the group is about.';
	if (!city) fields.city = 'Where does the group meet?';
	if (lat === undefined || !Number.isFinite(lat) || Math.abs(lat) > 90) {
		fields.lat = 'A latitude between -90 and 90 (pick a suggested place to fill it in).';
	}
	if (lng === undefined || !Number.isFinite(lng) || Math.abs(lng) > 180) {
		fields.lng = 'A longitude between -180 and 180.';
	}
	if (!timezone || !isValidTimeZone(timezone)) fields.timezone = 'Pick the time zone the group meets in.';
	if (Object.keys(fields).length) return { fields };

	const visibility: GroupVisibility = text(form, 'visibility') === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC';
	const joinMode: JoinMode = text(form, 'joinMode') === 'APPROVAL' ? 'APPROVAL' : 'OPEN';
	const topics = text(form, 'topics')
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
	return {
		input: {
			name,
			description,
			city: !latRaw && known ? known.name : city,
			location: { lat: lat!, lng: lng! },
			timezone,
			topics,
			visibility,
			joinMode,
			joinQuestion: text(form, 'joinQuestion') || null
		}
	};
}
