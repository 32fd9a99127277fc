import { graphql } from '../generated';

export const GroupPageQuery = graphql(`
	query GroupPage($slug: String!, $upcoming: Int = 10, $past: Int = 5) {
		group(slug: $slug) {
			id
			slug
			name
			description
			city
			timezone
			visibility
			joinMode
			joinQuestion
			memberCount
			pendingRequestCount
			createdAt
			location {
				lat
				lng
			}
			topics {
				slug
				name
			}
			coverImage {
				...CoverImage
			}
			someMembers: members(first: 8) {
				totalCount
				edges {
					node {
						id
						role
						user {
							id
							name
						}
					}
				}
			}
			organizers: members(role: ORGANIZER, first: 5) {
				edges {
					node {
						id
						role
						user {
							id
							name
						}
					}
				}
			}
			viewerMembership {
				id
				role
				status
				answer
			}
			upcoming: events(when: UPCOMING, first: $upcoming) {
				totalCount
				pageInfo {
					hasNextPage
					endCursor
				}
				edges {
					node {
						...EventCard
					}
				}
			}
			past: events(when: PAST, first: $past) {
				totalCount
				pageInfo {
					hasNextPage
					endCursor
				}
				edges {
					node {
						...EventCard
					}
				}
			}
			threads(first: 10) {
				totalCount
				edges {
					node {
						id
						title
						messageCount
						lastMessageAt
						author {
							id
							name
						}
					}
				}
			}
		}
	}
`);

/** The next page of a group's upcoming or past events ("more" button). */
export const GroupEventsQuery = graphql(`
	query GroupEvents($slug: String!, $when: EventTimeFilter!, $first: Int, $after: String) {
		group(slug: $slug) {
			id
			events(when: $when, first: $first, after: $after) {
				totalCount
				pageInfo {
					hasNextPage
					endCursor
				}
				edges {
					node {
						...EventCard
					}
				}
			}
		}
	}
`);

/** What a group's pages below it (new event, manage) need to know about it and the viewer. */
export const GroupHeaderQuery = graphql(`
	query GroupHeader($slug: String!) {
		group(slug: $slug) {
			id
			slug
			name
			city
			timezone
			location {
				lat
				lng
			}
			viewerMembership {
				id
				role
				status
			}
		}
	}
`);

export const CreateGroupMutation = graphql(`
	mutation CreateGroup($input: CreateGroupInput!) {
		createGroup(input: $input) {
			id
			slug
			name
			visibility
			joinMode
			viewerMembership {
				id
				role
				status
			}
		}
	}
`);

export const UpdateGroupMutation = graphql(`
	mutation UpdateGroup($id: ID!, $input: UpdateGroupInput!) {
		updateGroup(id: $id, input: $input) {
			id
			name
			description
			visibility
			joinMode
		}
	}
`);

export const JoinGroupMutation = graphql(`
	mutation JoinGroup($groupId: ID!, $answer: String) {
		joinGroup(groupId: $groupId, answer: $answer) {
			id
			role
			status
		}
	}
`);

export const LeaveGroupMutation = graphql(`
	mutation LeaveGroup($groupId: ID!) {
		leaveGroup(groupId: $groupId)
	}
`);

export const CreateThreadMutation = graphql(`
	mutation CreateThread($input: CreateThreadInput!) {
		createThread(input: $input) {
			id
			title
			messageCount
		}
	}
`);
