import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticatedContext } from './auth-context.js';
import type { AppDeps } from './context.js';

/** Largest WebSocket message accepted (64 KB). */
export const WS_MAX_PAYLOAD = 64 * 1024;

/** graphql-ws on the HTTP server's `/graphql`, authenticated like HTTP; returns its disposer. */
export function attachWebSockets(httpServer: Server, schema: GraphQLSchema, deps: AppDeps) {
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: WS_MAX_PAYLOAD });
  const handle = useServer(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      context: async (ctx) => {
        const token = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : null;
        return authenticatedContext(deps, ctx.extra.request.headers, undefined, token);
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
