import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { AsksTotalCount, ConnectionType, ForwardPageArgs } from '../../shared/pagination.js';
import { Event } from '../event/event.entity.js';
import { eventLoaders } from '../event/event.loaders.js';
import { Me } from '../user/me.type.js';
import { User } from '../user/user.entity.js';
import { userLoaders } from '../user/user.loaders.js';
import { Rsvp } from './rsvp.entity.js';
import { RsvpResponse, RsvpStatus } from './rsvp.enums.js';
import { eventAttendees, upcomingRsvps } from './rsvp.lists.js';
import { rsvpLoaders } from './rsvp.loaders.js';
import * as rsvps from './rsvp.service.js';
import type { Read } from '../../db/read.js';

export const RsvpConnection = ConnectionType('Rsvp', Rsvp, 'RSVPs');

@ArgsType()
class AttendeesArgs extends ForwardPageArgs {
  @Field(() => RsvpStatus, { nullable: true, description: 'Which list: GOING (default), WAITLISTED or NOT_GOING.' })
  status?: RsvpStatus | null;
}

@Resolver(() => Rsvp)
export class RsvpResolver {
  @Mutation(() => Rsvp, {
    description:
      'Answers an event (active members only). YES takes seats for you and your guests, or puts you at the end of the waitlist; ' +
      'NO frees them and promotes the waitlist. The same answer again changes nothing.',
  })
  rsvp(
    @Arg('eventId', () => ID, { description: 'The event.' }) eventId: string,
    @Arg('response', () => RsvpResponse, { description: 'YES or NO.' }) response: RsvpResponse,
    @Arg('guests', () => Int, {
      nullable: true,
      description: 'Extra people you bring with YES, 0 to the event\'s guestLimit. Default: as before (0 for a new answer).',
    })
    guests: number | null,
    @Ctx() ctx: Context,
  ) {
    return rsvps.rsvp(ctx, eventId, response, guests);
  }

  @Mutation(() => Rsvp, { description: 'Records whether someone came, once the event has started (hosts, organizers and event organizers).' })
  markAttended(
    @Arg('rsvpId', () => ID, { description: 'The RSVP.' }) rsvpId: string,
    @Arg('attended', { description: 'True if they came.' }) attended: boolean,
    @Ctx() ctx: Context,
  ) {
    return rsvps.markAttended(ctx, rsvpId, attended);
  }

  @FieldResolver(() => Int, { nullable: true, description: '1-based place on the waitlist (first in, first out); null when not waitlisted.' })
  waitlistPosition(@Root() rsvp: Read<Rsvp>, @Ctx() ctx: Context) {
    if (rsvp.status !== RsvpStatus.WAITLISTED) return null;
    return ctx.loaders.get(rsvpLoaders).waitlistPosition.load({ id: rsvp.id, eventId: rsvp.event.id });
  }

  @FieldResolver(() => User, { description: 'Who answered.' })
  user(@Root() rsvp: Read<Rsvp>, @Ctx() ctx: Context) {
    return ctx.loaders.get(userLoaders).byId.load(rsvp.user.id);
  }

  @FieldResolver(() => Event, { description: 'The event answered.' })
  event(@Root() rsvp: Read<Rsvp>, @Ctx() ctx: Context) {
    return ctx.loaders.get(eventLoaders).byId.load(rsvp.event.id);
  }
}

@Resolver(() => Event)
export class EventRsvpsResolver {
  @FieldResolver(() => RsvpConnection, {
    description:
      'RSVPs of one status: going (by when they got their seat; totalCount counts RSVPs, goingCount heads), ' +
      'waitlisted (first in first out) or not going. Empty for outsiders of a private group.',
  })
  attendees(@Root() event: Read<Event>, @Args() args: AttendeesArgs, @AsksTotalCount() withCount: boolean, @Ctx() ctx: Context) {
    return eventAttendees(ctx, event, args.status, args, withCount);
  }

  @FieldResolver(() => Rsvp, { nullable: true, description: 'Your RSVP to this event (any status), or null.' })
  viewerRsvp(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    return ctx.loaders.get(rsvpLoaders).viewerByEventId.load(event.id);
  }
}

@Resolver(() => Me)
export class MeRsvpsResolver {
  @FieldResolver(() => RsvpConnection, { description: 'Your GOING and WAITLISTED RSVPs to events that have not ended, soonest first.' })
  upcomingRsvps(@Root() me: Read<User>, @Args() page: ForwardPageArgs, @Ctx() ctx: Context) {
    return upcomingRsvps(ctx, me.id, page);
  }
}
