import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { topic, type LivePublisher } from '../../shared/live.js';

/** Sessions that ended (logged out, revoked, password changed), by the SHA-256 of their tokens. */
export interface SessionsEnded {
  tokenHashes: string[];
}

/** Session endings; one channel (key SESSIONS_KEY) that every API process listens to, to close their sockets. */
export const sessionsEndedTopic = topic<SessionsEnded>('sessions-ended', { counted: false });
export const SESSIONS_KEY = 'all';

/** Where the sessions ended through each ORM are announced (set by the API at start, server/app.ts). */
const announcers = new WeakMap<object, LivePublisher>();

/** Announces every session ended through `orm` on `live` (one per API process). */
export function announceSessionEnds(orm: MikroORM, live: LivePublisher): void {
  announcers.set(orm.config, live);
}

/**
 * Announces ended sessions once what deleted them has committed: at once outside a transaction, else when the
 * transaction's commit completes (never for one rolled back). Called by session.service.ts only.
 */
export function announceSessionsEnded(em: EntityManager, tokenHashes: string[]): void {
  const live = announcers.get(em.config);
  if (!live || tokenHashes.length === 0) return;
  const announce = () => live.publish(sessionsEndedTopic, SESSIONS_KEY, { tokenHashes });
  const trx = em.isInTransaction() ? em.getTransactionContext<{ executionPromise?: Promise<unknown> }>() : undefined;
  if (trx?.executionPromise) trx.executionPromise.then(announce, () => {});
  else announce();
}
