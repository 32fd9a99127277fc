import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { isId, notFound } from '../../shared/errors.js';
import { topic, type LivePublisher } from '../../shared/live.js';
import { watch } from '../live/live-watch.js';
import type { LiveStream } from '../live/live-stream.js';
import { canSeeInside } from '../membership/membership.policy.js';
import { Event } from './event.entity.js';
import type { EventStatus } from './event.enums.js';
import { Venue } from './venue.entity.js';

/**
 * An event as it is after a change to itself (cancelled, moved, venue, capacity, title...), shaped like `Event`
 * (docs/ARCHITECTURE.md, "Live protocol"). Only fields every viewer who may see the event may see: no `onlineUrl`.
 */
export interface EventChange {
  /** The event's group, for access checks (not a GraphQL field). */
  groupId: string;
  id: string;
  title: string;
  description: string;
  status: EventStatus;
  startsAt: string;
  endsAt: string;
  capacity: number | null;
  guestLimit: number;
  goingCount: number;
  waitlistCount: number;
  attendanceVersion: number;
  venue: { name: string; address: string | null; city: string | null; location: { lat: number; lng: number } | null } | null;
}

/** Changes to events themselves, per event id. */
export const eventChangedTopic = topic<EventChange>('event');

/** Reads the event as committed (on a fork of its own) and sends it to the event's live subscribers. */
export async function publishEventChange(em: EntityManager, live: LivePublisher, eventId: string): Promise<void> {
  const fork = em.fork();
  const event = await fork.findOne(Event, eventId);
  if (!event) return;
  const venue = event.venue ? await fork.findOne(Venue, event.venue.id) : null;
  live.publish(eventChangedTopic, event.id, {
    groupId: event.group.id,
    id: event.id,
    title: event.title,
    description: event.description,
    status: event.status,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    capacity: event.capacity,
    guestLimit: event.guestLimit,
    goingCount: event.goingCount,
    waitlistCount: event.waitlistCount,
    attendanceVersion: event.attendanceVersion,
    venue: venue && {
      name: venue.name,
      address: venue.address,
      city: venue.city,
      location: venue.lat !== null && venue.lng !== null ? { lat: venue.lat, lng: venue.lng } : null,
    },
  });
}

/** Starts watching changes to an event, with the same access rules as reading it. */
export async function watchEventChanges(ctx: Context, eventId: string): Promise<LiveStream<EventChange>> {
  const event = isId(eventId) ? await ctx.em.fork().findOne(Event, eventId, { populate: ['group'] }) : null;
  if (!event || !(await canSeeInside(ctx, event.group))) throw notFound('Event');
  return watch(ctx, event.group.id, (push) => ctx.live.listen(eventChangedTopic, event.id, push));
}
