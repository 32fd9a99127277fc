import { graphql } from '../generated';

/** Changes one occurrence of a recurring event, or it and the following ones. */
export const UpdateEventScopedMutation = graphql(`
	mutation UpdateEventScopedWeb($id: ID!, $input: UpdateEventInput!, $scope: SeriesScope) {
		updateEvent(id: $id, input: $input, scope: $scope) {
			id
			title
			startsAt
		}
	}
`);

/** Cancels one occurrence of a recurring event, or it and the following ones. */
export const CancelEventScopedMutation = graphql(`
	mutation CancelEventScopedWeb($id: ID!, $scope: SeriesScope) {
		cancelEvent(id: $id, scope: $scope) {
			id
			status
		}
	}
`);

/** The check-in list: who is going to an event, with whether they came. */
export const CheckInQuery = graphql(`
	query CheckIn($id: ID!, $first: Int, $after: String) {
		event(id: $id) {
			id
			title
			startsAt
			endsAt
			timezone
			status
			goingCount
			attendedCount
			hosts {
				id
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
			attendees(status: GOING, first: $first, after: $after) {
				totalCount
				pageInfo {
					hasNextPage
					endCursor
				}
				edges {
					node {
						id
						guests
						attended
						user {
							id
							name
						}
					}
				}
			}
		}
	}
`);

export const MarkAttendedMutation = graphql(`
	mutation MarkAttendedWeb($rsvpId: ID!, $attended: Boolean!) {
		markAttended(rsvpId: $rsvpId, attended: $attended) {
			id
			attended
		}
	}
`);

/** A page of a group's members, optionally those whose name contains `search`. */
export const GroupMembersQuery = graphql(`
	query GroupMembers($slug: String!, $search: String, $first: Int, $after: String) {
		group(slug: $slug) {
			id
			slug
			name
			visibility
			memberCount
			pendingRequestCount
			viewerMembership {
				id
				role
				status
			}
			members(search: $search, first: $first, after: $after) {
				totalCount
				pageInfo {
					hasNextPage
					endCursor
				}
				edges {
					node {
						id
						role
						createdAt
						user {
							id
							name
						}
					}
				}
			}
		}
	}
`);

/** Join requests waiting in the groups the viewer organizes (the header's badge). */
export const PendingRequestsQuery = graphql(`
	query PendingRequests {
		me {
			id
			pendingRequestCount
		}
	}
`);
