import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, OptionalProps } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Group } from '../group/group.entity.js';
import { User } from '../user/user.entity.js';
import { MemberRole, MembershipStatus } from './membership.enums.js';

@ObjectType({ description: 'A person\'s place in a group: their role and status.' })
@Entity({ tableName: 'memberships' })
@Unique({ properties: ['user', 'group'] })
export class Membership {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'role' | 'status' | 'answer' | 'createdAt' | 'joinedAt' | 'updatedAt';

  @Field(() => ID, { description: 'Stable identifier of the membership.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Group, { deleteRule: 'cascade' })
  group!: Group;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field(() => MemberRole, { description: 'What the member may do.' })
  @Enum({ items: () => MemberRole })
  role: MemberRole = MemberRole.MEMBER;

  @Field(() => MembershipStatus, { description: 'Member, pending, rejected or banned.' })
  @Enum({ items: () => MembershipStatus })
  status: MembershipStatus = MembershipStatus.PENDING;

  /** Exposed through MembershipResolver.answer: the person and the organizers only. */
  @Property({ type: 'text', nullable: true })
  answer: string | null = null;

  @Field(() => Date, { description: 'When the person first asked to join or joined.' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When the person became an active member; null until then.' })
  @Property({ type: 'datetime', nullable: true })
  joinedAt: Date | null = null;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
