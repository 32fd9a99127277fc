import { isValidTimeZone } from './format';
import { wallTimeToIso } from './time';

/** The explore page's date choices. */
export type DateChoice = 'today' | 'weekend' | 'week' | 'range';

export interface DateFilter {
	choice: DateChoice | null;
	from: string;
	to: string;
	zone: string;
	/** For the api's EventFilter: events starting at or after this instant, and before startsBefore. */
	startsAfter: string | null;
	startsBefore: string | null;
}

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar date (YYYY-MM-DD) and weekday (0 = Sunday) of an instant in `zone`. */
function today(now: Date, zone: string): { date: string; weekday: number } {
	const date = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
	const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
	return { date, weekday };
}

/** `date` plus `days`, as YYYY-MM-DD. */
function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Midnight at the start of `date` in `zone`, as an instant. */
const midnight = (date: string, zone: string) => wallTimeToIso(`${date}T00:00`, zone)!;

/**
 * Reads `?when=today|weekend|week` or `?from=YYYY-MM-DD&to=YYYY-MM-DD` (days in `?tz`, the browser's zone when
 * JavaScript sent it, else UTC) into the api's startsAfter/startsBefore. Nothing already started is listed:
 * every range begins no earlier than `now`.
 */
export function readDateFilter(params: URLSearchParams, now = new Date()): DateFilter {
	const tz = params.get('tz') ?? '';
	const zone = tz && isValidTimeZone(tz) ? tz : 'UTC';
	const when = params.get('when');
	const from = DATE.test(params.get('from') ?? '') ? params.get('from')! : '';
	const to = DATE.test(params.get('to') ?? '') ? params.get('to')! : '';
	const { date, weekday } = today(now, zone);
	const notBeforeNow = (iso: string) => (Date.parse(iso) < now.getTime() ? now.toISOString() : iso);
	const none = { choice: null, from, to, zone, startsAfter: null, startsBefore: null };
	if (when === 'today') {
		return { ...none, choice: 'today', startsAfter: now.toISOString(), startsBefore: midnight(addDays(date, 1), zone) };
	}
	if (when === 'weekend') {
		// Saturday and Sunday of this week (today's, when it is the weekend).
		const saturday = addDays(date, weekday === 0 ? -1 : 6 - weekday);
		return { ...none, choice: 'weekend', startsAfter: notBeforeNow(midnight(saturday, zone)), startsBefore: midnight(addDays(saturday, 2), zone) };
	}
	if (when === 'week') {
		return { ...none, choice: 'week', startsAfter: now.toISOString(), startsBefore: new Date(now.getTime() + 7 * DAY).toISOString() };
	}
	if (from || to) {
		const start = from ? notBeforeNow(midnight(from, zone)) : now.toISOString();
		const end = to ? midnight(addDays(to, 1), zone) : null;
		return { ...none, choice: 'range', startsAfter: start, startsBefore: end };
	}
	return none;
}
