/**
 * Date formatting for events: an event happens at an instant (ISO 8601 string
 * from the api) and is shown in its group's IANA timezone, whatever the
 * viewer's or the server's own timezone is.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}|${JSON.stringify(options)}`;
	let f = formatters.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(locale, options);
		formatters.set(key, f);
	}
	return f;
}

function toDate(iso: string): Date {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid date: ${iso}`);
	return date;
}

/**
 * ICU puts narrow/no-break spaces in some formats (e.g. before "PM"); their
 * presence depends on the ICU version, which differs between Node and
 * browsers. Plain spaces keep server and client output identical.
 */
function plainSpaces(s: string): string {
	return s.replace(/[\u202f\u00a0]/g, ' ');
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/** "Tue, Jul 1, 2025, 2:00 PM EDT": date, time and the zone's abbreviation. */
export function formatDateTime(iso: string, timeZone: string, locale = 'en-US'): string {
	return plainSpaces(
		formatter(locale, {
			timeZone,
			weekday: 'short',
			year: 'numeric',
			month: 'short',
			day: 'numeric',
			hour: 'numeric',
			minute: '2-digit',
			timeZoneName: 'short'
		}).format(toDate(iso))
	);
}

/** The calendar day of an instant in a timezone, as "YYYY-MM-DD" (for grouping by day). */
export function dayKey(iso: string, timeZone: string): string {
	const parts = formatter('en-US', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).formatToParts(toDate(iso));
	const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
	return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "6:30 PM": the time of day in a timezone. */
export function formatTime(iso: string, timeZone: string, locale = 'en-US'): string {
	return plainSpaces(
		formatter(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(toDate(iso))
	);
}

/** "Sat, Nov 28": a short date in a timezone, for cards. */
export function formatShortDate(iso: string, timeZone: string, locale = 'en-US'): string {
	return plainSpaces(
		formatter(locale, { timeZone, weekday: 'short', month: 'short', day: 'numeric' }).format(
			toDate(iso)
		)
	);
}

/** "Nov 28, 2026": a calendar date in a timezone. */
export function formatDate(iso: string, timeZone: string, locale = 'en-US'): string {
	return plainSpaces(
		formatter(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric' }).format(
			toDate(iso)
		)
	);
}

/** "CET", "GMT+5:30": the zone's short name at that instant. */
export function zoneName(iso: string, timeZone: string, locale = 'en-US'): string {
	const parts = formatter(locale, { timeZone, timeZoneName: 'short' }).formatToParts(toDate(iso));
	return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/**
 * When an event happens, in its group's timezone: "Sat, Nov 28, 2026, 6:30 PM – 8:30 PM CET",
 * or with both dates when it ends on another day.
 */
export function formatEventWhen(startsAt: string, endsAt: string, timeZone: string): string {
	const sameDay = dayKey(startsAt, timeZone) === dayKey(endsAt, timeZone);
	const zone = zoneName(startsAt, timeZone);
	const start = `${formatShortDate(startsAt, timeZone)}, ${formatDate(startsAt, timeZone).split(', ')[1]}, ${formatTime(startsAt, timeZone)}`;
	const end = sameDay
		? formatTime(endsAt, timeZone)
		: `${formatShortDate(endsAt, timeZone)}, ${formatTime(endsAt, timeZone)}`;
	return `${start} – ${end} ${zone}`;
}

/** "1 person" / "3 people"-style counts. */
export function plural(count: number, one: string, many: string): string {
	return `${count} ${count === 1 ? one : many}`;
}
