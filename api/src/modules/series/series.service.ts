import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueue } from '../../jobs/jobs.js';
import type { AttendanceChange } from '../rsvp/attendance.live.js';
import { Event } from '../event/event.entity.js';
import { EventStatus } from '../event/event.enums.js';
import type { UpdateEventInput } from '../event/event.inputs.js';
import { applyDetails, insertEvent, venueFields, type NewEventFields } from '../event/event.service.js';
import { onEventCancelled, onEventChanged, scheduleReminders } from '../notification/notify.js';
import type { Group } from '../group/group.entity.js';
import { AttendanceLedger } from '../rsvp/attendance-ledger.js';
import { changeCapacity, lockEvent } from '../rsvp/seating.js';
import { EventSeries, type SeriesTemplate } from './series.entity.js';
import { assertRuleFits, floatingOf, instantOf, parseRule, slotsBetween } from './series.rule.js';

/** How far ahead occurrences exist as events (docs/ARCHITECTURE.md, recurring events). */
export const HORIZON_DAYS = 90;
const DAY = 86_400_000;
const MINUTE = 60_000;

const horizon = (now: Date) => new Date(now.getTime() + HORIZON_DAYS * DAY);

/** A checked rule (BAD_USER_INPUT on input.recurrence) whose first occurrence is `startsAt` in `zone`. */
export function seriesRule(text: string, zone: string, startsAt: Date): string {
  const rule = parseRule(text);
  assertRuleFits(rule, zone, startsAt);
  return rule;
}

function templateOf(fields: NewEventFields): SeriesTemplate {
  return {
    title: fields.title,
    description: fields.description,
    durationMs: fields.endsAt.getTime() - fields.startsAt.getTime(),
    shiftMinutes: 0,
    venue: fields.venue,
    onlineUrl: fields.onlineUrl,
    capacity: fields.capacity,
    guestLimit: fields.guestLimit,
  };
}

/** The start of the occurrence in `slot`: the slot's wall time moved by the template's shift, in `zone`. */
function startOf(zone: string, slot: Date, template: SeriesTemplate): Date {
  if (template.shiftMinutes === 0) return slot;
  return instantOf(zone, new Date(floatingOf(zone, slot).getTime() + template.shiftMinutes * MINUTE));
}

/**
 * Inside the caller's transaction, creates the occurrences of `series` whose slots fall after what exists and
 * up to `through`. Idempotent: a slot already taken (unique series_id + series_slot) is skipped.
 */
async function fillSeries(em: EntityManager, series: EventSeries, zone: string, through: Date): Promise<number> {
  const until = series.endsBefore && series.endsBefore.getTime() <= through.getTime() ? new Date(series.endsBefore.getTime() - 1) : through;
  const slots = slotsBetween(series.rule, zone, series.firstStartsAt, series.generatedThrough, until);
  const taken = new Set<number>();
  if (slots.length > 0) {
    const rows: Array<{ series_slot: Date }> = await em.execute('select series_slot from events where series_id = ? and series_slot > ?', [series.id, series.generatedThrough]);
    for (const row of rows) taken.add(new Date(row.series_slot).getTime());
  }
  const t = series.template;
  const created: Event[] = [];
  for (const slot of slots) {
    if (taken.has(slot.getTime())) continue;
    const startsAt = startOf(zone, slot, t);
    const occurrence = insertEvent(em, series.group.id, series.createdBy.id, {
      title: t.title,
      description: t.description,
      startsAt,
      endsAt: new Date(startsAt.getTime() + t.durationMs),
      venue: t.venue,
      onlineUrl: t.onlineUrl,
      capacity: t.capacity,
      guestLimit: t.guestLimit,
      series: series.id,
      seriesSlot: slot,
    });
    created.push(occurrence);
  }
  if (through.getTime() > series.generatedThrough.getTime()) series.generatedThrough = through;
  await em.flush();
  // New occurrences are announced with the series (its first event), but each gets its own reminder.
  await scheduleReminders(em, created);
  return created.length;
}

/** Inside the caller's transaction: a series, its first occurrence (returned) and the next ones up to the horizon. */
export async function startSeries(em: EntityManager, group: Group, authorId: string, rule: string, fields: NewEventFields, now: Date): Promise<Event> {
  const series = em.create(EventSeries, {
    group: group.id,
    rule,
    firstStartsAt: fields.startsAt,
    template: templateOf(fields),
    generatedThrough: fields.startsAt,
    createdBy: authorId,
  });
  const first = insertEvent(em, group.id, authorId, { ...fields, series: series.id, seriesSlot: fields.startsAt });
  await em.flush();
  await fillSeries(em, series, group.timezone, horizon(now));
  await scheduleSeriesGrowth(em, now);
  return first;
}

const DAY_MS = 86_400_000;

/** Queues the next daily growth of series (series.jobs.ts) a day after `now`, in the caller's transaction; one waits at most. */
export async function scheduleSeriesGrowth(em: EntityManager, now: Date): Promise<void> {
  await enqueue(em, 'series-extend', {}, { singletonKey: 'series-extend', startAfter: new Date(now.getTime() + DAY_MS) });
}

