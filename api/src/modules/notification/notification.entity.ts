import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, OptionalProps } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Event } from '../event/event.entity.js';
import { Group } from '../group/group.entity.js';
import { User } from '../user/user.entity.js';
import { NotificationKind } from './notification.enums.js';

/** One thing one person was told. Unique per person, kind and subject, so a job that runs twice tells nobody twice. */
@ObjectType({ description: 'Something that happened that you were told about.' })
@Entity({ tableName: 'notifications' })
@Unique({ properties: ['user', 'kind', 'subject'] })
export class Notification {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'group' | 'event' | 'inApp' | 'createdAt' | 'readAt' | 'emailClaimedAt' | 'emailSentAt';

  @Field(() => ID, { description: 'Stable identifier of the notification.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field(() => NotificationKind, { description: 'What it is about.' })
  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  /** What it is about, e.g. `event:<id>`; with user and kind, the key that makes it once only. */
  @Property({ type: 'text' })
  subject!: string;

  @ManyToOne(() => Group, { nullable: true, deleteRule: 'cascade' })
  group: Group | null = null;

  @ManyToOne(() => Event, { nullable: true, deleteRule: 'cascade' })
  event: Event | null = null;

  @Field({ description: 'One line saying what happened.' })
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: 'A sentence or two more.' })
  @Property({ type: 'text' })
  body!: string;

  @Field({ description: 'Path of the page it is about in the web client, e.g. /events/<id>.' })
  @Property({ type: 'text' })
  url!: string;

  /** False when the person turned this kind off in the app (kept so an email-only notification is still once only). */
  @Property({ type: 'boolean' })
  inApp: boolean = true;

  @Field(() => Date, { description: 'When it happened.' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When you marked it read; null while unread.' })
  @Property({ type: 'datetime', nullable: true })
  readAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  emailClaimedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  emailSentAt: Date | null = null;
}
