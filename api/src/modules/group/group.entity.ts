import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GroupVisibility, JoinMode } from './group.enums.js';

@ObjectType({ description: 'A local group that meets face to face.' })
@Entity({ tableName: 'groups' })
export class Group {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'visibility' | 'joinMode' | 'joinQuestion' | 'memberCount' | 'topicNames' | 'createdAt' | 'updatedAt';

  @Field(() => ID, { description: 'Stable identifier of the group.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'URL-safe unique name, made from the name at creation; used in links.' })
  @Property({ type: 'text', unique: true })
  slug!: string;

  @Field({ description: 'Display name.' })
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'What the group is about, in its organizers\' words.' })
  @Property({ type: 'text' })
  description!: string;

  @Field({ description: 'The city the group meets in.' })
  @Property({ type: 'text' })
  city!: string;

  @Property({ type: 'double' })
  lat!: number;

  @Property({ type: 'double' })
  lng!: number;

  @Field({ description: 'IANA time zone of the group, e.g. "Europe/Berlin"; its events are shown in it.' })
  @Property({ type: 'text' })
  timezone!: string;

  @Field(() => GroupVisibility, { description: 'Whether outsiders can see members, events and threads.' })
  @Enum({ items: () => GroupVisibility })
  visibility: GroupVisibility = GroupVisibility.PUBLIC;

  @Field(() => JoinMode, { description: 'Whether joining needs an organizer\'s approval.' })
  @Enum({ items: () => JoinMode })
  joinMode: JoinMode = JoinMode.OPEN;

  @Field(() => String, { nullable: true, description: 'A question people answer when they ask to join.' })
  @Property({ type: 'text', nullable: true })
  joinQuestion: string | null = null;

  @Field(() => Int, { description: 'Number of active members.' })
  @Property({ type: 'integer' })
  memberCount: number = 0;

  /** Topic names joined by spaces; feeds the full-text search column. */
  @Property({ type: 'text' })
  topicNames: string = '';

  @Field(() => Date, { description: 'When the group was created.' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
