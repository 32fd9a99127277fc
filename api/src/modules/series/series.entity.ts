import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Group } from '../group/group.entity.js';
import { User } from '../user/user.entity.js';

/** What each new occurrence of a series copies; this-and-following edits change it (docs/ARCHITECTURE.md). */
export interface SeriesTemplate {
  title: string;
  description: string;
  /** Length of each occurrence. */
  durationMs: number;
  /** Minutes added to each slot's wall time (a this-and-following move from 19:00 to 19:30 adds 30). */
  shiftMinutes: number;
  venue: { name: string; address: string | null; city: string | null; lat: number | null; lng: number | null } | null;
  onlineUrl: string | null;
  capacity: number | null;
  guestLimit: number;
}

@ObjectType('EventSeries', { description: 'Events that repeat on a rule; each occurrence is a real event with its own RSVPs and chat.' })
@Entity({ tableName: 'event_series' })
export class EventSeries {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'endsBefore' | 'createdAt';

  @Field(() => ID, { description: 'Stable identifier of the series.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Group, { deleteRule: 'cascade' })
  group!: Group;

  @Field({ description: 'The RFC 5545 RRULE the occurrences follow, in the group\'s time zone (e.g. FREQ=WEEKLY;BYDAY=TU).' })
  @Property({ type: 'text' })
  rule!: string;

  /** Start of the first occurrence: the rule's DTSTART, read as wall time in the group's zone. */
  @Property({ type: 'datetime' })
  firstStartsAt!: Date;

  @Property({ type: 'json' })
  template!: SeriesTemplate;

  /** Occurrences whose slot is at or before this have been created. */
  @Property({ type: 'datetime' })
  generatedThrough!: Date;

  /** No occurrence is created at or after this (set when this-and-following are cancelled). */
  @Property({ type: 'datetime', nullable: true })
  endsBefore: Date | null = null;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  createdBy!: User;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
