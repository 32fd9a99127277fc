import { graphql } from '../generated';

/** Organizer tools: the group's settings, pending requests with answers, members and bans. */
export const ManageGroupQuery = graphql(`
	query ManageGroup($slug: String!) {
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
			viewerMembership {
				id
				role
				status
			}
			pending: members(status: PENDING, first: 100) {
				totalCount
				edges {
					node {
						...ManagedMember
					}
				}
			}
			active: members(status: ACTIVE, first: 100) {
				totalCount
				edges {
					node {
						...ManagedMember
					}
				}
			}
			banned: members(status: BANNED, first: 100) {
				totalCount
				edges {
					node {
						...ManagedMember
					}
				}
			}
		}
	}
`);

export const ManagedMemberFragment = graphql(`
	fragment ManagedMember on Membership {
		id
		role
		status
		answer
		createdAt
		joinedAt
		user {
			id
			name
			city
		}
	}
`);

export const ReviewMembershipMutation = graphql(`
	mutation ReviewMembership($membershipId: ID!, $approve: Boolean!) {
		reviewMembership(membershipId: $membershipId, approve: $approve) {
			id
			status
		}
	}
`);

export const SetMemberRoleMutation = graphql(`
	mutation SetMemberRole($membershipId: ID!, $role: MemberRole!) {
		setMemberRole(membershipId: $membershipId, role: $role) {
			id
			role
		}
	}
`);

export const RemoveMemberMutation = graphql(`
	mutation RemoveMember($membershipId: ID!, $ban: Boolean) {
		removeMember(membershipId: $membershipId, ban: $ban)
	}
`);

/** Bans a person from a group by their user id, whatever their standing (the members page). */
export const BanFromGroupMutation = graphql(`
	mutation BanFromGroup($groupId: ID!, $userId: ID!) {
		banFromGroup(groupId: $groupId, userId: $userId) {
			id
			status
		}
	}
`);
