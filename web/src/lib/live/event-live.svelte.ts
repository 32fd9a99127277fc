import { getBrowserClient, isSocketConnected } from '$lib/graphql/client';
import type { EventPageQuery } from '$lib/graphql/generated/graphql';
import {
	EventAttendeesQuery,
	EventPageQuery as EventPageDocument,
	EventViewerRsvpQuery
} from '$lib/graphql/operations/event';
import type { AttendeeFragment, EventChangedSubscription as EventChangedResult } from '$lib/graphql/generated/graphql';
import { EventAttendanceSubscription, EventChangedSubscription } from '$lib/graphql/operations/live';
import { applyAttendanceChange, type AttendanceChange, type AttendanceView } from './attendance';
import { followConnection, type LiveStatus } from './connection';
import { VersionTracker } from './version-tracker';

export type EventPageEvent = NonNullable<EventPageQuery['event']>;

/** What the page shows of the event itself, kept live by eventChanged (cancelled, moved, venue, title...). */
export type EventDetails = Pick<EventPageEvent, 'title' | 'status' | 'startsAt' | 'endsAt' | 'venue'>;

const detailsOf = (event: EventDetails | EventChangedResult['eventChanged']): EventDetails => ({
	title: event.title,
	status: event.status,
	startsAt: event.startsAt,
	endsAt: event.endsAt,
	venue: event.venue ?? null
});

/** The live part of an event page as the page query returned it. */
export function attendanceOf(event: EventPageEvent): AttendanceView {
	return {
		goingCount: event.goingCount,
		waitlistCount: event.waitlistCount,
		capacity: event.capacity,
		going: event.attendees.edges.map((e) => e.node),
		goingTotal: event.attendees.totalCount,
		goingComplete: !event.attendees.pageInfo.hasNextPage,
		viewerRsvp: event.viewerRsvp ?? null
	};
}

/**
 * An event's counts, attendee list and the viewer's RSVP, kept live: subscribes to
 * eventAttendance, then re-reads the event (network-only) and follows the version rule
 * (docs/ARCHITECTURE.md, Live protocol); refetches on a gap and after a reconnection.
 */
export class EventLive {
	view = $state<AttendanceView>() as AttendanceView;
	details = $state<EventDetails>() as EventDetails;
	status = $state<LiveStatus>('connecting');
	private readonly tracker: VersionTracker<AttendanceChange>;
	private stoppers: Array<() => void> = [];
	private stopped = false;
	loadingMore = $state(false);
	private moreCursor: string | null;
	private reading = false;
	private readAgain = false;

	constructor(
		private readonly eventId: string,
		private readonly viewerId: string | null,
		initial: EventPageEvent
	) {
		this.view = attendanceOf(initial);
		this.details = detailsOf(initial);
		this.moreCursor = initial.attendees.pageInfo.endCursor ?? null;
		this.tracker = new VersionTracker<AttendanceChange>({
			apply: (change) => this.apply(change),
			refetch: () => void this.read()
		});
	}

	/** Subscribe, then read. Call once the page is in the browser. */
	start() {
		const client = getBrowserClient();
		const subscription = client
			.subscription(EventAttendanceSubscription, { eventId: this.eventId })
			.subscribe((result) => {
				if (result.error) {
					this.status = 'unavailable';
					return;
				}
				const change = result.data?.eventAttendance;
				if (change) this.tracker.receive(change);
			});
		this.stoppers.push(() => subscription.unsubscribe());
		const changes = client.subscription(EventChangedSubscription, { eventId: this.eventId }).subscribe((result) => {
			const event = result.data?.eventChanged;
			if (!event) return;
			this.details = detailsOf(event);
			this.view = { ...this.view, capacity: event.capacity };
		});
		this.stoppers.push(() => changes.unsubscribe());
		this.stoppers.push(
			followConnection(
				() => this.tracker.invalidate(),
				(connected) => {
					if (!connected) this.status = 'reconnecting';
				}
			)
		);
	}

	stop() {
		this.stopped = true;
		for (const stop of this.stoppers.splice(0)) stop();
	}

	/**
	 * A fresh page load (after an RSVP, say): taken unless what is shown is newer. (Live updates
	 * carry the viewer's own RSVP too, so newer live state already has it.)
	 */
	offer(event: EventPageEvent) {
		this.tracker.read(event.attendanceVersion, () => {
			this.view = attendanceOf(event);
			this.moreCursor = event.attendees.pageInfo.endCursor ?? null;
		});
	}

	/**
	 * The viewer's own answer, as the RSVP mutation returned it: shown at once, without reloading the page. Counts and
	 * the attendee list follow from the live update of the same change (or the read after a gap).
	 */
	answered(rsvp: AttendeeFragment) {
		this.view = { ...this.view, viewerRsvp: rsvp };
	}

	/** Appends the next page of people going. */
	async loadMoreAttendees() {
		if (this.loadingMore || this.view.goingComplete) return;
		this.loadingMore = true;
		try {
			const result = await getBrowserClient()
				.query(
					EventAttendeesQuery,
					{ id: this.eventId, status: 'GOING', first: 100, after: this.moreCursor },
					{ requestPolicy: 'network-only' }
				)
				.toPromise();
			const page = result.data?.event?.attendees;
			if (!page) return;
			const seen = new Set(this.view.going.map((a) => a.id));
			this.view = {
				...this.view,
				going: [...this.view.going, ...page.edges.map((e) => e.node).filter((n) => !seen.has(n.id))],
				goingTotal: page.totalCount,
				goingComplete: !page.pageInfo.hasNextPage
			};
			this.moreCursor = page.pageInfo.endCursor ?? null;
		} finally {
			this.loadingMore = false;
		}
	}

	private apply(change: AttendanceChange) {
		const before = this.view;
		this.view = applyAttendanceChange(before, change, this.viewerId);
		const mine = this.view.viewerRsvp;
		const aboutMe = change.rsvp?.user.id === this.viewerId;
		// Someone left the waitlist ahead of the viewer: their place moved up.
		if (mine?.status === 'WAITLISTED' && !aboutMe && change.event.waitlistCount < before.waitlistCount) {
			void this.readViewerRsvp();
		}
	}

	private async read() {
		if (this.reading) {
			this.readAgain = true;
			return;
		}
		this.reading = true;
		try {
			const result = await getBrowserClient()
				.query(EventPageDocument, { id: this.eventId }, { requestPolicy: 'network-only' })
				.toPromise();
			const event = result.data?.event;
			if (event) {
				this.tracker.read(event.attendanceVersion, () => {
					this.view = attendanceOf(event);
					this.moreCursor = event.attendees.pageInfo.endCursor ?? null;
				});
				this.details = detailsOf(event);
				if (isSocketConnected() && this.status !== 'unavailable') this.status = 'live';
			} else {
				// The api is unreachable for now: try again shortly.
				setTimeout(() => !this.stopped && this.tracker.waiting && this.tracker.invalidate(), 3000);
			}
		} finally {
			this.reading = false;
			if (this.readAgain) {
				this.readAgain = false;
				void this.read();
			}
		}
	}

	private async readViewerRsvp() {
		const result = await getBrowserClient()
			.query(EventViewerRsvpQuery, { id: this.eventId }, { requestPolicy: 'network-only' })
			.toPromise();
		const rsvp = result.data?.event?.viewerRsvp;
		if (rsvp) this.view = { ...this.view, viewerRsvp: rsvp };
	}
}
