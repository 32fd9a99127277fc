import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../user/user.entity.js';
import { Thread } from './thread.entity.js';

@ObjectType({ description: 'A message in a thread.' })
@Entity({ tableName: 'messages' })
export class Message {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'createdAt' | 'editedAt' | 'deleted';

  @Field(() => ID, { description: 'Stable identifier of the message.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Thread, { deleteRule: 'cascade' })
  thread!: Thread;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  author!: User;

  @Field({ description: 'The text, 1 to 4,000 characters; empty once deleted.' })
  @Property({ type: 'text' })
  body!: string;

  @Field(() => Date, { description: 'When the message was posted.' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When the author last edited it; null if never.' })
  @Property({ type: 'datetime', nullable: true })
  editedAt: Date | null = null;

  @Field({ description: 'Whether the message was deleted (its body is then empty).' })
  @Property({ type: 'boolean' })
  deleted: boolean = false;
}
