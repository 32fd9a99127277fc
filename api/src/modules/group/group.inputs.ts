import { Field, InputType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { GeoInput, LatLngInput } from '../../shared/geo.js';
import { GroupVisibility, JoinMode } from './group.enums.js';
import { NotBlank } from '../../shared/validation.js';

@InputType({ description: 'A new group. Its creator becomes its first organizer.' })
export class CreateGroupInput {
  @Field({ description: 'Display name, 1 to 100 characters; the slug is made from it.' })
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  name!: string;

  @Field({ description: 'What the group is about, up to 10,000 characters.' })
  @MaxLength(10_000)
  description!: string;

  @Field({ description: 'The city the group meets in.' })
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  city!: string;

  @Field(() => LatLngInput, { description: 'Where the group meets, roughly.' })
  @ValidateNested()
  location!: LatLngInput;

  @Field({ description: 'IANA time zone, e.g. "America/Chicago".' })
  @MaxLength(64)
  timezone!: string;

  @Field(() => [String], { nullable: true, description: 'Up to ten topic names; unknown ones are created.' })
  @IsOptional()
  @ArrayMaxSize(10, { message: 'a group has at most 10 topics' })
  topics?: string[] | null;

  @Field(() => GroupVisibility, { nullable: true, description: 'Default PUBLIC.' })
  visibility?: GroupVisibility | null;

  @Field(() => JoinMode, { nullable: true, description: 'Default OPEN.' })
  joinMode?: JoinMode | null;

  @Field(() => String, { nullable: true, description: 'A question people answer when they ask to join, up to 500 characters.' })
  @IsOptional()
  @MaxLength(500)
  joinQuestion?: string | null;
}

@InputType({ description: 'Changes to a group; omitted fields stay as they are. The slug never changes.' })
export class UpdateGroupInput {
  @Field(() => String, { nullable: true, description: 'Display name, 1 to 100 characters.' })
  @IsOptional()
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'What the group is about, up to 10,000 characters.' })
  @IsOptional()
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'The city the group meets in.' })
  @IsOptional()
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  city?: string | null;

  @Field(() => LatLngInput, { nullable: true, description: 'Where the group meets, roughly.' })
  @IsOptional()
  @ValidateNested()
  location?: LatLngInput | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. "America/Chicago".' })
  @IsOptional()
  @MaxLength(64)
  timezone?: string | null;

  @Field(() => [String], { nullable: true, description: 'The new list of up to ten topic names (replaces the old list).' })
  @IsOptional()
  @ArrayMaxSize(10, { message: 'a group has at most 10 topics' })
  topics?: string[] | null;

  @Field(() => GroupVisibility, { nullable: true, description: 'Public or private.' })
  visibility?: GroupVisibility | null;

  @Field(() => JoinMode, { nullable: true, description: 'Open or by approval.' })
  joinMode?: JoinMode | null;

  @Field(() => String, { nullable: true, description: 'The join question; an empty string removes it.' })
  @IsOptional()
  @MaxLength(500)
  joinQuestion?: string | null;
}

@InputType({ description: 'Which groups to list. Without search, near or topic: all groups, the biggest first.' })
export class GroupFilter {
  @Field(() => String, { nullable: true, description: 'Words to look for in name, topics and description; ranks by relevance.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Only groups with this topic (its slug).' })
  @IsOptional()
  @MaxLength(60)
  topic?: string | null;

  @Field(() => GeoInput, { nullable: true, description: 'Only groups within this circle; nearest first unless searching.' })
  @IsOptional()
  @ValidateNested()
  near?: GeoInput | null;
}
