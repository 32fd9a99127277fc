import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { Loaders } from '../shared/loaders.js';
import { silentLive, type Live } from '../shared/live.js';
import type { User } from '../modules/user/user.entity.js';

/** What every resolver and service of one request (or one subscription event) works with. */
export interface Context {
  /** This request's own EntityManager fork: its identity map lives and dies with the request. */
  em: EntityManager;
  /** The signed-in user, or null. Log-in and sign-up set it for the rest of their operation. */
  viewer: User | null;
  /** The raw session token of this request, if any (log-out revokes it). */
  sessionToken: string | null;
  loaders: Loaders;
  config: Config;
  /** Live updates; services publish here after their transaction commits. */
  live: Live;
  /** The HTTP exchange, for cookies; absent on WebSocket operations. */
  http?: { req: IncomingMessage; res: ServerResponse };
}

/** Long-lived things a context is made from. */
export interface AppDeps {
  orm: MikroORM;
  config: Config;
  /** Default: a publisher that drops everything. */
  live?: Live;
}

/** A fresh context for one operation. */
export function makeContext(deps: AppDeps, viewer: User | null, sessionToken: string | null, http?: Context['http']): Context {
  const em = deps.orm.em.fork();
  return { em, viewer, sessionToken, loaders: new Loaders(em, viewer?.id ?? null), config: deps.config, live: deps.live ?? silentLive, http };
}