/** Whether any series has occurrences still to create (it has not ended), so the daily growth must go on. */
export async function seriesStillGrowing(em: EntityManager): Promise<boolean> {
  const [row] = await em.execute('select exists (select 1 from event_series where ends_before is null or ends_before > generated_through) as growing');
  return Boolean(row?.growing);
}

/**
 * Creates every series' occurrences up to HORIZON_DAYS after `now`; safe to run again or twice at once
 * (each series is locked while it grows). Meant to run daily as a job with a fresh EntityManager fork.
 * Returns how many events it created.
 */
export async function extendSeries(em: EntityManager, now: Date): Promise<number> {
  const through = horizon(now);
  const due: Array<{ id: string }> = await em.execute(
    'select id from event_series where generated_through < ? and (ends_before is null or ends_before > generated_through) order by id',
    [through],
  );
  let created = 0;
  for (const { id } of due) {
    // One transaction per series on the caller's connection (a savepoint when the caller already has one):
    // the embedded database has a single connection, so no second one is opened.
    created += await em.transactional(async (tx) => {
      const [row] = await tx.execute('select id from event_series where id = ? and generated_through < ? for update', [id, through]);
      if (!row) return 0;
      const series = await tx.findOneOrFail(EventSeries, id, { populate: ['group'], refresh: true });
      return fillSeries(tx as EntityManager, series, series.group.timezone, through);
    });
  }
  return created;
}

/** The occurrences from `event` on (by slot), not cancelled, locked in start order inside the caller's transaction. */
async function followingLocked(em: EntityManager, event: Event): Promise<Event[]> {
  const rows: Array<{ id: string }> = await em.execute(
    `select id from events where series_id = ? and series_slot >= ? and status = 'SCHEDULED' order by starts_at, id`,
    [event.series!.id, event.seriesSlot],
  );
  const locked: Event[] = [];
  for (const { id } of rows) locked.push((await lockEvent(em, id))!);
  return locked;
}

/**
 * Applies an update to `event` and every later scheduled occurrence of its series, and to the series' template so
 * occurrences created later match. A new start moves each by the same wall-clock shift (19:00 → 19:30 every week);
 * a new end sets the length. Returns the attendance changes to publish after the commit.
 */
export async function updateFollowing(em: EntityManager, zone: string, event: Event, input: UpdateEventInput, actorId: string): Promise<AttendanceChange[]> {
  const series = await em.findOneOrFail(EventSeries, event.series!.id);
  const shift = input.startsAt ? (floatingOf(zone, input.startsAt).getTime() - floatingOf(zone, event.startsAt).getTime()) / MINUTE : 0;
  const newStart = input.startsAt ?? event.startsAt;
  const duration = input.endsAt ? input.endsAt.getTime() - newStart.getTime() : null;
  const changes: AttendanceChange[] = [];
  for (const occurrence of await followingLocked(em, event)) {
    const startsAt = shift ? instantOf(zone, new Date(floatingOf(zone, occurrence.startsAt).getTime() + shift * MINUTE)) : occurrence.startsAt;
    const endsAt = new Date(startsAt.getTime() + (duration ?? occurrence.endsAt.getTime() - occurrence.startsAt.getTime()));
    const moved = shift || duration !== null ? { startsAt, endsAt } : {};
    const previousStart = occurrence.startsAt;
    await applyDetails(em, occurrence, { ...input, ...moved });
    await onEventChanged(em, occurrence, previousStart, input.venue !== undefined, actorId);
    const ledger = AttendanceLedger.forEntity(occurrence);
    if (input.capacity !== undefined) await changeCapacity(em, ledger, input.capacity);
    changes.push(...(await ledger.payloads(em)));
  }
  const t = { ...series.template };
  if (input.title != null) t.title = input.title.trim();
  if (input.description != null) t.description = input.description.trim();
  if (input.venue !== undefined) t.venue = input.venue ? venueFields(input.venue) : null;
  if (input.onlineUrl !== undefined) t.onlineUrl = input.onlineUrl?.trim() || null;
  if (input.capacity !== undefined) t.capacity = input.capacity;
  if (input.guestLimit != null) t.guestLimit = input.guestLimit;
  t.shiftMinutes += shift;
  if (duration !== null) t.durationMs = duration;
  series.template = t;
  await em.flush();
  return changes;
}

/** Cancels `event` and every later occurrence of its series, and stops the series from creating more. */
export async function cancelFollowing(em: EntityManager, event: Event, actorId: string): Promise<void> {
  for (const occurrence of await followingLocked(em, event)) {
    if (occurrence.status !== EventStatus.CANCELLED) await onEventCancelled(em, occurrence, actorId);
    occurrence.status = EventStatus.CANCELLED;
  }
  await em.execute('update event_series set ends_before = least(coalesce(ends_before, ?), ?) where id = ?', [event.seriesSlot, event.seriesSlot, event.series!.id]);
  await em.flush();
}
