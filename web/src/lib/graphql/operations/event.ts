import { graphql } from '../generated';

export const EventPageQuery = graphql(`
	query EventPage($id: ID!) {
		event(id: $id) {
			id
			title
			description
			startsAt
			endsAt
			timezone
			status
			capacity
			guestLimit
			goingCount
			waitlistCount
			onlineUrl
			attendanceVersion
			coverImage {
				...CoverImage
			}
			attendedCount
			series {
				id
				rule
				occurrences(first: 8) {
					totalCount
					edges {
						node {
							id
							startsAt
							status
						}
					}
				}
			}
			venue {
				...VenueDetails
			}
			group {
				id
				slug
				name
				city
				visibility
				joinMode
				coverImage {
					...CoverImage
				}
				viewerMembership {
					id
					role
					status
				}
			}
			hosts {
				id
				name
			}
			viewerRsvp {
				...Attendee
			}
			attendees(status: GOING, first: 50) {
				totalCount
				pageInfo {
					hasNextPage
					endCursor
				}
				edges {
					node {
						...Attendee
					}
				}
			}
			thread {
				id
				messageCount
			}
		}
	}
`);

/** More of an event's attendee list. */
export const EventAttendeesQuery = graphql(`
	query EventAttendees($id: ID!, $status: RsvpStatus, $first: Int, $after: String) {
		event(id: $id) {
			id
			attendees(status: $status, first: $first, after: $after) {
				totalCount
				pageInfo {
					hasNextPage
					endCursor
				}
				edges {
					cursor
					node {
						...Attendee
					}
				}
			}
		}
	}
`);

/** The viewer's own RSVP, re-read when their waitlist place may have moved. */
export const EventViewerRsvpQuery = graphql(`
	query EventViewerRsvp($id: ID!) {
		event(id: $id) {
			id
			viewerRsvp {
				...Attendee
			}
		}
	}
`);

/** The edit form of an event. */
export const EventEditQuery = graphql(`
	query EventEdit($id: ID!) {
		event(id: $id) {
			id
			title
			description
			startsAt
			endsAt
			timezone
			status
			capacity
			guestLimit
			onlineUrl
			goingCount
			coverImage {
				...CoverImage
			}
			series {
				id
				rule
			}
			venue {
				...VenueDetails
			}
			group {
				id
				slug
				name
				viewerMembership {
					id
					role
					status
				}
			}
		}
	}
`);

export const CreateEventMutation = graphql(`
	mutation CreateEvent($input: CreateEventInput!) {
		createEvent(input: $input) {
			id
			title
			startsAt
			endsAt
			capacity
			guestLimit
			goingCount
			waitlistCount
			status
			thread {
				id
			}
		}
	}
`);

export const UpdateEventMutation = graphql(`
	mutation UpdateEvent($id: ID!, $input: UpdateEventInput!) {
		updateEvent(id: $id, input: $input) {
			id
			title
			startsAt
			capacity
			goingCount
			waitlistCount
		}
	}
`);

export const CancelEventMutation = graphql(`
	mutation CancelEvent($id: ID!) {
		cancelEvent(id: $id) {
			id
			status
		}
	}
`);

export const RsvpMutation = graphql(`
	mutation Rsvp($eventId: ID!, $response: RsvpResponse!, $guests: Int) {
		rsvp(eventId: $eventId, response: $response, guests: $guests) {
			...Attendee
			event {
				id
				goingCount
				waitlistCount
				attendanceVersion
			}
		}
	}
`);
