import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A subject groups gather around, such as hiking or board games. Topics grow like tags.' })
@Entity({ tableName: 'topics' })
export class Topic {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'groupCount' | 'createdAt';

  @Field(() => ID, { description: 'Stable identifier of the topic.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'URL-safe name, unique, e.g. "board-games".' })
  @Property({ type: 'text', unique: true })
  slug!: string;

  @Field({ description: 'Display name, e.g. "Board games".' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => Int, { description: 'How many public and private groups carry this topic.' })
  @Property({ type: 'integer' })
  groupCount: number = 0;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
