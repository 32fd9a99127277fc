import { describe, expect, it } from 'vitest';
import type { AttendeeFragment } from '$lib/graphql/generated/graphql';
import { applyAttendanceChange, type AttendanceView } from './attendance';

const rsvp = (id: string, status: AttendeeFragment['status'], guests = 0): AttendeeFragment => ({
	id,
	status,
	guests,
	waitlistPosition: status === 'WAITLISTED' ? 1 : null,
	user: { id: `user-${id}`, name: `Person ${id}` }
});

const view = (going: AttendeeFragment[], complete = true): AttendanceView => ({
	goingCount: going.length,
	waitlistCount: 0,
	capacity: 10,
	going,
	goingTotal: going.length,
	goingComplete: complete,
	viewerRsvp: null
});

const counts = (goingCount: number, waitlistCount = 0, capacity: number | null = 10) => ({
	goingCount,
	waitlistCount,
	capacity
});

describe('applyAttendanceChange', () => {
	it('adds someone who got a seat to the end of the list', () => {
		const next = applyAttendanceChange(
			view([rsvp('a', 'GOING')]),
			{ version: 2, event: counts(3), rsvp: rsvp('b', 'GOING', 1) },
			null
		);
		expect(next.going.map((a) => a.id)).toEqual(['a', 'b']);
		expect(next.goingTotal).toBe(2);
		expect(next.goingCount).toBe(3);
	});

	it('updates guests in place and removes someone who is no longer going', () => {
		const start = view([rsvp('a', 'GOING'), rsvp('b', 'GOING')]);
		const more = applyAttendanceChange(
			start,
			{ version: 2, event: counts(3), rsvp: rsvp('a', 'GOING', 1) },
			null
		);
		expect(more.going[0].guests).toBe(1);
		const gone = applyAttendanceChange(
			more,
			{ version: 3, event: counts(1), rsvp: rsvp('a', 'NOT_GOING') },
			null
		);
		expect(gone.going.map((a) => a.id)).toEqual(['b']);
		expect(gone.goingTotal).toBe(1);
	});

	it('only counts a new seat when the list shows just its first page', () => {
		const next = applyAttendanceChange(
			view([rsvp('a', 'GOING')], false),
			{ version: 2, event: counts(2), rsvp: rsvp('z', 'GOING') },
			null
		);
		expect(next.going.map((a) => a.id)).toEqual(['a']);
		expect(next.goingTotal).toBe(2);
	});

	it("keeps the viewer's own RSVP current, e.g. a waitlist place", () => {
		const mine = { ...rsvp('me', 'WAITLISTED'), user: { id: 'viewer', name: 'Me' } };
		const next = applyAttendanceChange(
			view([]),
			{ version: 2, event: counts(10, 1), rsvp: mine },
			'viewer'
		);
		expect(next.viewerRsvp).toEqual(mine);
		expect(next.going).toEqual([]);
		expect(next.waitlistCount).toBe(1);
	});

	it('takes a capacity change without an RSVP', () => {
		const next = applyAttendanceChange(
			view([rsvp('a', 'GOING')]),
			{ version: 2, event: counts(1, 0, null), rsvp: null },
			null
		);
		expect(next.capacity).toBeNull();
		expect(next.going).toHaveLength(1);
	});
});
