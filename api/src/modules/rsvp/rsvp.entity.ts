import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, OptionalProps } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Event } from '../event/event.entity.js';
import { User } from '../user/user.entity.js';
import { RsvpStatus } from './rsvp.enums.js';

@ObjectType({ description: 'A person\'s answer to an event.' })
@Entity({ tableName: 'rsvps' })
@Unique({ properties: ['user', 'event'] })
export class Rsvp {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'guests' | 'attended' | 'waitlistedAt' | 'seatedAt' | 'createdAt' | 'updatedAt';

  @Field(() => ID, { description: 'Stable identifier of the RSVP.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Event, { deleteRule: 'cascade' })
  event!: Event;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field(() => RsvpStatus, { description: 'Going, waitlisted or not going.' })
  @Enum({ items: () => RsvpStatus })
  status!: RsvpStatus;

  @Field(() => Int, { description: 'Extra people the person brings.' })
  @Property({ type: 'integer' })
  guests: number = 0;

  @Field({ description: 'Whether the hosts marked the person as having come.' })
  @Property({ type: 'boolean' })
  attended: boolean = false;

  /** When the RSVP joined the waitlist; orders it (first in, first out). */
  @Property({ type: 'datetime', nullable: true })
  waitlistedAt: Date | null = null;

  /** When the RSVP last got its seat (said yes with room, or was promoted); orders the going list. */
  @Property({ type: 'datetime', nullable: true })
  seatedAt: Date | null = null;

  @Field(() => Date, { description: 'When the person first answered.' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { description: 'When the answer last changed.' })
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
