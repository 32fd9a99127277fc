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
import { requestScope, runInScope, silentLogger, type RequestScope } from './logger.js';
import { WsOperationRecords } from './operation-records.js';
import { SESSION_ENDED, SocketSessions, type SessionSocket } from './ws-sessions.js';
import { serveGraphqlWs } from './ws-socket.js';

/** Largest WebSocket message accepted (64 KB). */
export const WS_MAX_PAYLOAD = 64 * 1024;

/** Most subscriptions one socket may run at once; the next is refused (RATE_LIMITED) and the others go on. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

type Extra = {
  socket: WebSocket;
  /** What is kept of the upgrade request (not the request itself): its log scope and the headers that sign in. */
  scope: RequestScope;
  headers: Pick<IncomingMessage['headers'], 'authorization' | 'cookie'>;
  /** A fresh context for this socket's viewer (made on first use, shared by the socket's subscriptions). */
  fresh?: () => Context;
  viewer?: User | null;
  /** The raw session token that authenticated the socket (kept in memory only: `logOut` over the socket revokes it). */
  token?: string | null;
  /** Its place among its session's sockets, while the session lasts. */
  session?: SessionSocket;
  untrack?: () => void;
  /** Ids of its subscriptions running now. */
  live?: Set<string>;
};

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
  const scopeOf = (request: IncomingMessage) => requestScope(request, deps.log ?? silentLogger, deps.config.TRUST_PROXY);
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
  // graphql-ws would print to stderr as an "internal error". Log it as what it is and let ws finish the close.
  const tooLarge = (socket: WebSocket, scope: RequestScope) => {
    const emit = socket.emit.bind(socket);
    socket.emit = ((event: string, ...args: unknown[]) => {
      const error = args[0] as { code?: string } | undefined;
      if (event !== 'error' || error?.code !== 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return emit(event, ...args);
      scope.log.info({ maxBytes: WS_MAX_PAYLOAD }, 'WebSocket message too large; closed with 1009');
      return true;
    }) as typeof socket.emit;
  };
  const sessions = new SocketSessions(deps.live ?? silentLive);
  const handle = serveGraphqlWs<Extra>(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      // The session token in connectionParams.authorization, else the cookie of the upgrade request.
      onConnect: async (ctx) => {
        const param = ctx.connectionParams?.authorization;
        const found = typeof param === 'string' && param ? { token: param.replace(/^Bearer\s+/i, ''), from: 'bearer' } : readToken(ctx.extra.headers);
        if (!found) return true;
        const session = await sessionForToken(deps.orm.em.fork(), found.token);
        if (!session) return found.from !== 'bearer'; // an unknown bearer token closes with 4403 Forbidden
        const { socket } = ctx.extra;
        if (socket.readyState !== socket.OPEN) return false; // gone while its session was read
        const tracked: SessionSocket = {
          ended: false,
          end() {
            if (tracked.ended) return;
            tracked.ended = true;
            // Stop its subscriptions now, then close once the operation that ended the session (logOut here) has answered.
            for (const sub of Object.values(ctx.subscriptions)) void (sub as AsyncGenerator | null)?.return?.(undefined);
            setTimeout(() => socket.close(SESSION_ENDED.code, SESSION_ENDED.reason), 10);
          },
        };
        Object.assign(ctx.extra, { viewer: session.user, token: found.token, session: tracked });
        ctx.extra.untrack = sessions.add(session.tokenHash, session.expiresAt, tracked);
        socket.once('close', () => ctx.extra.untrack?.());
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        records.started(ctx.extra, id, payload);
        // A NUL in a variable, or written in the document (raw or as \u0000), is refused as on HTTP (request-guards.ts).
        const refusal = variablesRefusal(payload.variables ?? {}) ?? (/\\u0000|\u0000/.test(payload.query) ? nulRefused('query') : null);
        let prepared = refusal ? [refusal] : prepareOperation(schema, deps.config, payload);
        if (ctx.extra.session?.ended) prepared = refused('Your session has ended: log in again.', 'UNAUTHENTICATED');
        else if (!Array.isArray(prepared) && getOperationAST(prepared.document, prepared.operationName)?.operation === 'subscription') {
          const live = (ctx.extra.live ??= new Set());
          // A subscription the client completed leaves ctx.subscriptions at once (before onComplete runs).
          for (const running of live) if (!(running in ctx.subscriptions)) live.delete(running);
          if (live.size >= MAX_SUBSCRIPTIONS_PER_SOCKET)
            prepared = refused(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions may run on one connection: complete one first.`, 'RATE_LIMITED');
          else live.add(id);
        }
        if (Array.isArray(prepared)) records.refused(ctx.extra, id, ctx.extra.scope.log);
        return prepared;
      },
      context: (ctx) => {
        if (!ctx.extra.fresh) {
          const { viewer = null, token = null, socket, scope } = ctx.extra;
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
      onOperation: (ctx, id, _payload, args, result) => records.operated(ctx.extra, id, ctx.extra.scope.log, args, result),
      onComplete: (ctx, id) => {
        ctx.extra.live?.delete(id);
        records.completed(ctx.extra, id);
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        // A consumer that cannot keep up is dropped rather than buffered without bound (config.WS_MAX_BUFFERED_BYTES).
        if (ctx.extra.socket.bufferedAmount > deps.config.WS_MAX_BUFFERED_BYTES) ctx.extra.socket.terminate();
        if (result.errors) return { ...result, errors: result.errors.map(format(ctx.extra)) };
      },
      onError: (ctx, _id, _payload, errors) => {
        // Once a socket is gone (say, a slow consumer dropped above), its waiting sends fail: nobody to tell, nothing to log.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return;
        return errors.map(format(ctx.extra));
      },
    },
    wsServer,
    (socket, request) => {
      const scope = scopeOf(request);
      tooLarge(socket, scope);
      return { socket, scope, headers: { authorization: request.headers.authorization, cookie: request.headers.cookie } };
    },
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
