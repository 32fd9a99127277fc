import type { CreateEventInput } from '$lib/graphql/generated/graphql';
import { ruleFor, type Repeat } from '$lib/recurrence';
import { wallTimeToIso } from '$lib/time';
import { text } from './forms';

export type EventFields = Omit<CreateEventInput, 'groupId'>;

function wholeNumber(raw: string, min: number, max: number): number | null | 'bad' {
	if (raw === '') return null;
	const n = Number(raw);
	return Number.isInteger(n) && n >= min && n <= max ? n : 'bad';
}

/**
 * An event form read into the api's input, or the fields to fix. Times are typed as the clock
 * reads where the group meets (`timeZone`); an empty capacity means unlimited, an empty venue
 * name means no venue (online only).
 */
export function readEventForm(
	form: FormData,
	timeZone: string
): { input: EventFields; fields?: undefined } | { input?: undefined; fields: Record<string, string> } {
	const fields: Record<string, string> = {};
	const title = text(form, 'title');
	const startsAt = wallTimeToIso(text(form, 'startsAt'), timeZone);
	const endsRaw = text(form, 'endsAt');
	const endsAt = endsRaw ? wallTimeToIso(endsRaw, timeZone) : null;
	const capacity = wholeNumber(text(form, 'capacity'), 0, 100_000);
	const guestLimit = wholeNumber(text(form, 'guestLimit'), 0, 100);
	const venueName = text(form, 'venueName');
	const latRaw = text(form, 'venueLat');
	const lngRaw = text(form, 'venueLng');
	const onlineUrl = text(form, 'onlineUrl');
	const repeat = text(form, 'repeat');
	const repeatCount = wholeNumber(text(form, 'repeatCount'), 2, 200);

	if (!title) fields.title = 'Give the event a title.';
	if (!startsAt) fields.startsAt = 'When does it start?';
	if (endsRaw && !endsAt) fields.endsAt = 'Enter a valid end time, or leave it empty.';
	if (startsAt && endsAt && endsAt < startsAt) fields.endsAt = 'It can’t end before it starts.';
	if (capacity === 'bad') fields.capacity = 'A whole number of places, or empty for no limit.';
	if (guestLimit === 'bad') fields.guestLimit = 'A whole number from 0 to 100.';
	if (!venueName && !onlineUrl) fields.venueName = 'Add a place, an online link, or both.';
	if (onlineUrl && !/^https?:\/\//i.test(onlineUrl)) fields.onlineUrl = 'A link starting with https://';
	let location = null;
	if (latRaw || lngRaw) {
		const lat = Number(latRaw);
		const lng = Number(lngRaw);
		if (!latRaw || !lngRaw || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
			fields.venueLat = 'Give both latitude and longitude, or neither.';
		} else location = { lat, lng };
	}
	if (repeat && !['weekly', 'biweekly', 'monthly'].includes(repeat)) fields.repeat = 'Choose how it repeats.';
	if (repeatCount === 'bad') fields.repeatCount = 'A whole number from 2 to 200, or empty to keep going.';
	if (Object.keys(fields).length) return { fields };
	// Only a new event's form has a repeat choice; the edit form sends none (UpdateEventInput has no recurrence).
	const recurrence = repeat ? ruleFor(repeat as Repeat, text(form, 'startsAt'), repeatCount as number | null) : null;

	return {
		input: {
			...(recurrence ? { recurrence } : {}),
			title,
			description: text(form, 'description'),
			startsAt: startsAt!,
			endsAt,
			capacity: capacity as number | null,
			guestLimit: (guestLimit as number | null) ?? 0,
			onlineUrl: onlineUrl || null,
			venue: venueName
				? {
						name: venueName,
						address: text(form, 'venueAddress') || null,
						city: text(form, 'venueCity') || null,
						location
					}
				: null
		}
	};
}
