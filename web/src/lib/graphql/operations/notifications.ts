import { graphql } from '../generated';

/** The notifications page: newest first, with the unread count. */
export const NotificationsPageQuery = graphql(`
	query NotificationsPage($first: Int, $after: String) {
		me {
			id
			unreadNotificationCount
			notifications(first: $first, after: $after) {
				totalCount
				pageInfo {
					hasNextPage
					endCursor
				}
				edges {
					node {
						id
						kind
						title
						body
						url
						createdAt
						readAt
					}
				}
			}
		}
	}
`);

export const MarkNotificationsReadMutation = graphql(`
	mutation MarkRead($ids: [ID!], $all: Boolean) {
		markNotificationsRead(ids: $ids, all: $all)
	}
`);

/** The bell's live count. */
export const NotificationAddedSubscription = graphql(`
	subscription BellAdded {
		notificationAdded {
			unreadCount
			notification {
				id
				title
			}
		}
	}
`);

export const UnreadCountQuery = graphql(`
	query UnreadCount {
		me {
			id
			unreadNotificationCount
		}
	}
`);

export const SettingsPageQuery = graphql(`
	query SettingsPage {
		me {
			id
			email
			notificationSettings {
				kind
				inApp
				email
			}
		}
	}
`);

export const SaveNotificationSettingsMutation = graphql(`
	mutation SaveNotificationSettings($settings: [NotificationSettingInput!]!) {
		updateNotificationSettings(settings: $settings) {
			kind
			inApp
			email
		}
	}
`);

export const ChangePasswordMutation = graphql(`
	mutation ChangeMyPassword($current: String!, $password: String!) {
		changePassword(current: $current, password: $password)
	}
`);

export const RequestPasswordResetMutation = graphql(`
	mutation ForgotPassword($email: String!) {
		requestPasswordReset(email: $email)
	}
`);

export const ResetPasswordMutation = graphql(`
	mutation ResetMyPassword($token: String!, $password: String!) {
		resetPassword(token: $token, password: $password) {
			token
			user {
				id
				name
			}
		}
	}
`);
