import type { IncomingMessage, Server } from 'node:http';
import { execute, getOperationAST, GraphQLError, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config.js';
import { subscribeLive } from '../modules/live/live-execution.js';
import { sessionForToken } from '../modules/user/session.service.js';
import { readToken } from '../modules/user/session-cookie.js';
import type { User } from '../modules/user/user.entity.js';
import { silentLive } from '../shared/live.js';
import { makeContext, type AppDeps, type Context } from './context.js';
import { formatError } from './format-error.js';
import { nulRefused, variablesRefusal } from './request-guards.js';
import { prepareOperation } from './limits.js';
import { requestScope, runInScope, silentLogger, type Logger, type RequestScope } from './logger.js';
import { WsOperationRecords } from './operation-records.js';
import { SESSION_ENDED, SocketSessions, type SessionSocket, type Tracked } from './ws-sessions.js';
import type { Connection } from './ws-protocol.js';
import { serveGraphqlWs } from './ws-socket.js';

/** Largest WebSocket message accepted (64 KB). */
export const WS_MAX_PAYLOAD = 64 * 1024;

/** Most subscriptions one socket may run at once; the next is refused (RATE_LIMITED) and the others go on. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

type Extra = {
  socket: WebSocket;
  /** What is kept of the upgrade request (not the request itself): its log scope and the headers that sign in. */
  scope: RequestScope;
  headers: Pick<IncomingMessage['headers'], 'authorization' | 'cookie'> | null;
  /** A fresh context for this socket's viewer (made on first use, shared by the socket's subscriptions). */
  fresh: (() => Context) | null;
  viewer: User | null;
  /** The raw session token that authenticated the socket (kept in memory only: `logOut` over the socket revokes it). */
  token: string | null;
  /** Its session, while the session lasts, and its place among the session's sockets. */
  session: SignedIn | null;
  tracked: Tracked | null;
  /** Ids of its subscriptions running now. */
  live: string[] | null;
};

/** A socket signed in with a session: ending the session stops its subscriptions and closes it. */
class SignedIn implements SessionSocket {
  ended = false;

  constructor(private readonly conn: Connection<Extra>) {}

  end(): void {
    if (this.ended) return;
    this.ended = true;
    // Stop its subscriptions now, then close once the operation that ended the session (logOut here) has answered.
    this.conn.stopAll();
    setTimeout(closeEnded, 10, this.conn.socket);
  }
}

const closeEnded = (socket: WebSocket) => socket.close(SESSION_ENDED.code, SESSION_ENDED.reason);

/** A socket's log scope: its child logger is made whenever something logs, not kept for the socket's life. */
class SocketScope implements RequestScope {
  constructor(
    readonly id: string,
    readonly clientAddress: string | null,
    private readonly root: Logger,
  ) {}

  get log(): Logger {
    return this.root.child({ requestId: this.id });
  }
}

const refused = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];

/** Browsers may connect from the API's own origin, ALLOWED_ORIGINS, or (outside production) localhost. */
export function originAllowed(request: IncomingMessage, config: Config): boolean {
  const origin = request.headers.origin;
  if (!origin) return true; // not a browser: authenticated by token like any API client
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.host === request.headers.host) return true;
  const allowed = config.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (allowed.includes(url.origin)) return true;
  return config.NODE_ENV !== 'production' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * graphql-js reports a request the client got wrong (a required variable missing or of the wrong type, no operation
 * of that name) as an error with no path, no cause and no code. Over HTTP Apollo calls these BAD_USER_INPUT;
 * over WebSocket they would be masked as internal errors, so they get the same code here.
 */
function withRequestCode(e: GraphQLError) {
  const formatted = e.toJSON();
  if (e.path || e.originalError || formatted.extensions?.code) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
}

/** Runs an operation inside its request's scope, so what it logs carries the connection's request id. */
const inScope =
  <T>(run: (args: ExecutionArgs) => T) =>
  (args: ExecutionArgs): T => {
    const ctx = args.contextValue as Context;
    return runInScope({ id: ctx.requestId, log: ctx.log, clientAddress: ctx.clientAddress }, () => run(args));
  };

/**
 * graphql-ws on the HTTP server's `/graphql`, authenticated like HTTP, with HTTP's validation rules and cost
 * limit (limits.ts); `records` counts and logs its operations. Returns its disposer.
 */
