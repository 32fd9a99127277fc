import { ArgsType, Field, Int } from 'type-graphql';
import { IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';

/** Most places one search returns. */
export const MAX_PLACES = 20;
/** Places a search returns when the client does not say. */
export const DEFAULT_PLACES = 8;

@ArgsType()
export class PlacesArgs {
  @Field({
    description: 'The start of a place\'s name, in any case and with or without accents ("sao pa", "zur"); text after a comma narrows by country or region ("manchester, us"). Blank returns no places.',
  })
  @MaxLength(100)
  search!: string;

  @Field(() => Int, { nullable: true, description: `How many places to return, 0 to ${MAX_PLACES}; default ${DEFAULT_PLACES}.` })
  @IsOptional()
  @IsInt()
  @Min(0, { message: `must be between 0 and ${MAX_PLACES}` })
  @Max(MAX_PLACES, { message: `must be between 0 and ${MAX_PLACES}` })
  first?: number | null;
}
