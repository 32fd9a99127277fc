import { Entity, ManyToOne, PrimaryKeyProp, Property, OptionalProps } from '@mikro-orm/core';
import { User } from '../user/user.entity.js';
import { Event } from './event.entity.js';

/** A person hosting an event: its creator, and anyone the organizers add. */
@Entity({ tableName: 'event_hosts' })
export class EventHost {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'createdAt';

  [PrimaryKeyProp]?: ['event', 'user'];

  @ManyToOne(() => Event, { primary: true, deleteRule: 'cascade' })
  event!: Event;

  @ManyToOne(() => User, { primary: true, deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
