import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { randomUUID } from 'node:crypto';
import { Loaders } from '../shared/loaders.js';
import { silentLive, type Live } from '../shared/live.js';
import { noRateLimits, type RateLimits } from '../shared/rate-limit.js';
import type { Viewer } from '../modules/user/session.service.js';
import { requestScope, silentLogger, type Logger, type RequestScope } from './logger.js';

/** What every resolver and service of one request (or one subscription event) works with. */
export interface Context {
  /** This request's own EntityManager fork: its identity map lives and dies with the request. */
  em: EntityManager;
  /** The signed-in user, or null. Log-in and sign-up set it for the rest of their operation. */
  viewer: Viewer | null;
  /** The raw session token of this request, if any (log-out revokes it). */
  sessionToken: string | null;
  loaders: Loaders;
  config: Config;
  /** Live updates; services publish here after their transaction commits. */
  live: Live;
  /** The HTTP exchange, for cookies; absent on WebSocket operations. */
  http?: { req: IncomingMessage; res: ServerResponse };
  /** The WebSocket of a subscription, to drop a client that cannot keep up; absent over HTTP. */
  connection?: { drop(): void };
  /** Id of the HTTP request or WebSocket connection, as in the x-request-id header and on every log line. */
  requestId: string;
  /** This request's logger (its lines carry requestId). */
  log: Logger;
  /** The client's address (X-Forwarded-For's first hop only with TRUST_PROXY), for rate limits; null if unknown. */
  clientAddress: string | null;
  /** Rate limits (RATE_LIMITED); services count their actions here. */
  rateLimits: RateLimits;
  /**
   * A new context for the same viewer and connection, with its own EntityManager fork and loaders: live subscriptions
   * take one per delivered event and keep none between events (docs/ARCHITECTURE.md, "Live protocol").
   */
  renew: () => Context;
}

/** Long-lived things a context is made from. */
export interface AppDeps {
  orm: MikroORM;
  config: Config;
  /** Default: a publisher that drops everything. */
  live?: Live;
  /** The API's logger. Default: silent. */
  log?: Logger;
  /** Default: no limits. */
  rateLimits?: RateLimits;
}

/** A fresh context for one operation; `scope` (WebSocket connections) else the HTTP request's, else a new one. */
export function makeContext(deps: AppDeps, viewer: Viewer | null, sessionToken: string | null, http?: Context['http'], scope?: RequestScope): Context {
  const em = deps.orm.em.fork();
  const log = deps.log ?? silentLogger;
  const { id, log: requestLog, clientAddress } =
    scope ?? (http ? requestScope(http.req, log, deps.config.TRUST_PROXY) : { id: randomUUID(), log, clientAddress: null });
  const ctx: Context = {
    em,
    viewer,
    sessionToken,
    loaders: new Loaders(em, viewer?.id ?? null),
    config: deps.config,
    live: deps.live ?? silentLive,
    http,
    requestId: id,
    log: requestLog,
    clientAddress,
    rateLimits: deps.rateLimits ?? noRateLimits,
    renew: () => ({ ...makeContext(deps, ctx.viewer, ctx.sessionToken, http, scope), connection: ctx.connection }),
  };
  return ctx;
}
