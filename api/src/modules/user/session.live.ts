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

/** Endings recorded inside a transaction, by its root transaction: announced on its commit, dropped on rollback. */
const pending = new WeakMap<object, { live: LivePublisher; tokenHashes: string[] }>();

/** A transaction's outermost transaction (knex keeps the parent of a savepoint as `outerTx`). */
function rootOf(trx: object): object {
  let root = trx as { outerTx?: object | null };
  while (root.outerTx) root = root.outerTx as typeof root;
  return root;
}

function settle(transaction: unknown, committed: boolean) {
  // knex's transaction is a function object: any non-null object or function may key the map.
  if (transaction === null || (typeof transaction !== 'object' && typeof transaction !== 'function')) return;
  const waiting = pending.get(transaction);
  if (!waiting) return;
  pending.delete(transaction);
  if (committed) waiting.live.publish(sessionsEndedTopic, SESSIONS_KEY, { tokenHashes: waiting.tokenHashes });
}

/** Announces every session ended through `orm` on `live` (one per API process), after the deleting commit. */
export function announceSessionEnds(orm: MikroORM, live: LivePublisher): void {
  if (!announcers.has(orm.config)) {
    orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: ({ transaction }) => settle(transaction, true),
      afterTransactionRollback: ({ transaction }) => settle(transaction, false),
    });
  }
  announcers.set(orm.config, live);
}

/**
 * Announces ended sessions once what deleted them has committed: at once outside a transaction, else after the
 * commit of its outermost transaction (never for one rolled back). Called by session.service.ts only.
 */
export function announceSessionsEnded(em: EntityManager, tokenHashes: string[]): void {
  const live = announcers.get(em.config);
  if (!live || tokenHashes.length === 0) return;
  const trx = em.isInTransaction() ? em.getTransactionContext<object>() : undefined;
  if (!trx) return live.publish(sessionsEndedTopic, SESSIONS_KEY, { tokenHashes });
  const root = rootOf(trx);
  const waiting = pending.get(root);
  if (waiting) waiting.tokenHashes.push(...tokenHashes);
  else pending.set(root, { live, tokenHashes: [...tokenHashes] });
}