export function attachWebSockets(httpServer: Server, schema: GraphQLSchema, deps: AppDeps, records = new WsOperationRecords(undefined)) {
  const root = deps.log ?? silentLogger;
  const scopeOf = (request: IncomingMessage) => {
    const { id, clientAddress } = requestScope(request, root, deps.config.TRUST_PROXY);
    return new SocketScope(id, clientAddress, root);
  };
  const hideSuggestions = deps.config.NODE_ENV === 'production';
  const format = (extra: Extra) => (e: GraphQLError) =>
    formatError(withRequestCode(e), e, (error) => extra.scope.log.error({ err: error }, 'unexpected error'), { hideSuggestions });
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: WS_MAX_PAYLOAD,
    verifyClient: ({ req }, done) => (originAllowed(req, deps.config) ? done(true) : done(false, 403, 'Origin not allowed')),
  });
  // A message over WS_MAX_PAYLOAD is the client's mistake: ws closes the socket with 1009 and emits an error, which
  // would be reported as an "internal error". Log it as what it is and let ws finish the close.
  const tooLarge = (extra: Extra, error: Error & { code?: string }) => {
    if (error.code !== 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return false;
    extra.scope.log.info({ maxBytes: WS_MAX_PAYLOAD }, 'WebSocket message too large; closed with 1009');
    return true;
  };
  const sessions = new SocketSessions(deps.live ?? silentLive);
  const handle = serveGraphqlWs<Extra>(
    {
      // The session token in connectionParams.authorization, else the cookie of the upgrade request.
      onConnect: async (ctx) => {
        const param = ctx.connectionParams?.authorization;
        const headers = ctx.extra.headers;
        // Neither is needed past sign-in: let them go.
        ctx.connectionParams = undefined;
        ctx.extra.headers = null;
        const found = typeof param === 'string' && param ? { token: param.replace(/^Bearer\s+/i, ''), from: 'bearer' } : readToken(headers ?? {});
        if (!found) return true;
        const session = await sessionForToken(deps.orm.em.fork(), found.token);
        if (!session) return found.from !== 'bearer'; // an unknown bearer token closes with 4403 Forbidden
        const { extra } = ctx;
        if (extra.socket.readyState !== extra.socket.OPEN) return false; // gone while its session was read
        extra.viewer = session.user;
        extra.token = found.token;
        extra.session = new SignedIn(ctx);
        extra.tracked = sessions.add(session.tokenHash, session.expiresAt, extra.session);
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.tracked) sessions.remove(ctx.extra.tracked);
        ctx.extra.tracked = null;
      },
      onSubscribe: (ctx, id, payload) => {
        records.started(ctx.extra, id, payload);
        // A NUL in a variable, or written in the document (raw or as \u0000), is refused as on HTTP (request-guards.ts).
        const refusal = variablesRefusal(payload.variables ?? {}) ?? (/\\u0000|\u0000/.test(payload.query) ? nulRefused('query') : null);
        let prepared = refusal ? [refusal] : prepareOperation(schema, deps.config, payload);
        if (ctx.extra.session?.ended) prepared = refused('Your session has ended: log in again.', 'UNAUTHENTICATED');
        else if (!Array.isArray(prepared) && getOperationAST(prepared.document, prepared.operationName)?.operation === 'subscription') {
          // A subscription the client completed leaves the connection at once (before onComplete runs).
          const live = (ctx.extra.live = (ctx.extra.live ?? []).filter((running) => ctx.has(running)));
          if (live.length >= MAX_SUBSCRIPTIONS_PER_SOCKET)
            prepared = refused(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions may run on one connection: complete one first.`, 'RATE_LIMITED');
          else live.push(id);
        }
        if (Array.isArray(prepared)) records.refused(ctx.extra, id, ctx.extra.scope.log);
        return prepared;
      },
      context: (ctx) => {
        if (!ctx.extra.fresh) {
          const { viewer, token, socket, scope } = ctx.extra;
          // A subscriber too far behind loses its socket: its client reconnects and refetches (docs/ARCHITECTURE.md).
          const connection = { drop: () => socket.terminate() };
          // Made from the socket, never from another context: a subscription keeps `renew`, not an EntityManager.
          const fresh = (): Context => ({ ...makeContext(deps, viewer, token, undefined, scope), connection, renew: fresh });
          ctx.extra.fresh = fresh;
        }
        return ctx.extra.fresh();
      },
      execute: inScope(execute),
      subscribe: inScope(subscribeLive),
      onOperation: (ctx, id, args, result) => records.operated(ctx.extra, id, ctx.extra.scope.log, args, result),
      onComplete: (ctx, id) => {
        const live = ctx.extra.live;
        if (live?.includes(id)) live.splice(live.indexOf(id), 1);
        records.completed(ctx.extra, id);
      },
      onNext: (ctx, _args, result) => {
        // A consumer that cannot keep up is dropped rather than buffered without bound (config.WS_MAX_BUFFERED_BYTES).
        if (ctx.extra.socket.bufferedAmount > deps.config.WS_MAX_BUFFERED_BYTES) ctx.extra.socket.terminate();
        if (result.errors) return { ...result, errors: result.errors.map(format(ctx.extra)) };
      },
      onError: (ctx, errors) => {
        // Once a socket is gone (say, a slow consumer dropped above), its waiting sends fail: nobody to tell, nothing to log.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return;
        return errors.map(format(ctx.extra));
      },
    },
    deps.config.WS_INIT_TIMEOUT_MS,
    wsServer,
    (socket, request) => {
      const headers = { authorization: request.headers.authorization, cookie: request.headers.cookie };
      return { socket, scope: scopeOf(request), headers, fresh: null, viewer: null, token: null, session: null, tracked: null, live: null };
    },
    tooLarge,
  );
  return {
    wsServer,
    /** WebSockets open now. */
    openSockets: () => wsServer.clients.size,
    /** Closes every WebSocket with 1001 (going away), waits up to `waitMs` for each to go, then cuts the rest. */
    async dispose(waitMs = 2000) {
      const open = [...wsServer.clients];
      const gone = Promise.all(open.map((client) => new Promise((resolve) => (client.readyState === client.CLOSED ? resolve(null) : client.once('close', resolve)))));
      for (const client of open) client.close(1001, 'Server going away');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
      for (const client of wsServer.clients) client.terminate();
      await handle.dispose();
      sessions.close();
    },
  };
}
