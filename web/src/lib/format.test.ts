import { describe, expect, it } from 'vitest';
import {
	dayKey,
	formatDate,
	formatDateTime,
	formatEventWhen,
	formatShortDate,
	formatTime,
	isValidTimeZone,
	plural,
	zoneName
} from './format';

describe('formatDateTime', () => {
	it('shows an instant in the given timezone, with daylight saving time', () => {
		// 18:00 UTC in July is 14:00 in New York (EDT, UTC-4)...
		expect(formatDateTime('2025-07-01T18:00:00Z', 'America/New_York')).toBe(
			'Tue, Jul 1, 2025, 2:00 PM EDT'
		);
		// ...and in January it is 13:00 (EST, UTC-5).
		expect(formatDateTime('2025-01-14T18:00:00Z', 'America/New_York')).toBe(
			'Tue, Jan 14, 2025, 1:00 PM EST'
		);
	});

	it('gives the same instant different wall-clock times in different zones', () => {
		const iso = '2025-03-30T09:30:00.000Z';
		expect(formatDateTime(iso, 'Europe/Berlin')).toBe('Sun, Mar 30, 2025, 11:30 AM GMT+2');
		expect(formatDateTime(iso, 'Asia/Kolkata')).toBe('Sun, Mar 30, 2025, 3:00 PM GMT+5:30');
		expect(formatDateTime(iso, 'UTC')).toBe('Sun, Mar 30, 2025, 9:30 AM UTC');
	});

	it('does not depend on the process timezone', () => {
		const before = process.env.TZ;
		try {
			process.env.TZ = 'Pacific/Auckland';
			expect(formatDateTime('2025-07-01T18:00:00Z', 'America/New_York')).toBe(
				'Tue, Jul 1, 2025, 2:00 PM EDT'
			);
		} finally {
			process.env.TZ = before;
		}
	});

	it('formats in another locale', () => {
		expect(formatDateTime('2025-07-01T18:00:00Z', 'Europe/Paris', 'fr-FR')).toMatch(
			/^mar\. 1 juil\. 2025.*20:00/
		);
	});

	it('uses only plain spaces', () => {
		expect(formatDateTime('2025-07-01T18:00:00Z', 'America/New_York')).not.toMatch(
			/[\u202f\u00a0]/
		);
	});

	it('rejects an invalid instant or timezone', () => {
		expect(() => formatDateTime('not a date', 'UTC')).toThrow(RangeError);
		expect(() => formatDateTime('2025-07-01T18:00:00Z', 'Mars/Olympus_Mons')).toThrow(RangeError);
	});
});

describe('dayKey', () => {
	it('returns the calendar day in the timezone, not in UTC', () => {
		const iso = '2025-01-01T03:00:00Z';
		expect(dayKey(iso, 'UTC')).toBe('2025-01-01');
		expect(dayKey(iso, 'America/Los_Angeles')).toBe('2024-12-31');
		expect(dayKey('2024-12-31T13:00:00Z', 'Pacific/Kiritimati')).toBe('2025-01-01');
	});
});

describe('isValidTimeZone', () => {
	it('accepts IANA names and rejects others', () => {
		expect(isValidTimeZone('Europe/London')).toBe(true);
		expect(isValidTimeZone('UTC')).toBe(true);
		expect(isValidTimeZone('Europe/Nowhere')).toBe(false);
		expect(isValidTimeZone('')).toBe(false);
	});
});

describe('event times', () => {
	it('shows an event in its group zone, with the zone name', () => {
		expect(
			formatEventWhen('2026-11-28T17:30:00Z', '2026-11-28T19:30:00Z', 'Europe/Oslo')
		).toBe('Sat, Nov 28, 2026, 6:30 PM – 8:30 PM GMT+1');
		expect(formatShortDate('2026-11-28T23:30:00Z', 'Australia/Sydney')).toBe('Sun, Nov 29');
		expect(formatTime('2026-11-28T23:30:00Z', 'Australia/Sydney')).toBe('10:30 AM');
		expect(formatDate('2026-11-28T23:30:00Z', 'America/New_York')).toBe('Nov 28, 2026');
		expect(zoneName('2026-07-01T12:00:00Z', 'America/New_York')).toBe('EDT');
	});

	it('names both days of an event that ends on another day', () => {
		expect(
			formatEventWhen('2026-11-28T20:00:00Z', '2026-11-29T10:00:00Z', 'UTC')
		).toBe('Sat, Nov 28, 2026, 8:00 PM – Sun, Nov 29, 10:00 AM UTC');
	});

	it('counts in words', () => {
		expect(plural(1, 'person', 'people')).toBe('1 person');
		expect(plural(3, 'person', 'people')).toBe('3 people');
	});
});
