import type { AttendeeFragment } from '$lib/graphql/generated/graphql';

/** What an event page shows live: counts, who is going, and the viewer's own RSVP. */
export interface AttendanceView {
	goingCount: number;
	waitlistCount: number;
	capacity: number | null;
	/** GOING RSVPs in the order they got their seats (the loaded part of the list). */
	going: AttendeeFragment[];
	/** How many GOING RSVPs there are in all (the list may show fewer). */
	goingTotal: number;
	/** Whether `going` holds the whole list (no more pages). */
	goingComplete: boolean;
	viewerRsvp: AttendeeFragment | null;
}

/** One attendance change: the event's new counts and the RSVP that changed (null: capacity alone). */
export interface AttendanceChange {
	version: number;
	event: { goingCount: number; waitlistCount: number; capacity: number | null };
	rsvp: AttendeeFragment | null;
}

/** The view after one change: new counts, the changed RSVP moved into or out of the going list. */
export function applyAttendanceChange(
	view: AttendanceView,
	change: AttendanceChange,
	viewerId: string | null
): AttendanceView {
	const next: AttendanceView = {
		...view,
		goingCount: change.event.goingCount,
		waitlistCount: change.event.waitlistCount,
		capacity: change.event.capacity
	};
	const rsvp = change.rsvp;
	if (!rsvp) return next;
	if (viewerId && rsvp.user.id === viewerId) next.viewerRsvp = rsvp;

	const index = view.going.findIndex((a) => a.id === rsvp.id);
	if (rsvp.status === 'GOING') {
		if (index >= 0) {
			next.going = view.going.map((a, i) => (i === index ? rsvp : a));
		} else {
			// A new seat goes to the end of the list; past the loaded page it is only counted.
			if (view.goingComplete) next.going = [...view.going, rsvp];
			next.goingTotal = view.goingTotal + 1;
		}
	} else if (index >= 0) {
		next.going = view.going.filter((a) => a.id !== rsvp.id);
		next.goingTotal = Math.max(0, view.goingTotal - 1);
	}
	return next;
}
