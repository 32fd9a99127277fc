import { graphql } from '../generated';

/** What a place box and a `?place=` link need of a place. */
export const PlaceDetailsFragment = graphql(`
	fragment PlaceDetails on Place {
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
`);

/** Suggestions for a place box (the contract's Places operation). */
export const PlacesQuery = graphql(`
	query Places($search: String!, $first: Int) {
		places(search: $search, first: $first) {
			...PlaceDetails
		}
	}
`);

/** One place by the id a `?place=` link carries. */
export const PlaceByIdQuery = graphql(`
	query PlaceById($id: ID!) {
		place(id: $id) {
			...PlaceDetails
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
