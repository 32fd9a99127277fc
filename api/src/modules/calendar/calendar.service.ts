import type { EntityManager } from '@mikro-orm/postgresql';
import ical, { escape, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { isId } from '../../shared/errors.js';
import { Event } from '../event/event.entity.js';
import { EventStatus } from '../event/event.enums.js';
import { Group } from '../group/group.entity.js';
import { GroupVisibility } from '../group/group.enums.js';
import { vtimezone, ZonedInstant } from './time-zone.js';

/** Most events one group feed lists (the soonest). */
export const FEED_LIMIT = 500;

const PRODUCT = { company: 'Gather', product: 'Gather', language: 'EN' };

/** Where an event's page lives, for the URL property. */
export type EventLink = (eventId: string) => string;

/** The venue as LOCATION (name, then address and city), with GEO when it has a location. Never the online URL. */
function location(event: Event) {
  const venue = event.venue;
  if (!venue) return event.onlineUrl ? 'Online' : null;
  const address = [venue.address, venue.city].filter(Boolean).join(', ');
  const geo = venue.lat != null && venue.lng != null ? { lat: venue.lat, lon: venue.lng } : undefined;
  return { title: venue.name, address: address || undefined, geo };
}

/**
 * A calendar in the group's time zone: VTIMEZONE, and TZID on every start and end. Every text is escaped (RFC 5545
 * §3.3.11): ical-generator escapes the event's own properties but writes the calendar's NAME and X-WR-CALDESC as given.
 */
function calendarOf(name: string, description: string | null, timeZone: string, events: Event[], link: EventLink): ICalCalendar {
  // No X-WR-TIMEZONE: ical-generator writes x-properties after the events, where RFC 5545 allows no calendar property.
  const calendar = ical({ prodId: PRODUCT, name: escape(name, false), description: description ? escape(description, false) : null });
  // The calendar's own zone stays unset (name null) so DTSTAMP, CREATED and LAST-MODIFIED stay in UTC, as RFC 5545 wants.
  if (events.length > 0) calendar.timezone({ name: null, generator: vtimezone });
  for (const event of events) {
    const url = link(event.id);
    calendar.createEvent({
      id: `${event.id}@gather`,
      timezone: timeZone,
      start: new ZonedInstant(event.startsAt, timeZone),
      end: new ZonedInstant(event.endsAt, timeZone),
      stamp: event.updatedAt,
      created: event.createdAt,
      lastModified: event.updatedAt,
      summary: event.title,
      description: event.description ? `${event.description}\n\n${url}` : url,
      location: location(event),
      url,
      status: event.status === EventStatus.CANCELLED ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar;
}

/** One event as a calendar; null when there is no such event or its group is private (never served). */
export async function eventCalendar(em: EntityManager, id: string, link: EventLink): Promise<ICalCalendar | null> {
  if (!isId(id)) return null;
  const event = await em.findOne(Event, id, { populate: ['group', 'venue'] });
  if (!event || event.group.visibility !== GroupVisibility.PUBLIC) return null;
  return calendarOf(event.title, null, event.group.timezone, [event], link);
}

/** A group's upcoming events (not ended yet, cancelled ones marked so) as a feed; null for an unknown or private group. */
export async function groupCalendar(em: EntityManager, slug: string, link: EventLink): Promise<ICalCalendar | null> {
  const group = await em.findOne(Group, { slug });
  if (!group || group.visibility !== GroupVisibility.PUBLIC) return null;
  const events = await em.find(
    Event,
    { group, endsAt: { $gt: new Date() } },
    { populate: ['venue'], orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], limit: FEED_LIMIT },
  );
  return calendarOf(group.name, group.description || null, group.timezone, events, link);
}
