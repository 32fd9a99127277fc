import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.js';
import { clientAddress, type TrustProxy } from './proxy-trust.js';

export type { Logger };

/** The JSON logger of one API: level from LOG_LEVEL; `destination` (tests) instead of stdout. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'gather-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    destination,
  );
}

/** Who is asking and under which id: made once per HTTP request or WebSocket connection. */
export interface RequestScope {
  /** The caller's `x-request-id` when sane, else a new UUID; on every log line and in the response header. */
  id: string;
  /** A child logger carrying `requestId`. */
  log: Logger;
  /** The client's address (behind trusted proxies, X-Forwarded-For's first untrusted hop from the right), for rate limits. */
  clientAddress: string | null;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const scopes = new WeakMap<IncomingMessage, RequestScope>();

/** The scope of `req` (an HTTP request or a WebSocket upgrade), made on first use. */
export function requestScope(req: IncomingMessage, root: Logger, trustProxy: TrustProxy): RequestScope {
  let scope = scopes.get(req);
  if (!scope) {
    const asked = req.headers['x-request-id'];
    const id = typeof asked === 'string' && SANE_REQUEST_ID.test(asked) ? asked : randomUUID();
    scope = { id, log: root.child({ requestId: id }), clientAddress: clientAddress(req, trustProxy) };
    scopes.set(req, scope);
  }
  return scope;
}

/** The logger of `req` once requestIds has named it, else `root`. */
export const logOf = (req: IncomingMessage, root: Logger): Logger => scopes.get(req)?.log ?? root;

const current = new AsyncLocalStorage<RequestScope>();

/** The logger of the request being served here (so lines logged deep inside carry its id), else `root`. */
export const currentLog = (root: Logger): Logger => current.getStore()?.log ?? root;

/** Runs `fn` as part of `scope` (see currentLog). */
export const runInScope = <T>(scope: RequestScope, fn: () => T): T => current.run(scope, fn);

/** Express middleware: names the request (x-request-id response header) and serves it inside its scope. */
export function requestIds(root: Logger, trustProxy: TrustProxy) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const scope = requestScope(req, root, trustProxy);
    res.setHeader('x-request-id', scope.id);
    runInScope(scope, next);
  };
}

/** A logger that writes nothing (contexts made outside a running API). */
export const silentLogger: Logger = pino({ level: 'silent' });
