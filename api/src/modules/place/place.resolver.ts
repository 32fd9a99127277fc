import { Arg, Args, ID, Query, Resolver } from 'type-graphql';
import { placeById, searchPlaces } from './gazetteer.js';
import { DEFAULT_PLACES, PlacesArgs } from './place.inputs.js';
import { Place } from './place.type.js';

@Resolver(() => Place)
export class PlaceResolver {
  @Query(() => [Place], {
    description: 'Cities and towns whose name starts with the search (offline GeoNames gazetteer): whole-name matches first, then larger places first.',
  })
  places(@Args() { search, first }: PlacesArgs): Place[] {
    return searchPlaces(search, first ?? DEFAULT_PLACES);
  }

  @Query(() => Place, { nullable: true, description: 'A place by its id (as in `?place=` links), or null when there is none.' })
  place(@Arg('id', () => ID, { description: 'The place\'s GeoNames id.' }) id: string): Place | null {
    return placeById(id);
  }
}
