import { graphql } from '../generated';

/** Suggestions for a place box (the contract's Places operation). */
export const PlacesQuery = graphql(`
	query Places($search: String!, $first: Int) {
		places(search: $search, first: $first) {
			id
			name
			region
			country
			countryCode
			population
			timezone
			location {
				lat
				lng
			}
		}
	}
`);

/** One place by the id a `?place=` link carries. */
export const PlaceByIdQuery = graphql(`
	query PlaceById($id: ID!) {
		place(id: $id) {
			id
			name
			region
			country
			countryCode
			population
			timezone
			location {
				lat
				lng
			}
		}
	}
`);

/** The signed-in person's home place, where explore starts. */
export const HomePlaceQuery = graphql(`
	query HomePlace {
		me {
			id
			city
			location {
				lat
				lng
			}
		}
	}
`);
