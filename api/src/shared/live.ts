/**
 * Live updates: what services publish after a commit, and subscriptions deliver.
 * Payloads carry everything a subscriber's selection needs, so a change is resolved once,
 * by its publisher, and never once per subscriber. They are plain JSON (they cross Redis).
 */

/** One attendance change of an event: its new version and counts, and the RSVP that moved (null for a capacity change). */
export interface AttendanceChange {
  eventId: string;
  groupId: string;
  /** The event's attendanceVersion after this change. */
  version: number;
  event: { goingCount: number; waitlistCount: number; capacity: number | null; attendanceVersion: number };
  rsvp: {
    id: string;
    status: 'GOING' | 'WAITLISTED' | 'NOT_GOING';
    guests: number;
    waitlistPosition: number | null;
    user: { id: string; name: string };
  } | null;
}

/** A message posted, edited or deleted in a thread, with the thread's new counts. */
export interface ThreadActivityChange {
  threadId: string;
  groupId: string;
  kind: 'POSTED' | 'EDITED' | 'DELETED';
  message: {
    id: string;
    body: string;
    createdAt: string;
    editedAt: string | null;
    deleted: boolean;
    author: { id: string; name: string };
  };
  thread: { messageCount: number; lastMessageAt: string | null };
}

/** Someone lost access to a group (`userId`), or everyone's access must be checked again (null): live streams re-check. */
export interface AccessChange {
  groupId: string;
  userId: string | null;
}

/** Where services send live changes. Call only after the transaction committed; it never throws or blocks long. */
export interface LivePublisher {
  attendanceChanged(changes: AttendanceChange[]): void;
  threadActivity(change: ThreadActivityChange): void;
  accessChanged(change: AccessChange): void;
}

/** Where subscriptions listen: `listen` returns the function that stops listening. */
export interface LiveSource {
  listen(topic: string, listener: (payload: unknown) => void): () => void;
}

/** The live bus as services and subscriptions see it. */
export type Live = LivePublisher & LiveSource;

/** A bus that drops everything (for scripts such as the seeder). */
export const silentLive: Live = {
  attendanceChanged() {},
  threadActivity() {},
  accessChanged() {},
  listen: () => () => {},
};
