import { graphql } from '../generated';

/** Who is signed in, for every page (hooks.server.ts). */
export const ViewerQuery = graphql(`
	query Viewer {
		me {
			id
			name
			unreadNotificationCount
		}
	}
`);

export const SignUpMutation = graphql(`
	mutation SignUp($input: SignUpInput!) {
		signUp(input: $input) {
			token
			user {
				id
				name
				city
			}
		}
	}
`);

export const LogInMutation = graphql(`
	mutation LogIn($input: LogInInput!) {
		logIn(input: $input) {
			token
			user {
				id
				name
				email
			}
		}
	}
`);

export const LogOutMutation = graphql(`
	mutation LogOut {
		logOut
	}
`);

/** The "me" page: my groups and my upcoming RSVPs. */
export const MePageQuery = graphql(`
	query MePage {
		me {
			id
			name
			email
			city
			bio
			memberships(first: 50) {
				totalCount
				edges {
					node {
						id
						role
						status
						group {
							id
							slug
							name
							city
							memberCount
							pendingRequestCount
						}
					}
				}
			}
			upcomingRsvps(first: 20) {
				totalCount
				edges {
					node {
						id
						status
						guests
						waitlistPosition
						event {
							...EventCard
						}
					}
				}
			}
		}
	}
`);
