import { registerEnumType } from 'type-graphql';

export enum RsvpStatus {
  GOING = 'GOING',
  WAITLISTED = 'WAITLISTED',
  NOT_GOING = 'NOT_GOING',
}
registerEnumType(RsvpStatus, {
  name: 'RsvpStatus',
  description: 'Where an RSVP stands.',
  valuesConfig: {
    GOING: { description: 'Has a seat (for the person and their guests).' },
    WAITLISTED: { description: 'Waits for seats, first come first served.' },
    NOT_GOING: { description: 'Said no, or changed their mind.' },
  },
});

export enum RsvpResponse {
  YES = 'YES',
  NO = 'NO',
}
registerEnumType(RsvpResponse, {
  name: 'RsvpResponse',
  description: 'An answer to an event.',
  valuesConfig: {
    YES: { description: 'I want to go (or wait for a seat if it is full).' },
    NO: { description: 'I am not going; frees any seats I held.' },
  },
});
