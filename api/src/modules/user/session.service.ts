import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { leanColumns, leanQuery } from '../../shared/lean.js';
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

/**
 * The user of a live session token, or null for an unknown or expired one. One query, run on every request and kept
 * by every WebSocket, so the user is lean (shared/lean.ts): to change it, load it with the EntityManager.
 */
export async function userForToken(em: EntityManager, token: string): Promise<User | null> {
  const { columns } = leanColumns(em, User, 'u');
  const [user] = await leanQuery(em, User, `select ${columns} from sessions s join users u on u.id = s.user_id where s.token_hash = ? and s.expires_at > ?`, [
    hashToken(token),
    new Date(),
  ]);
  return user ?? null;
}

/** Ends the session of `token` (a no-op for an unknown one). */
export async function revokeSession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(Session, { tokenHash: hashToken(token) });
}

/** Ends every session of `userId` except the one of token `except` (password changed or reset); returns how many ended. */
export async function revokeSessionsOfUser(em: EntityManager, userId: string, options: { except?: string | null } = {}): Promise<number> {
  const keep = options.except ? { tokenHash: { $ne: hashToken(options.except) } } : {};
  return em.nativeDelete(Session, { user: userId, ...keep });
}
