import { graphql } from '../generated';

/** A discussion page: the thread's newest messages and the viewer's place in its group. */
export const ThreadPageQuery = graphql(`
	query ThreadPage($id: ID!, $slug: String!, $last: Int = 30) {
		thread(id: $id) {
			id
			title
			messageCount
			lastMessageAt
			createdAt
			author {
				id
				name
			}
			group {
				id
				slug
				name
				timezone
			}
			event {
				id
				title
			}
			messages(last: $last) {
				pageInfo {
					hasPreviousPage
					startCursor
				}
				edges {
					cursor
					node {
						...ChatMessage
					}
				}
			}
		}
		group(slug: $slug) {
			id
			slug
			name
			timezone
			viewerMembership {
				id
				role
				status
			}
		}
	}
`);

/** A page of a thread's messages, newest last: the latest ones, or those before a cursor. */
export const ThreadMessagesQuery = graphql(`
	query ThreadMessages($id: ID!, $last: Int, $before: String) {
		thread(id: $id) {
			id
			title
			messageCount
			lastMessageAt
			messages(last: $last, before: $before) {
				pageInfo {
					hasPreviousPage
					startCursor
				}
				edges {
					cursor
					node {
						...ChatMessage
					}
				}
			}
		}
	}
`);

export const PostMessageMutation = graphql(`
	mutation PostMessage($threadId: ID!, $body: String!) {
		postMessage(threadId: $threadId, body: $body) {
			...ChatMessage
		}
	}
`);

export const EditMessageMutation = graphql(`
	mutation EditMessage($id: ID!, $body: String!) {
		editMessage(id: $id, body: $body) {
			...ChatMessage
		}
	}
`);

export const DeleteMessageMutation = graphql(`
	mutation DeleteMessage($id: ID!) {
		deleteMessage(id: $id) {
			...ChatMessage
		}
	}
`);
