import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A person with a Gather account. Only the person themselves sees their email.' })
@Entity({ tableName: 'users' })
export class User {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'bio' | 'city' | 'lat' | 'lng' | 'createdAt';

  @Field(() => ID, { description: 'Stable identifier of the user.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Exposed through UserResolver.email, which shows it to its owner only. */
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Field({ description: 'Display name.' })
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'A few words the person wrote about themselves.' })
  @Property({ type: 'text' })
  bio: string = '';

  @Field(() => String, { nullable: true, description: 'Home city, as the person wrote it.' })
  @Property({ type: 'text', nullable: true })
  city: string | null = null;

  @Property({ type: 'double', nullable: true })
  lat: number | null = null;

  @Property({ type: 'double', nullable: true })
  lng: number | null = null;

  @Field(() => Date, { description: 'When the account was created.' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
