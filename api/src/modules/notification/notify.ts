import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueue, enqueueMany, enqueueOrAppend, unschedule } from '../../jobs/jobs.js';
import type { Event } from '../event/event.entity.js';
import { NotificationKind } from './notification.enums.js';
import type { Read } from '../../db/read.js';

// What services call inside their transactions (one line each, docs/ARCHITECTURE.md "Notifications"): each only
// enqueues a job, so the change and the promise to tell people about it commit together. Who is told is decided
// when the job runs (workers.ts), from the data as it is then.

/** The payload of a `notify` job: the kind, the id of what it is about, who did it, and when it was caused. */
export interface NotifyPayload {
  kind: NotificationKind;
  /** A membership (join kinds), event, RSVP (waitlist) or message (thread reply). */
  id: string;
  actorId: string | null;
  at: string;
  /** THREAD_REPLY: every message this job tells of (a burst in one thread is one job; `id` is the first). */
  items?: string[];
}

/** Tells the people concerned, once the transaction commits, that `kind` happened to `id`. */
export async function notifyLater(em: EntityManager, kind: NotificationKind, id: string, actorId: string | null = null): Promise<void> {
  await enqueue<NotifyPayload>(em, 'notify', { kind, id, actorId, at: new Date().toISOString() });
}

/** How long the replies of a lively thread gather into one waiting job before this process works it. */
const REPLIES_GATHER_MS = 1000;

/**
 * A reply in a thread: its participants hear of it (THREAD_REPLY). Replies in one thread gather into the one `notify`
 * job that waits for the thread (enqueueOrAppend), which tells everyone of them in one statement (replies.ts).
 */
export async function notifyOfReply(em: EntityManager, threadId: string, messageId: string, actorId: string): Promise<void> {
  const payload: NotifyPayload = { kind: NotificationKind.THREAD_REPLY, id: messageId, actorId, at: new Date().toISOString() };
  await enqueueOrAppend(em, 'notify', `thread:${threadId}`, messageId, payload, REPLIES_GATHER_MS);
}

/** notifyLater for many ids of one kind, in one statement (waitlist promotions); nothing for none. */
export async function notifyManyLater(em: EntityManager, kind: NotificationKind, ids: string[], actorId: string | null = null): Promise<void> {
  const at = new Date().toISOString();
  await enqueueMany<NotifyPayload>(em, 'notify', ids.map((id) => ({ payload: { kind, id, actorId, at } })));
}

/** The payload of an `event-reminder` job: the event and the start it was scheduled for. */
export interface ReminderPayload {
  eventId: string;
  startsAt: string;
}

const REMINDER_LEAD_MS = 24 * 3600_000;
const reminderKey = (eventId: string) => `event:${eventId}`;

/**
 * (Re)schedules an event's reminder exactly 24 hours before it starts (elapsed time: across a change of daylight
 * saving time that is 23 or 25 hours on the wall clock); none when that moment has passed. Any waiting one is dropped.
 */
export async function scheduleReminder(em: EntityManager, event: Pick<Event, 'id' | 'startsAt'>): Promise<void> {
  await unschedule(em, 'event-reminder', reminderKey(event.id));
  const at = new Date(event.startsAt.getTime() - REMINDER_LEAD_MS);
  if (at.getTime() <= Date.now()) return;
  await enqueue<ReminderPayload>(em, 'event-reminder', { eventId: event.id, startsAt: event.startsAt.toISOString() }, { singletonKey: reminderKey(event.id), startAfter: at });
}

/** Schedules the reminders of many events at once (demo data, imports); events starting within 24 hours get none. */
export async function scheduleReminders(em: EntityManager, events: Array<Pick<Event, 'id' | 'startsAt'>>): Promise<void> {
  const due = events.filter((e) => e.startsAt.getTime() - REMINDER_LEAD_MS > Date.now());
  await enqueueMany<ReminderPayload>(
    em,
    'event-reminder',
    due.map((e) => ({ payload: { eventId: e.id, startsAt: e.startsAt.toISOString() }, singletonKey: reminderKey(e.id), startAfter: new Date(e.startsAt.getTime() - REMINDER_LEAD_MS) })),
  );
}

/** A new event: its group's members hear of it, and its reminder is scheduled. */
export async function onEventCreated(em: EntityManager, event: Read<Event>, actorId: string): Promise<void> {
  await notifyLater(em, NotificationKind.EVENT_CREATED, event.id, actorId);
  await scheduleReminder(em, event);
}

/** An event changed: when it moved (new start or place) people with an RSVP hear of it and the reminder moves. */
export async function onEventChanged(em: EntityManager, event: Read<Event>, previousStart: Date, venueChanged: boolean, actorId: string): Promise<void> {
  const newTime = event.startsAt.getTime() !== previousStart.getTime();
  if (newTime) await scheduleReminder(em, event);
  if (newTime || venueChanged) await notifyLater(em, NotificationKind.EVENT_CHANGED, event.id, actorId);
}

/** An event was called off: people with an RSVP hear of it, and its reminder is dropped. */
export async function onEventCancelled(em: EntityManager, event: Pick<Event, 'id'>, actorId: string): Promise<void> {
  await unschedule(em, 'event-reminder', reminderKey(event.id));
  await notifyLater(em, NotificationKind.EVENT_CANCELLED, event.id, actorId);
}
