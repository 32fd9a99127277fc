import { offsetMinutes } from '../../modules/calendar/time-zone.js';
import type { Row } from './bulk.js';
import type { SeedGroup } from './community.js';
import type { Random } from './random.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** An event as threads are made from it: who may talk in its chat and when. */
export interface SeedEvent {
  id: string;
  group: SeedGroup;
  title: string;
  createdBy: string;
  createdAt: Date;
  endsAt: Date;
  /** Users who answered, in the order they did. */
  respondents: string[];
}

export interface Gatherings {
  events: SeedEvent[];
  rows: { events: Row[]; hosts: Row[]; rsvps: Row[] };
}

const iso = (date: Date) => date.toISOString();

/** The instant when the wall clock in `zone` shows hour:minute on the (UTC) calendar day of `day`. */
function localTime(zone: string, day: Date, hour: number, minute: number): Date {
  const wall = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, minute);
  let instant = wall - offsetMinutes(zone, new Date(wall)) * 60_000;
  instant = wall - offsetMinutes(zone, new Date(instant)) * 60_000; // again, in case DST changes in between
  return new Date(instant);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * When an event of this title starts, local time: on its weekday if the title names one (moving away from today, so
 * past events stay past), in the morning or evening as the title says.
 */
function schedule(random: Random, title: string, outdoor: boolean, day: Date, past: boolean): { day: Date; hour: number; minute: number } {
  const weekday = WEEKDAYS.findIndex((name) => title.includes(name));
  const ahead = (weekday - day.getUTCDay() + 7) % 7;
  const shifted = weekday < 0 ? day : new Date(day.getTime() + (past ? (ahead ? ahead - 7 : 0) : ahead) * DAY);
  const hour = /sunrise/i.test(title)
    ? 6
    : /breakfast|morning/i.test(title)
      ? random.pick([8, 9])
      : /night|evening|sunset/i.test(title) || !outdoor
      ? random.pick([18, 18, 19])
      : random.pick([9, 10, 11]);
  return { day: shifted, hour, minute: random.pick([0, 0, 30]) };
}

/** `n` sorted instants between from and to (to ≥ from). */
function times(random: Random, n: number, from: Date, to: Date): Date[] {
  const span = Math.max(0, to.getTime() - from.getTime());
  return Array.from({ length: n }, () => from.getTime() + Math.floor(random.next() * span))
    .sort((a, b) => a - b)
    .map((t) => new Date(t));
}

/**
 * Past and upcoming events of every group, with venues or online links, hosts and RSVPs that follow the
 * attendance rules: GOING while the party fits the capacity, then WAITLISTED in order. Some events are full
 * with a waitlist, a few are cancelled. The counts on each event row are those of its RSVP rows.
 */
export function makeGatherings(random: Random, groups: SeedGroup[], now: Date): Gatherings {
  const rows: Gatherings['rows'] = { events: [], hosts: [], rsvps: [] };
  const events: SeedEvent[] = [];
  const demoId = groups[0]?.members[0]?.userId;
  for (const group of groups) {
    const managers = group.members.filter((m) => m.role !== 'MEMBER').map((m) => m.userId);
    const days = [
      ...Array.from({ length: random.int(2, 6) }, () => -random.int(2, 300)),
      ...Array.from({ length: random.int(1, 4) }, () => random.int(2, 80)),
    ];
    for (const offset of days) {
      const { topic } = group;
      const title = random.pick(topic.events);
      const when = schedule(random, title, topic.outdoor, new Date(now.getTime() + offset * DAY), offset < 0);
      const startsAt = localTime(group.city.timezone, when.day, when.hour, when.minute);
      const endsAt = new Date(startsAt.getTime() + (topic.outdoor ? random.int(3, 5) : random.pick([2, 2, 2.5])) * HOUR);
      const createdAt = new Date(Math.max(group.createdAt.getTime(), Math.min(now.getTime(), startsAt.getTime()) - random.int(3, 40) * DAY));
      const venue = group.venues.length > 0 && random.chance(0.85) ? random.pick(group.venues) : null;
      const capacity = random.chance(0.4) ? null : random.int(8, 40);
      const guestLimit = random.pick([0, 0, 1, 2]);
      const cancelled = random.chance(0.06);
      const createdBy = random.pick(managers);
      const event: SeedEvent = { id: random.uuid(), group, title, createdBy, createdAt, endsAt, respondents: [] };

      // RSVPs: in the order people answered; a full event turns the latecomers into its waitlist.
      const full = capacity !== null && random.chance(0.3);
      const candidates = random.shuffle(group.members.map((m) => m.userId));
      if (offset > 0 && demoId && candidates.includes(demoId) && random.chance(0.7)) candidates.unshift(...candidates.splice(candidates.indexOf(demoId), 1));
      const wanted = capacity === null ? random.int(3, 25) : full ? capacity + random.int(2, 8) : random.int(1, Math.max(1, Math.floor(capacity * 0.8)));
      const respondents = candidates.slice(0, Math.min(wanted, candidates.length));
      const answeredAt = times(random, respondents.length, createdAt, new Date(Math.min(now.getTime(), startsAt.getTime())));
      let going = 0;
      let waitlisted = 0;
      respondents.forEach((userId, k) => {
        const guests = guestLimit > 0 && random.chance(0.3) ? random.int(1, guestLimit) : 0;
        let status: 'GOING' | 'WAITLISTED' | 'NOT_GOING' = 'NOT_GOING';
        if (!random.chance(0.08)) status = capacity === null || going + 1 + guests <= capacity ? 'GOING' : 'WAITLISTED';
        if (status === 'GOING') going += 1 + guests;
        if (status === 'WAITLISTED') waitlisted += 1;
        const at = iso(answeredAt[k]);
        rows.rsvps.push({
          id: random.uuid(), event_id: event.id, user_id: userId, status, guests: status === 'NOT_GOING' ? 0 : guests,
          attended: status === 'GOING' && endsAt < now && random.chance(0.85),
          waitlisted_at: status === 'WAITLISTED' ? at : null, seated_at: status === 'GOING' ? at : null, created_at: at, updated_at: at,
        });
      });
      event.respondents = respondents;

      rows.events.push({
        id: event.id, group_id: group.id, title, venue_id: venue?.id ?? null,
        description: `${title} with ${group.name}, ${venue ? `at ${venue.name}` : 'online'}. ${random.pick(topic.details)}`,
        starts_at: iso(startsAt), ends_at: iso(endsAt),
        online_url: venue ? null : `https://meet.example.com/${event.id.slice(0, 8)}`,
        capacity, guest_limit: guestLimit, status: cancelled ? 'CANCELLED' : 'SCHEDULED', created_by_id: createdBy,
        going_count: going, waitlist_count: waitlisted, attendance_version: respondents.length,
        created_at: iso(createdAt), updated_at: iso(createdAt),
      });
      const hosts = new Set([createdBy, ...(random.chance(0.3) ? [random.pick(managers)] : [])]);
      for (const host of hosts) rows.hosts.push({ event_id: event.id, user_id: host, created_at: iso(createdAt) });
      events.push(event);
    }
  }
  return { events, rows };
}
