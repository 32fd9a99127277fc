import { graphql } from '../generated';

/** Attendance changes of one event, each with its version (docs/ARCHITECTURE.md, Live protocol). */
export const EventAttendanceSubscription = graphql(`
	subscription EventAttendance($eventId: ID!) {
		eventAttendance(eventId: $eventId) {
			version
			event {
				id
				goingCount
				waitlistCount
				capacity
				attendanceVersion
			}
			rsvp {
				...Attendee
			}
		}
	}
`);

/** Messages posted, edited and deleted in one thread. */
export const ThreadActivitySubscription = graphql(`
	subscription ThreadActivity($threadId: ID!) {
		threadActivity(threadId: $threadId) {
			kind
			message {
				...ChatMessage
			}
			thread {
				id
				messageCount
				lastMessageAt
			}
		}
	}
`);

/** Changes to one event itself: cancelled, moved, venue, capacity, title (the contract's EventChanged). */
export const EventChangedSubscription = graphql(`
	subscription EventChanged($eventId: ID!) {
		eventChanged(eventId: $eventId) {
			id
			title
			status
			startsAt
			endsAt
			capacity
			goingCount
			waitlistCount
			venue {
				...VenueDetails
			}
		}
	}
`);
