import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { User } from './user.entity.js';

/** A signed-in device. Only the SHA-256 of the token is stored, so a database leak reveals no usable token. */
@Entity({ tableName: 'sessions' })
export class Session {
  /** Properties with a default, which em.create may leave out. */
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  expiresAt!: Date;
}
