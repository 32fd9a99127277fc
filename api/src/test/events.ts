import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TestApi } from './api.js';
import { Event } from '../modules/event/event.entity.js';
import { EventStatus } from '../modules/event/event.enums.js';
import { Venue } from '../modules/event/venue.entity.js';
import { Group } from '../modules/group/group.entity.js';
import { User } from '../modules/user/user.entity.js';
import { addMember, createGroup, ok, signUp, sql, type TestUser } from './factories.js';

export { contractOperation } from './contract.js';

const HOUR = 3600_000;
/** An instant `hours` from now, as the API takes it. */
export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

const CREATE_EVENT = `mutation ($input: CreateEventInput!) { createEvent(input: $input) { id title startsAt endsAt capacity guestLimit status } }`;

/** Creates an event in `groupId` as `token` (an organizer), starting in a day unless `overrides` say otherwise. */
export async function createEvent(t: TestApi, token: string, groupId: string, overrides: Record<string, unknown> = {}) {
  const input = { groupId, title: `Meetup ${randomBytes(3).toString('hex')}`, startsAt: hoursFromNow(24), ...overrides };
  return ok(await t.gql(CREATE_EVENT, { input }, token)).createEvent as { id: string; title: string; startsAt: string };
}

const RSVP = `mutation ($eventId: ID!, $response: RsvpResponse!, $guests: Int) {
  rsvp(eventId: $eventId, response: $response, guests: $guests) {
    id status guests waitlistPosition event { goingCount waitlistCount attendanceVersion }
  }
}`;

/** Sends an RSVP and returns the raw answer (check `errors` yourself). */
export function rsvp(t: TestApi, token: string, eventId: string, response: 'YES' | 'NO', guests?: number | null) {
  return t.gql(RSVP, { eventId, response, guests: guests ?? null }, token);
}

/** An organizer with a fresh group, and an event of it (capacity etc. from `event`). */
export async function eventWithOrganizer(t: TestApi, event: Record<string, unknown> = {}, group: Record<string, unknown> = {}) {
  const organizer = await signUp(t, 'Organizer');
  const g = await createGroup(t, organizer.token, group);
  const e = await createEvent(t, organizer.token, g.id, event);
  return { organizer, group: g, event: e };
}

/** `n` new active members of a group, each signed up through the API. */
export function members(t: TestApi, organizerToken: string, groupId: string, n: number): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: n }, () => addMember(t, organizerToken, groupId)));
}

/**
 * `n` active members of a group inserted straight into the database, each with a session token:
 * fast enough for races of hundreds of people.
 */
export async function bulkMembers(t: TestApi, groupId: string, n: number): Promise<Array<{ id: string; token: string }>> {
  const people = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), token: randomBytes(32).toString('base64url'), i }));
  const tag = randomBytes(4).toString('hex');
  for (let from = 0; from < n; from += 100) {
    const batch = people.slice(from, from + 100);
    const values = (k: number) => batch.map(() => `(${Array.from({ length: k }, () => '?').join(', ')})`).join(', ');
    await sql(t, `insert into users (id, email, password_hash, name) values ${values(4)}`,
      batch.flatMap((p) => [p.id, `racer.${tag}.${p.i}@example.test`, 'not-a-hash', `Racer ${p.i}`]));
    await sql(t, `insert into sessions (id, user_id, token_hash, expires_at) values ${values(4)}`,
      batch.flatMap((p) => [randomUUID(), p.id, createHash('sha256').update(p.token).digest('hex'), new Date(Date.now() + 86_400_000)]));
    await sql(t, `insert into memberships (id, group_id, user_id, role, status, joined_at) values ${values(6)}`,
      batch.flatMap((p) => [randomUUID(), groupId, p.id, 'MEMBER', 'ACTIVE', new Date()]));
  }
  await sql(t, 'update groups set member_count = member_count + ? where id = ?', [n, groupId]);
  return people.map(({ id, token }) => ({ id, token }));
}

/** The attendance invariants of rule 6 (docs/ARCHITECTURE.md, Attendance rules), read from the database. */
export async function attendanceState(t: TestApi, eventId: string) {
  const [event] = await sql(t, 'select capacity, going_count, waitlist_count, attendance_version from events where id = ?', [eventId]);
  const [rows] = await sql(
    t,
    `select coalesce(sum(1 + guests) filter (where status = 'GOING'), 0)::int as heads,
            count(*) filter (where status = 'WAITLISTED')::int as waiting,
            count(*)::int as rsvps
     from rsvps where event_id = ?`,
    [eventId],
  );
  const positions = await sql<{ position: string }>(
    t,
    `select row_number() over (order by waitlisted_at, id) as position from rsvps where event_id = ? and status = 'WAITLISTED'`,
    [eventId],
  );
  return {
    capacity: event.capacity as number | null,
    goingCount: event.going_count as number,
    waitlistCount: event.waitlist_count as number,
    version: event.attendance_version as number,
    heads: rows.heads as number,
    waiting: rows.waiting as number,
    rsvps: rows.rsvps as number,
    positions: positions.map((p) => Number(p.position)),
  };
}

/** What insertEvent writes; everything but startsAt has a default. */
export interface EventSpec {
  title?: string;
  description?: string;
  startsAt: Date | string;
  hours?: number;
  venue?: { name: string; address?: string; city?: string; lat?: number; lng?: number };
  onlineUrl?: string;
  status?: EventStatus;
}

/** Puts an event straight into the database, for tests of what only reads events (discovery, calendars). */
export async function insertEvent(t: TestApi, createdById: string, groupId: string, spec: EventSpec): Promise<string> {
  const em = t.api.db.orm.em.fork();
  const group = em.getReference(Group, groupId);
  const venue = spec.venue ? em.create(Venue, { group, ...spec.venue }) : null;
  const startsAt = new Date(spec.startsAt);
  const event = em.create(Event, {
    group, venue, createdBy: em.getReference(User, createdById), title: spec.title ?? 'Meetup', description: spec.description ?? '',
    startsAt, endsAt: new Date(startsAt.getTime() + (spec.hours ?? 2) * HOUR), onlineUrl: spec.onlineUrl ?? null,
    status: spec.status ?? EventStatus.SCHEDULED,
  });
  await em.flush();
  return event.id;
}
