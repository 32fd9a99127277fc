import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { columnsOf, query, toRead, type Read } from '../../db/read.js';
import { Session } from './session.entity.js';
import { announceSessionsEnded } from './session.live.js';
import { User } from './user.entity.js';

/** What is stored of a token: its SHA-256, hex. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session for `user`; returns the raw token (shown once, stored only hashed). */
export async function createSession(em: EntityManager, user: Read<User>, ttlDays: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlDays * 86_400_000);
  em.create(Session, { user, tokenHash: hashToken(token), expiresAt, createdAt: new Date() });
  await em.flush();
  return { token, expiresAt };
}

/** Who a request or a WebSocket acts for: the user of its session, as read (db/read.ts). */
export type Viewer = Read<User>;

/** A live session: its user (a read row), the hash of its token, and when it expires. */
export interface LiveSession {
  user: Viewer;
  tokenHash: string;
  expiresAt: Date;
}

/**
 * The session of a live token, or null for an unknown or expired one. One query, run on every request and kept by
 * every WebSocket, so the user is a read row (db/read.ts): to change it, load it with the EntityManager.
 */
export async function sessionForToken(em: EntityManager, token: string): Promise<LiveSession | null> {
  const { columns } = columnsOf(em, User, 'u');
  const tokenHash = hashToken(token);
  const [row] = await query(em, {
    text: `select ${columns}, s.expires_at as session_expires_at from sessions s join users u on u.id = s.user_id
           where s.token_hash = $1 and s.expires_at > now()`,
    values: [tokenHash],
  });
  if (!row) return null;
  return { user: toRead(em, User, row), tokenHash, expiresAt: row.session_expires_at as Date };
}

/** The user of a live session token, or null for an unknown or expired one. */
export async function userForToken(em: EntityManager, token: string): Promise<Viewer | null> {
  return (await sessionForToken(em, token))?.user ?? null;
}

/**
 * Deletes the sessions `where` selects (SQL over `sessions`) and, once that commits, closes every WebSocket they
 * authenticated, on every API process (session.live.ts). Every way a session ends goes through here.
 */
async function endSessions(em: EntityManager, where: string, params: unknown[]): Promise<number> {
  const rows: Array<{ token_hash: string }> = await em.execute(`delete from sessions where ${where} returning token_hash`, params);
  announceSessionsEnded(em, rows.map((row) => row.token_hash));
  return rows.length;
}

/** Ends the session of `token` (a no-op for an unknown one). */
export async function revokeSession(em: EntityManager, token: string): Promise<void> {
  await endSessions(em, 'token_hash = ?', [hashToken(token)]);
}

/** Ends every session of a user but the one of `except` (a raw token), e.g. on a password change; returns how many. */
export async function revokeSessionsOfUser(em: EntityManager, userId: string, options: { except?: string | null } = {}): Promise<number> {
  if (options.except) return endSessions(em, 'user_id = ? and token_hash <> ?', [userId, hashToken(options.except)]);
  return endSessions(em, 'user_id = ?', [userId]);
}

