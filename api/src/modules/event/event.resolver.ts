import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { Group } from '../group/group.entity.js';
import { groupLoaders } from '../group/group.loaders.js';
import { SeriesScope } from '../series/series.enums.js';
import { User } from '../user/user.entity.js';
import { EventConnection } from './event.connection.js';
import { Event } from './event.entity.js';
import { CreateEventInput, GroupEventsArgs, UpdateEventInput } from './event.inputs.js';
import { eventLoaders } from './event.loaders.js';
import { canSeeInside } from '../membership/membership.policy.js';
import { canSeeOnlineUrl } from './event.policy.js';
import * as events from './event.service.js';
import { Venue } from './venue.entity.js';
import { LatLng, latLng } from '../../shared/geo.js';
import type { Read } from '../../db/read.js';
import { AsksTotalCount } from '../../shared/pagination.js';

@Resolver(() => Event)
export class EventResolver {
  @Query(() => Event, {
    nullable: true,
    description: 'An event by id; null with NOT_FOUND when there is none or it belongs to a private group you are not a member of.',
  })
  event(@Arg('id', () => ID, { description: 'The event\'s id.' }) id: string, @Ctx() ctx: Context) {
    return events.visibleEvent(ctx, id);
  }

  @Mutation(() => Event, { description: 'Creates an event with its discussion thread; you become its host (organizers and event organizers).' })
  createEvent(@Arg('input', () => CreateEventInput, { description: 'The new event.' }) input: CreateEventInput, @Ctx() ctx: Context) {
    return events.createEvent(ctx, input);
  }

  @Mutation(() => Event, { description: 'Changes an event (organizers and event organizers). Raising capacity promotes the waitlist.' })
  updateEvent(
    @Arg('id', () => ID, { description: 'The event to change.' }) id: string,
    @Arg('input', () => UpdateEventInput, { description: 'The fields to change.' }) input: UpdateEventInput,
    @Arg('scope', () => SeriesScope, { nullable: true, description: 'For a recurring event: this occurrence (default) or this and the following ones.' })
    scope: SeriesScope | null,
    @Ctx() ctx: Context,
  ) {
    return events.updateEvent(ctx, id, input, scope);
  }

  @Mutation(() => Event, { description: 'Cancels an event (organizers and event organizers): RSVPs stay, new ones are refused.' })
  cancelEvent(
    @Arg('id', () => ID, { description: 'The event to cancel.' }) id: string,
    @Arg('scope', () => SeriesScope, { nullable: true, description: 'For a recurring event: this occurrence (default) or this and the following ones.' })
    scope: SeriesScope | null,
    @Ctx() ctx: Context,
  ) {
    return events.cancelEvent(ctx, id, scope);
  }

  @FieldResolver(() => Group, { description: 'The group holding the event.' })
  group(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    return ctx.loaders.get(groupLoaders).byId.load(event.group.id);
  }

  @FieldResolver(() => String, { description: 'IANA time zone the event is shown in: its group\'s.' })
  async timezone(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    return (await ctx.loaders.get(groupLoaders).byId.load(event.group.id))!.timezone;
  }

  @FieldResolver(() => [User], { description: 'Who hosts the event: its creator, and anyone added later.' })
  hosts(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    return ctx.loaders.get(eventLoaders).hostsByEventId.load(event.id);
  }

  @FieldResolver(() => Venue, { nullable: true, description: 'Where it takes place; null for an online-only event.' })
  venue(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    return event.venue ? ctx.loaders.get(eventLoaders).venueById.load(event.venue.id) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Link to join online: shown to going attendees, hosts and the group\'s organizers; null for everyone else.',
  })
  async onlineUrl(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    if (!event.onlineUrl) return null;
    return (await canSeeOnlineUrl(ctx, event)) ? event.onlineUrl : null;
  }
}

@Resolver(() => Group)
export class GroupEventsResolver {
  @FieldResolver(() => EventConnection, {
    description: 'The group\'s events, cancelled ones included: upcoming (default) or past. Empty for outsiders of a private group.',
  })
  events(@Root() group: Read<Group>, @Args() args: GroupEventsArgs, @AsksTotalCount() withCount: boolean, @Ctx() ctx: Context) {
    return events.groupEvents(ctx, group, args.when, args, withCount);
  }

  @FieldResolver(() => Event, {
    nullable: true,
    description: 'The group\'s next scheduled event that has not ended yet; null when there is none, and for outsiders of a private group.',
  })
  async nextEvent(@Root() group: Read<Group>, @Ctx() ctx: Context) {
    // Loaded alongside the check so a page's public and private groups share one batch.
    const [visible, next] = await Promise.all([canSeeInside(ctx, group), ctx.loaders.get(eventLoaders).nextByGroupId.load(group.id)]);
    return visible ? next : null;
  }
}

@Resolver(() => Venue)
export class VenueResolver {
  // A field resolver, not a getter: read rows are plain objects (db/read.ts).
  @FieldResolver(() => LatLng, { nullable: true, description: 'Where the venue is, for maps.' })
  location(@Root() venue: Read<Venue>): LatLng | null {
    return latLng(venue.lat, venue.lng);
  }
}
