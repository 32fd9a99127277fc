import { graphql } from '../generated';

export const HomeTopicsQuery = graphql(`
	query HomeTopics {
		topics {
			id
			slug
			name
			groupCount
		}
	}
`);
