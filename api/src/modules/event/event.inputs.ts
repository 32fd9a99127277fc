import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IsOptional, IsUrl, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { LatLngInput } from '../../shared/geo.js';
import { ForwardPageArgs } from '../../shared/pagination.js';
import { EventTimeFilter } from './event.enums.js';

const URL_RULE = { protocols: ['http', 'https'], require_protocol: true };
const URL_MESSAGE = { message: 'must be an http(s) link such as https://meet.example.com/abc' };

/** Largest capacity an event may have. */
export const MAX_CAPACITY = 100_000;
/** Most extra guests an event may let one RSVP bring. */
export const MAX_GUEST_LIMIT = 100;

@InputType({ description: 'Where an event takes place.' })
export class VenueInput {
  @Field({ description: 'Name of the place, 1 to 200 characters.' })
  @Length(1, 200, { message: 'must be 1 to 200 characters long' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Street address, up to 500 characters.' })
  @IsOptional()
  @MaxLength(500)
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'City, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  city?: string | null;

  @Field(() => LatLngInput, { nullable: true, description: 'Where the place is, for maps and "near me".' })
  @IsOptional()
  @ValidateNested()
  location?: LatLngInput | null;
}

@InputType({ description: 'A new event of a group (organizers and event organizers only). Its creator becomes its host.' })
export class CreateEventInput {
  @Field(() => ID, { description: 'The group the event belongs to.' })
  groupId!: string;

  @Field({ description: 'Title, 1 to 200 characters.' })
  @Length(1, 200, { message: 'must be 1 to 200 characters long' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What will happen, up to 10,000 characters.' })
  @IsOptional()
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => Date, { description: 'When it starts. May be in the past (to record a group\'s history).' })
  startsAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it ends; not before startsAt. Default: two hours after startsAt.' })
  endsAt?: Date | null;

  @Field(() => VenueInput, { nullable: true, description: 'Where it takes place.' })
  @IsOptional()
  @ValidateNested()
  venue?: VenueInput | null;

  @Field(() => String, { nullable: true, description: 'Link to join online; shown only to going attendees, hosts and organizers.' })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl(URL_RULE, URL_MESSAGE)
  onlineUrl?: string | null;

  @Field(() => Int, { nullable: true, description: `Most people who can go, guests included, 0 to ${MAX_CAPACITY}. Default: unlimited.` })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more' })
  @Max(MAX_CAPACITY)
  capacity?: number | null;

  @Field(() => Int, { nullable: true, description: `Extra guests one RSVP may bring, 0 to ${MAX_GUEST_LIMIT}. Default 0.` })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more' })
  @Max(MAX_GUEST_LIMIT)
  guestLimit?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Makes the event the first of a series: an RFC 5545 RRULE in the group\'s time zone, e.g. FREQ=WEEKLY;BYDAY=TU or ' +
      'FREQ=MONTHLY;BYDAY=2TH;COUNT=10. Daily to yearly, INTERVAL up to 52, COUNT up to 200; it must fall on startsAt. ' +
      'Occurrences are created up to 90 days ahead.',
  })
  @IsOptional()
  @MaxLength(500)
  recurrence?: string | null;
}

@InputType({
  description:
    'Changes to an event; omitted fields stay as they are. `null` clears venue and onlineUrl and makes capacity unlimited; ' +
    'for the other fields null is the same as omitting them.',
})
export class UpdateEventInput {
  @Field(() => String, { nullable: true, description: 'Title, 1 to 200 characters (also renames the event\'s chat).' })
  @IsOptional()
  @Length(1, 200, { message: 'must be 1 to 200 characters long' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'What will happen, up to 10,000 characters.' })
  @IsOptional()
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => Date, { nullable: true, description: 'New start. Without endsAt, the event keeps its length.' })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'New end; not before the start.' })
  endsAt?: Date | null;

  @Field(() => VenueInput, { nullable: true, description: 'Where it takes place; null removes the venue.' })
  @IsOptional()
  @ValidateNested()
  venue?: VenueInput | null;

  @Field(() => String, { nullable: true, description: 'Link to join online; null removes it.' })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl(URL_RULE, URL_MESSAGE)
  onlineUrl?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Most people who can go, guests included; null = unlimited. Raising it promotes the waitlist; lowering it below goingCount removes nobody, and nobody new is seated until there is room.',
  })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more' })
  @Max(MAX_CAPACITY)
  capacity?: number | null;

  @Field(() => Int, { nullable: true, description: `Extra guests one RSVP may bring, 0 to ${MAX_GUEST_LIMIT}; existing RSVPs keep theirs.` })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more' })
  @Max(MAX_GUEST_LIMIT)
  guestLimit?: number | null;
}

@ArgsType()
export class GroupEventsArgs extends ForwardPageArgs {
  @Field(() => EventTimeFilter, { nullable: true, description: 'Upcoming (default, soonest first) or past (most recent first).' })
  when?: EventTimeFilter | null;
}
