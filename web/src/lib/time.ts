/**
 * Wall-clock times in a time zone, for event forms: an organizer types "2026-05-01 18:30" and
 * means 18:30 where the group meets, whatever the browser's or the server's own zone is.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(timeZone: string): Intl.DateTimeFormat {
	let f = partsFormatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		partsFormatters.set(timeZone, f);
	}
	return f;
}

/** The wall-clock fields of an instant in a zone. */
function wallFields(date: Date, timeZone: string) {
	const get = (parts: Intl.DateTimeFormatPart[], type: string) =>
		Number(parts.find((p) => p.type === type)?.value);
	const parts = partsIn(timeZone).formatToParts(date);
	return {
		year: get(parts, 'year'),
		month: get(parts, 'month'),
		day: get(parts, 'day'),
		hour: get(parts, 'hour'),
		minute: get(parts, 'minute'),
		second: get(parts, 'second')
	};
}

/** How far the zone's clock is ahead of UTC at an instant, in ms. */
function offsetMs(date: Date, timeZone: string): number {
	const f = wallFields(date, timeZone);
	const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
	return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant (ISO 8601, UTC) of a `datetime-local` value ("2026-05-01T18:30") read as wall-clock
 * time in `timeZone`. A time that a DST change skips moves forward by the gap; an ambiguous one
 * (clocks turned back) takes the earlier instant. Null for a malformed value.
 */
export function wallTimeToIso(local: string, timeZone: string): string | null {
	const m = LOCAL.exec(local.trim());
	if (!m) return null;
	const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
	const guess = Date.UTC(year, month - 1, day, hour, minute, second);
	if (Number.isNaN(guess)) return null;
	// The zone's offsets a day either side cover both sides of any DST change near this time.
	const DAY = 86_400_000;
	const before = offsetMs(new Date(guess - DAY), timeZone);
	const after = offsetMs(new Date(guess + DAY), timeZone);
	const matching = [guess - before, guess - after].filter((t) => {
		const f = wallFields(new Date(t), timeZone);
		return f.year === year && f.month === month && f.day === day && f.hour === hour && f.minute === minute;
	});
	// No match: the time falls in a gap; the offset from before the change moves it forward by the gap.
	const instant = matching.length ? Math.min(...matching) : guess - before;
	return new Date(instant).toISOString();
}

/** The `datetime-local` value ("2026-05-01T18:30") of an instant, as the clock reads in `timeZone`. */
export function isoToWallTime(iso: string, timeZone: string): string {
	const f = wallFields(new Date(iso), timeZone);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}`;
}
