import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { badInput, isId, notFound } from '../../shared/errors.js';
import { findPage } from '../../shared/find-page.js';
import { emptyConnection, type Connection } from '../../shared/pagination.js';
import { isBlank } from '../../shared/text.js';
import type { Group } from '../group/group.entity.js';
import { groupLoaders } from '../group/group.loaders.js';
import { groupById } from '../group/group.service.js';
import { canSeeInside } from '../membership/membership.policy.js';
import { AttendanceLedger } from '../rsvp/attendance-ledger.js';
import { publishAttendance } from '../rsvp/attendance.live.js';
import { changeCapacity, lockEvent } from '../rsvp/seating.js';
import { Thread } from '../thread/thread.entity.js';
import { requireViewer } from '../user/auth.service.js';
import { User } from '../user/user.entity.js';
import { EventHost } from './event-host.entity.js';
import { eventWithSurroundings } from './event-page.js';
import { assertCanManageEvents } from './event.policy.js';
import { Event } from './event.entity.js';
import { publishEventChange } from './event.live.js';
import { EventStatus, EventTimeFilter } from './event.enums.js';
import type { CreateEventInput, UpdateEventInput, VenueInput } from './event.inputs.js';
import { Venue } from './venue.entity.js';
import { SeriesScope } from '../series/series.enums.js';
import { cancelFollowing, seriesRule, startSeries, updateFollowing } from '../series/series.service.js';
import { onEventCancelled, onEventChanged, onEventCreated } from '../notification/notify.js';
import type { Read } from '../../db/read.js';

const TWO_HOURS = 2 * 3600_000;

/**
 * An event the viewer may see, as a read row (db/read.ts: to change it, lock it): NOT_FOUND for unknown ids and for events
 * of private groups they are not an active member of.
 */
export async function visibleEvent(ctx: Context, id: string): Promise<Read<Event>> {
  const event = isId(id) ? await eventWithSurroundings(ctx, id) : null;
  const group = event && (await ctx.loaders.get(groupLoaders).byId.load(event.group.id));
  if (!event || !group || !(await canSeeInside(ctx, group))) throw notFound('Event');
  return event;
}

function cleanTitle(title: string): string {
  const trimmed = title.trim();
  if (isBlank(trimmed)) throw badInput('input.title', 'must not be blank');
  return trimmed;
}

/** Longest an event may last (docs/ARCHITECTURE.md, "Limits"). */
export const MAX_EVENT_DAYS = 14;

