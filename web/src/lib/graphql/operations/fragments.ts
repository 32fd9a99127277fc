import { graphql } from '../generated';

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
