import { graphql } from '../generated';

export const TopicsQuery = graphql(`
	query Topics($first: Int) {
		topics(first: $first) {
			id
			slug
			name
			groupCount
		}
	}
`);

export const ExploreGroupsQuery = graphql(`
	query ExploreGroups(
		$search: String
		$topic: String
		$near: GeoInput
		$first: Int
		$after: String
	) {
		groups(filter: { search: $search, topic: $topic, near: $near }, first: $first, after: $after) {
			totalCount
			pageInfo {
				hasNextPage
				endCursor
			}
			edges {
				cursor
				node {
					...GroupCard
				}
			}
		}
	}
`);

export const ExploreEventsQuery = graphql(`
	query ExploreEvents($filter: EventFilter, $first: Int, $after: String) {
		events(filter: $filter, first: $first, after: $after) {
			totalCount
			pageInfo {
				hasNextPage
				endCursor
			}
			edges {
				cursor
				node {
					...EventCard
				}
			}
		}
	}
`);
