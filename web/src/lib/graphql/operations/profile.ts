import { graphql } from '../generated';

/** The profile page: what people may change about themselves. */
export const ProfileQuery = graphql(`
	query Profile {
		me {
			id
			name
			bio
			city
			location {
				lat
				lng
			}
		}
	}
`);

/** The contract's UpdateProfile, asking for the home location back too. */
export const UpdateProfileMutation = graphql(`
	mutation UpdateProfile($input: UpdateProfileInput!) {
		updateProfile(input: $input) {
			id
			name
			bio
			city
		}
	}
`);
