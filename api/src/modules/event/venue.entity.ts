import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Group } from '../group/group.entity.js';

@ObjectType({ description: 'A place where a group meets.' })
@Entity({ tableName: 'venues' })
export class Venue {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'address' | 'city' | 'lat' | 'lng';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Group, { deleteRule: 'cascade' })
  group!: Group;

  @Field({ description: 'Name of the place, e.g. "Café Luna".' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Street address.' })
  @Property({ type: 'text', nullable: true })
  address: string | null = null;

  @Field(() => String, { nullable: true, description: 'City of the venue.' })
  @Property({ type: 'text', nullable: true })
  city: string | null = null;

  @Property({ type: 'double', nullable: true })
  lat: number | null = null;

  @Property({ type: 'double', nullable: true })
  lng: number | null = null;
}
