import { registerEnumType } from 'type-graphql';

export enum MemberRole {
  ORGANIZER = 'ORGANIZER',
  EVENT_ORGANIZER = 'EVENT_ORGANIZER',
  MEMBER = 'MEMBER',
}
registerEnumType(MemberRole, {
  name: 'MemberRole',
  description: 'What a member may do in a group.',
  valuesConfig: {
    ORGANIZER: { description: 'Runs the group: settings, members, roles and events. A group always keeps one.' },
    EVENT_ORGANIZER: { description: 'Creates and manages events and marks attendance.' },
    MEMBER: { description: 'Takes part: RSVPs, threads and messages.' },
  },
});

export enum MembershipStatus {
  ACTIVE = 'ACTIVE',
  PENDING = 'PENDING',
  REJECTED = 'REJECTED',
  BANNED = 'BANNED',
}
registerEnumType(MembershipStatus, {
  name: 'MembershipStatus',
  description: 'Where a person stands with a group.',
  valuesConfig: {
    ACTIVE: { description: 'A member.' },
    PENDING: { description: 'Asked to join; waits for an organizer.' },
    REJECTED: { description: 'The request was declined; the person may ask again.' },
    BANNED: { description: 'Removed and barred from joining again.' },
  },
});
