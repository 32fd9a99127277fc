import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Group } from '../group/group.entity.js';
import { EventSeries } from '../series/series.entity.js';
import { User } from '../user/user.entity.js';
import { EventStatus } from './event.enums.js';
import { Venue } from './venue.entity.js';

@ObjectType({ description: 'A meeting of a group at a time, in a place or online.' })
@Entity({ tableName: 'events' })
export class Event {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'description' | 'venue' | 'onlineUrl' | 'capacity' | 'guestLimit' | 'status' | 'goingCount' | 'waitlistCount' | 'attendanceVersion' | 'series' | 'seriesSlot' | 'createdAt' | 'updatedAt';

  @Field(() => ID, { description: 'Stable identifier of the event.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Group, { deleteRule: 'cascade' })
  group!: Group;

  @Field({ description: 'Title of the event.' })
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: 'What will happen, in the hosts\' words.' })
  @Property({ type: 'text' })
  description: string = '';

  @Field(() => Date, { description: 'When the event starts (an instant; show it in `timezone`).' })
  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Field(() => Date, { description: 'When the event ends (an instant; show it in `timezone`).' })
  @Property({ type: 'datetime' })
  endsAt!: Date;

  @ManyToOne(() => Venue, { nullable: true, deleteRule: 'set null' })
  venue: Venue | null = null;

  /** Exposed through EventResolver.onlineUrl: going attendees, hosts and organizers only. */
  @Property({ type: 'text', nullable: true })
  onlineUrl: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Most people (guests included) who can go; null means unlimited.' })
  @Property({ type: 'integer', nullable: true })
  capacity: number | null = null;

  @Field(() => Int, { description: 'Most extra guests one RSVP may bring.' })
  @Property({ type: 'integer' })
  guestLimit: number = 0;

  @Field(() => EventStatus, { description: 'Scheduled or cancelled.' })
  @Enum({ items: () => EventStatus })
  status: EventStatus = EventStatus.SCHEDULED;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  createdBy!: User;

  @Field(() => Int, { description: 'People going, guests included.' })
  @Property({ type: 'integer' })
  goingCount: number = 0;

  @Field(() => Int, { description: 'RSVPs on the waitlist.' })
  @Property({ type: 'integer' })
  waitlistCount: number = 0;

  @Field(() => Int, { description: 'Goes up by exactly one with every attendance change; live updates carry it so clients can spot a gap.' })
  @Property({ type: 'integer' })
  attendanceVersion: number = 0;

  /** The series this event is an occurrence of (Event.series resolves it). */
  @ManyToOne(() => EventSeries, { nullable: true, deleteRule: 'set null' })
  series: EventSeries | null = null;

  /** Its slot in the series' rule (unchanged when the occurrence is moved): one event per slot. */
  @Property({ type: 'datetime', nullable: true })
  seriesSlot: Date | null = null;

  @Field(() => Date, { description: 'When the event was created.' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