function assertTimes(startsAt: Date, endsAt: Date) {
  if (endsAt.getTime() < startsAt.getTime()) throw badInput('input.endsAt', 'must not be before startsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_EVENT_DAYS * 86_400_000) throw badInput('input.endsAt', `an event lasts at most ${MAX_EVENT_DAYS} days`);
}

export function venueFields(input: VenueInput) {
  const name = input.name.trim();
  if (isBlank(name)) throw badInput('input.venue.name', 'must not be blank');
  return {
    name,
    address: input.address?.trim() || null,
    city: input.city?.trim() || null,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
  };
}

/** What a new event row gets; `series` and `seriesSlot` tie an occurrence to its series. */
export interface NewEventFields {
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  venue: ReturnType<typeof venueFields> | null;
  onlineUrl: string | null;
  capacity: number | null;
  guestLimit: number;
  series?: string | null;
  seriesSlot?: Date | null;
}

/** Inside the caller's transaction: an event, its venue, its author as host and its discussion thread. */
export function insertEvent(em: EntityManager, groupId: string, authorId: string, fields: NewEventFields): Event {
  const author = em.getReference(User, authorId);
  const { venue, ...rest } = fields;
  const event = em.create(Event, {
    ...rest,
    group: groupId,
    venue: venue ? em.create(Venue, { group: groupId, ...venue }) : null,
    createdBy: author,
  });
  em.create(EventHost, { event, user: author });
  em.create(Thread, { group: groupId, event, title: fields.title, author });
  return event;
}

/**
 * Creates an event (ORGANIZER or EVENT_ORGANIZER). One transaction writes the event, its venue, its
 * creator as host, and its discussion thread. Nobody is RSVPed: hosts answer like everyone else.
 * With `recurrence`, the event is the first occurrence of a series whose next ones are created with it.
 */
export async function createEvent(ctx: Context, input: CreateEventInput): Promise<Read<Event>> {
  const viewer = requireViewer(ctx);
  const group = await groupById(ctx.em, input.groupId);
  await assertCanManageEvents(ctx, group.id, 'create events');
  const title = cleanTitle(input.title);
  const endsAt = input.endsAt ?? new Date(input.startsAt.getTime() + TWO_HOURS);
  assertTimes(input.startsAt, endsAt);
  const rule = input.recurrence != null ? seriesRule(input.recurrence, group.timezone, input.startsAt) : null;
  const fields: NewEventFields = {
    title,
    description: input.description?.trim() ?? '',
    startsAt: input.startsAt,
    endsAt,
    venue: input.venue ? venueFields(input.venue) : null,
    onlineUrl: input.onlineUrl?.trim() || null,
    capacity: input.capacity ?? null,
    guestLimit: input.guestLimit ?? 0,
  };
  const event = await ctx.em.transactional(async (em) => {
    const event = rule
      ? await startSeries(em as EntityManager, group, viewer.id, rule, fields, new Date())
      : insertEvent(em as EntityManager, group.id, viewer.id, fields);
    await onEventCreated(em as EntityManager, event, viewer.id);
    return event;
  });
  return ctx.em.merge(event);
}

/** Applies the plain (non-attendance) fields of an update to a locked event. */
export async function applyDetails(em: EntityManager, event: Event, input: UpdateEventInput) {
  if (input.title != null) {
    event.title = cleanTitle(input.title);
    await em.nativeUpdate(Thread, { event: event.id }, { title: event.title });
  }
  if (input.description != null) event.description = input.description.trim();
  if (input.startsAt != null || input.endsAt != null) {
    const startsAt = input.startsAt ?? event.startsAt;
    // Moving only the start keeps the event's length.
    const endsAt = input.endsAt ?? new Date(startsAt.getTime() + (event.endsAt.getTime() - event.startsAt.getTime()));
    assertTimes(startsAt, endsAt);
    Object.assign(event, { startsAt, endsAt });
  }
  if (input.venue === null) {
    if (event.venue) em.remove(event.venue);
    event.venue = null;
  } else if (input.venue) {
    const fields = venueFields(input.venue);
    if (event.venue) Object.assign(await em.findOneOrFail(Venue, event.venue.id), fields);
    else event.venue = em.create(Venue, { group: event.group.id, ...fields });
  }
  if (input.onlineUrl !== undefined) event.onlineUrl = input.onlineUrl?.trim() || null;
  if (input.guestLimit != null) event.guestLimit = input.guestLimit;
}

/** An event the viewer may change (its group's ORGANIZER or EVENT_ORGANIZER); `action` completes "Only ... can". */
export async function changeableEvent(ctx: Context, id: string, action: string): Promise<Read<Event>> {
  const found = await visibleEvent(ctx, id);
  await assertCanManageEvents(ctx, found.group.id, action);
  return found;
}

/**
 * Changes an event (ORGANIZER or EVENT_ORGANIZER) under its row lock. A new capacity is an
 * attendance change: it may promote the waitlist, and is published after the commit.
 * THIS_AND_FOLLOWING on an occurrence of a series changes it and every later one (series.service.ts).
 */
export async function updateEvent(ctx: Context, id: string, input: UpdateEventInput, scope?: SeriesScope | null): Promise<Read<Event>> {
  const found = await changeableEvent(ctx, id, 'change events');
  const { event, changes } = await ctx.em.transactional(async (em) => {
    const event = (await lockEvent(em, found.id))!;
    if (event.status === EventStatus.CANCELLED) throw badInput('id', 'a cancelled event cannot be changed');
    if (scope === SeriesScope.THIS_AND_FOLLOWING && event.series) {
      const group = (await ctx.loaders.get(groupLoaders).byId.load(event.group.id))!;
      const changes = await updateFollowing(em as EntityManager, group.timezone, event, input, requireViewer(ctx).id);
      return { event, changes };
    }
    const previousStart = event.startsAt;
    await applyDetails(em, event, input);
    await onEventChanged(em, event, previousStart, input.venue !== undefined, requireViewer(ctx).id);
    const ledger = AttendanceLedger.forEntity(event);
    if (input.capacity !== undefined) await changeCapacity(em, ledger, input.capacity);
    return { event, changes: await ledger.payloads(em) };
  });
  publishAttendance(ctx.live, changes);
  await publishEventChange(ctx.em, ctx.live, event.id).catch((error: unknown) => ctx.log.warn({ err: error }, 'event change not published'));
  return ctx.em.merge(event);
}

/**
 * Calls an event off (ORGANIZER or EVENT_ORGANIZER); RSVPs stay as they were, new ones are refused. Idempotent.
 * THIS_AND_FOLLOWING on an occurrence of a series cancels every later one too and ends the series there.
 */
export async function cancelEvent(ctx: Context, id: string, scope?: SeriesScope | null): Promise<Read<Event>> {
  const found = await visibleEvent(ctx, id);
  await assertCanManageEvents(ctx, found.group.id, 'cancel events');
  const event = await ctx.em.transactional(async (em) => {
    const event = (await lockEvent(em, found.id))!;
    if (scope === SeriesScope.THIS_AND_FOLLOWING && event.series) await cancelFollowing(em as EntityManager, event, requireViewer(ctx).id);
    else if (event.status !== EventStatus.CANCELLED) await onEventCancelled(em as EntityManager, event, requireViewer(ctx).id);
    event.status = EventStatus.CANCELLED;
    return event;
  });
  await publishEventChange(ctx.em, ctx.live, event.id).catch((error: unknown) => ctx.log.warn({ err: error }, 'event change not published'));
  return ctx.em.merge(event);
}

/**
 * A group's events, cancelled ones included: UPCOMING (not ended yet, soonest first) or PAST
 * (ended, most recent first). Empty for outsiders of a private group.
 */
export async function groupEvents(
  ctx: Context,
  group: Read<Group>,
  when: EventTimeFilter | null | undefined,
  page: { first?: number | null; after?: string | null },
  withCount = false,
): Promise<Connection<Read<Event>>> {
  if (!(await canSeeInside(ctx, group))) return emptyConnection();
  const now = new Date();
  if (when === EventTimeFilter.PAST) {
    return findPage(ctx.em, Event, { group: group.id, endsAt: { $lte: now } }, [['startsAt', 'desc'], ['id', 'desc']], page, { count: withCount });
  }
  return findPage(ctx.em, Event, { group: group.id, endsAt: { $gt: now } }, [['startsAt', 'asc'], ['id', 'asc']], page, { count: withCount });
}
