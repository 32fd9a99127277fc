import { describe, expect, it } from 'vitest';
import { isoToWallTime, wallTimeToIso } from './time';

describe('wallTimeToIso', () => {
	it('reads a form time as wall-clock time in the group zone', () => {
		expect(wallTimeToIso('2026-07-01T18:30', 'Europe/Oslo')).toBe('2026-07-01T16:30:00.000Z');
		expect(wallTimeToIso('2026-01-15T18:30', 'Europe/Oslo')).toBe('2026-01-15T17:30:00.000Z');
		expect(wallTimeToIso('2026-07-01T18:30', 'America/New_York')).toBe('2026-07-01T22:30:00.000Z');
		expect(wallTimeToIso('2026-07-01T18:30', 'Asia/Kolkata')).toBe('2026-07-01T13:00:00.000Z');
	});

	it('does not depend on the process time zone', () => {
		const before = process.env.TZ;
		try {
			process.env.TZ = 'Pacific/Auckland';
			expect(wallTimeToIso('2026-07-01T18:30', 'Europe/Oslo')).toBe('2026-07-01T16:30:00.000Z');
		} finally {
			process.env.TZ = before;
		}
	});

	it('moves a time that the spring DST change skips forward by the gap', () => {
		// Berlin jumps from 02:00 CET to 03:00 CEST on 29 March 2026: 02:30 does not exist.
		expect(wallTimeToIso('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
	});

	it('takes the earlier of the two instants of an ambiguous autumn time', () => {
		// 02:30 happens twice in Berlin on 25 October 2026: first in CEST (00:30Z), then CET.
		expect(wallTimeToIso('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
	});

	it('rejects a malformed value', () => {
		expect(wallTimeToIso('tomorrow', 'UTC')).toBeNull();
		expect(wallTimeToIso('', 'UTC')).toBeNull();
	});
});

describe('isoToWallTime', () => {
	it('gives the datetime-local value as the clock reads in the zone', () => {
		expect(isoToWallTime('2026-07-01T16:30:00.000Z', 'Europe/Oslo')).toBe('2026-07-01T18:30');
		expect(isoToWallTime('2026-01-01T03:00:00Z', 'America/Los_Angeles')).toBe('2025-12-31T19:00');
	});

	it('round-trips with wallTimeToIso', () => {
		for (const zone of ['Europe/Oslo', 'America/Sao_Paulo', 'Australia/Sydney', 'UTC']) {
			const iso = wallTimeToIso('2026-11-07T09:05', zone)!;
			expect(isoToWallTime(iso, zone)).toBe('2026-11-07T09:05');
		}
	});
});
