import { registerEnumType } from 'type-graphql';

export enum EventStatus {
  SCHEDULED = 'SCHEDULED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(EventStatus, {
  name: 'EventStatus',
  description: 'Whether an event is still on.',
  valuesConfig: {
    SCHEDULED: { description: 'The event is on.' },
    CANCELLED: { description: 'Called off by its hosts; no more RSVPs.' },
  },
});

export enum EventTimeFilter {
  UPCOMING = 'UPCOMING',
  PAST = 'PAST',
}
registerEnumType(EventTimeFilter, {
  name: 'EventTimeFilter',
  description: 'Which side of now an event list shows.',
  valuesConfig: {
    UPCOMING: { description: 'Events that have not ended yet, soonest first.' },
    PAST: { description: 'Events that have ended, most recent first.' },
  },
});
