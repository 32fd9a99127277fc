import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ThreadActivityKind {
  POSTED = 'POSTED',
  EDITED = 'EDITED',
  DELETED = 'DELETED',
}
registerEnumType(ThreadActivityKind, {
  name: 'ThreadActivityKind',
  description: 'What happened to a message.',
  valuesConfig: {
    POSTED: { description: 'A new message.' },
    EDITED: { description: 'Its author changed the text.' },
    DELETED: { description: 'It was deleted; its body is now empty.' },
  },
});

/** Root value: the AttendanceChange payload (shared/live.ts); `event` and `rsvp` are field resolvers. */
@ObjectType({ description: 'One attendance change of an event, as it happens. Versions arrive consecutively.' })
export class EventAttendanceUpdate {
  @Field(() => Int, { description: 'The event\'s attendanceVersion after this change; if it is not one more than the last you saw, refetch.' })
  version!: number;
}

/** Root value: the ThreadActivityChange payload; `message` and `thread` are field resolvers. */
@ObjectType({ description: 'A message posted, edited or deleted in a thread, with the thread\'s new counts.' })
export class ThreadActivity {
  @Field(() => ThreadActivityKind, { description: 'What happened.' })
  kind!: ThreadActivityKind;
}
