import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session } from './session.entity.js';
import { User } from './user.entity.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session for `user`; returns the raw token (shown once, stored only hashed). */
export async function createSession(em: EntityManager, user: User, ttlDays: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlDays * 86_400_000);
  em.create(Session, { user, tokenHash: hashToken(token), expiresAt, createdAt: new Date() });
  await em.flush();
  return { token, expiresAt };
}

/** The user of a live session token, or null for an unknown or expired one. One query. */
export async function userForToken(em: EntityManager, token: string): Promise<User | null> {
  const session = await em.findOne(
    Session,
    { tokenHash: hashToken(token), expiresAt: { $gt: new Date() } },
    { populate: ['user'] },
  );
  return session?.user ?? null;
}

/** Ends the session of `token` (a no-op for an unknown one). */
export async function revokeSession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(Session, { tokenHash: hashToken(token) });
}
