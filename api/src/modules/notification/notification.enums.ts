import { registerEnumType } from 'type-graphql';

/** What a notification is about; each person chooses per kind whether to get it in the app and by email. */
export enum NotificationKind {
  JOIN_REQUESTED = 'JOIN_REQUESTED',
  MEMBERSHIP_APPROVED = 'MEMBERSHIP_APPROVED',
  MEMBERSHIP_REJECTED = 'MEMBERSHIP_REJECTED',
  EVENT_CREATED = 'EVENT_CREATED',
  EVENT_CANCELLED = 'EVENT_CANCELLED',
  EVENT_CHANGED = 'EVENT_CHANGED',
  WAITLIST_PROMOTED = 'WAITLIST_PROMOTED',
  EVENT_REMINDER = 'EVENT_REMINDER',
  THREAD_REPLY = 'THREAD_REPLY',
}

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a notification is about.',
  valuesConfig: {
    JOIN_REQUESTED: { description: 'Someone asked to join a group you organize.' },
    MEMBERSHIP_APPROVED: { description: 'Your request to join a group was approved.' },
    MEMBERSHIP_REJECTED: { description: 'Your request to join a group was declined.' },
    EVENT_CREATED: { description: 'A new event in a group you belong to.' },
    EVENT_CANCELLED: { description: 'An event you answered was cancelled.' },
    EVENT_CHANGED: { description: 'An event you answered moved to another time or place.' },
    WAITLIST_PROMOTED: { description: 'You got a seat at an event you were waitlisted for.' },
    EVENT_REMINDER: { description: 'An event you are going to starts in 24 hours.' },
    THREAD_REPLY: { description: 'Someone wrote in a thread you wrote in (at most one per thread an hour).' },
  },
});

export const ALL_KINDS = Object.values(NotificationKind);

/** Human names of the kinds, for emails and the unsubscribe page. */
export const KIND_LABELS: Record<NotificationKind, string> = {
  JOIN_REQUESTED: 'requests to join your groups',
  MEMBERSHIP_APPROVED: 'approved requests to join',
  MEMBERSHIP_REJECTED: 'declined requests to join',
  EVENT_CREATED: 'new events in your groups',
  EVENT_CANCELLED: 'cancelled events',
  EVENT_CHANGED: 'events that moved',
  WAITLIST_PROMOTED: 'seats freed up for you',
  EVENT_REMINDER: 'event reminders',
  THREAD_REPLY: 'replies in threads',
};
