import { describe, expect, it } from 'vitest';
import { VersionTracker } from './version-tracker';

function setup() {
	const applied: number[] = [];
	let refetches = 0;
	const tracker = new VersionTracker<{ version: number }>({
		apply: (u) => applied.push(u.version),
		refetch: () => refetches++
	});
	return { tracker, applied, refetches: () => refetches };
}

describe('VersionTracker', () => {
	it('holds updates that arrive before the first read, then applies the ones after it', () => {
		const { tracker, applied, refetches } = setup();
		tracker.receive({ version: 5 });
		tracker.receive({ version: 7 });
		tracker.receive({ version: 6 });
		expect(applied).toEqual([]);
		let replaced = false;
		expect(tracker.read(5, () => (replaced = true))).toBe(true);
		expect(replaced).toBe(true);
		// 5 is in the read; 6 and 7 follow it, in version order.
		expect(applied).toEqual([6, 7]);
		expect(tracker.current).toBe(7);
		expect(refetches()).toBe(0);
	});

	it('applies consecutive versions and drops ones it has already seen', () => {
		const { tracker, applied } = setup();
		tracker.read(10, () => {});
		tracker.receive({ version: 11 });
		tracker.receive({ version: 11 });
		tracker.receive({ version: 9 });
		tracker.receive({ version: 12 });
		expect(applied).toEqual([11, 12]);
	});

	it('refetches on a gap and holds updates until the read comes back', () => {
		const { tracker, applied, refetches } = setup();
		tracker.read(3, () => {});
		tracker.receive({ version: 5 });
		expect(refetches()).toBe(1);
		expect(tracker.waiting).toBe(true);
		tracker.receive({ version: 6 });
		expect(applied).toEqual([]);
		// The refetch saw version 5: 6 applies on top of it.
		tracker.read(5, () => {});
		expect(applied).toEqual([6]);
		expect(tracker.current).toBe(6);
	});

	it('does not let an older read replace newer state', () => {
		const { tracker } = setup();
		tracker.read(8, () => {});
		let replaced = false;
		expect(tracker.read(7, () => (replaced = true))).toBe(false);
		expect(replaced).toBe(false);
		expect(tracker.current).toBe(8);
		expect(tracker.read(8, () => (replaced = true))).toBe(true);
	});

	it('starts over after a reconnection: refetch, hold, then apply', () => {
		const { tracker, applied, refetches } = setup();
		tracker.read(1, () => {});
		tracker.invalidate();
		expect(refetches()).toBe(1);
		tracker.receive({ version: 4 });
		tracker.read(3, () => {});
		expect(applied).toEqual([4]);
	});

	it('asks again when even the refetched state leaves a gap before a held update', () => {
		const { tracker, refetches } = setup();
		tracker.receive({ version: 9 });
		tracker.read(4, () => {});
		expect(refetches()).toBe(1);
		expect(tracker.waiting).toBe(true);
	});
});
