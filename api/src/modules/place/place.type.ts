import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LatLng } from '../../shared/geo.js';

@ObjectType({ description: 'A city or town from the offline gazetteer (GeoNames places of 1,000+ people).' })
export class Place {
  @Field(() => ID, { description: 'The GeoNames id of the place; stable, usable in links (`?place=`).' })
  id!: string;

  @Field({ description: 'The place\'s name, in its usual (often local) spelling, e.g. "Zürich".' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The state, province or nation it lies in (e.g. "New York", "England") where the gazetteer knows it; else null.',
  })
  region!: string | null;

  @Field({ description: 'The country\'s name in English, e.g. "Brazil".' })
  country!: string;

  @Field({ description: 'ISO 3166-1 alpha-2 country code, e.g. "BR".' })
  countryCode!: string;

  @Field(() => Int, { description: 'How many people live there (GeoNames).' })
  population!: number;

  @Field({ description: 'IANA time zone at the place, e.g. "America/Sao_Paulo".' })
  timezone!: string;

  @Field(() => LatLng, { description: 'Where the place is (its centre).' })
  location!: LatLng;
}
