import { graphql } from '../generated';

/** A cover picture: a fallback `src`, every size for `srcset`, and the size to reserve room for. */
export const CoverImageFragment = graphql(`
	fragment CoverImage on Image {
		id
		url
		srcset
		width
		height
	}
`);

/** What an event card shows, wherever events are listed. */
export const EventCardFragment = graphql(`
	fragment EventCard on Event {
		id
		title
		startsAt
		endsAt
		timezone
		status
		goingCount
		waitlistCount
		capacity
		attendedCount
		group {
			id
			slug
			name
		}
		venue {
			name
			city
		}
		coverImage {
			...CoverImage
		}
	}
`);

/** What a group card shows on the explore page. */
export const GroupCardFragment = graphql(`
	fragment GroupCard on Group {
		id
		slug
		name
		city
		memberCount
		visibility
		topics {
			slug
			name
		}
		coverImage {
			...CoverImage
		}
		distanceKm
		nextEvent {
			id
			title
			startsAt
			timezone
		}
	}
`);

/** One chat message, as the chat shows it. */
export const ChatMessageFragment = graphql(`
	fragment ChatMessage on Message {
		id
		body
		createdAt
		editedAt
		deleted
		author {
			id
			name
		}
	}
`);

/** One RSVP in an attendee list. */
export const AttendeeFragment = graphql(`
	fragment Attendee on Rsvp {
		id
		status
		guests
		waitlistPosition
		user {
			id
			name
		}
	}
`);

/** Where an event happens, as the event page shows it (and its live updates bring). */
export const VenueDetailsFragment = graphql(`
	fragment VenueDetails on Venue {
		name
		address
		city
		location {
			lat
			lng
		}
	}
`);
