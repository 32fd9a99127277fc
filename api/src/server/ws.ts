import type { IncomingMessage, Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config.js';
import { userForToken } from '../modules/user/session.service.js';
import { readToken } from '../modules/user/session-cookie.js';
import type { User } from '../modules/user/user.entity.js';
import { makeContext, type AppDeps } from './context.js';
import { formatError } from './format-error.js';

/** Largest WebSocket message accepted (64 KB). */
export const WS_MAX_PAYLOAD = 64 * 1024;

type Extra = { socket: WebSocket; request: IncomingMessage; viewer?: User | null };

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

/** graphql-ws on the HTTP server's `/graphql`, authenticated like HTTP; returns its disposer. */
export function attachWebSockets(httpServer: Server, schema: GraphQLSchema, deps: AppDeps, log: (e: unknown) => void) {
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: WS_MAX_PAYLOAD,
    verifyClient: ({ req }, done) => (originAllowed(req, deps.config) ? done(true) : done(false, 403, 'Origin not allowed')),
  });
  const handle = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      // The session token in connectionParams.authorization, else the cookie of the upgrade request.
      onConnect: async (ctx) => {
        const param = ctx.connectionParams?.authorization;
        const found = typeof param === 'string' && param ? { token: param.replace(/^Bearer\s+/i, ''), from: 'bearer' } : readToken(ctx.extra.request.headers);
        if (!found) return true;
        const viewer = await userForToken(deps.orm.em.fork(), found.token);
        if (!viewer && found.from === 'bearer') return false; // closes with 4403 Forbidden
        ctx.extra.viewer = viewer;
        return true;
      },
      context: (ctx) => makeContext(deps, ctx.extra.viewer ?? null, null),
      onNext: (ctx, _id, _payload, _args, result) => {
        // A consumer that cannot keep up is dropped rather than buffered without bound (config.WS_MAX_BUFFERED_BYTES).
        if (ctx.extra.socket.bufferedAmount > deps.config.WS_MAX_BUFFERED_BYTES) ctx.extra.socket.terminate();
        if (result.errors) return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e, log)) };
      },
      onError: (ctx, _id, _payload, errors) => {
        // Once a socket is gone (say, a slow consumer dropped above), its waiting sends fail: nobody to tell, nothing to log.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return;
        return errors.map((e) => formatError(e.toJSON(), e, log));
      },
    },
    wsServer,
  );
  return {
    wsServer,
    async dispose() {
      for (const client of wsServer.clients) client.close(1001, 'Server going away');
      await handle.dispose();
    },
  };
}
