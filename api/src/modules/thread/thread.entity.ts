import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OneToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Event } from '../event/event.entity.js';
import { Group } from '../group/group.entity.js';
import { User } from '../user/user.entity.js';

@ObjectType({ description: 'A discussion in a group, or the chat of one event.' })
@Entity({ tableName: 'threads' })
export class Thread {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'event' | 'messageCount' | 'lastMessageAt' | 'createdAt';

  @Field(() => ID, { description: 'Stable identifier of the thread.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Group, { deleteRule: 'cascade' })
  group!: Group;

  @OneToOne(() => Event, { nullable: true, owner: true, unique: true, deleteRule: 'cascade' })
  event: Event | null = null;

  @Field({ description: 'Title of the thread.' })
  @Property({ type: 'text' })
  title!: string;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  author!: User;

  @Field(() => Int, { description: 'Messages in the thread, deleted ones included.' })
  @Property({ type: 'integer' })
  messageCount: number = 0;

  @Field(() => Date, { nullable: true, description: 'When the newest message was posted; null for an empty thread.' })
  @Property({ type: 'datetime', nullable: true })
  lastMessageAt: Date | null = null;

  @Field(() => Date, { description: 'When the thread was started.' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
