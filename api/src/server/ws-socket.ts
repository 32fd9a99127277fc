import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';

/** How often sockets are pinged; one that has not answered by the next ping is cut (graphql-ws/use/ws's interval). */
const KEEP_ALIVE_MS = 12_000;

/** Most distinct documents whose text is shared between subscriptions; past it the table starts again. */
const MAX_SHARED_TEXTS = 1000;

/**
 * graphql-ws on a `ws` server, as graphql-ws/use/ws does it, but holding less per subscription (docs/ARCHITECTURE.md,
 * "Live protocol"). graphql-ws's message handler stays suspended for as long as a subscription runs, holding the message
 * it was given, and use/ws's handler above it holds the raw frame and its text as well. Here each message is parsed
 * before graphql-ws sees it (graphql-ws takes a parsed message as it is and still checks its shape), so only the parsed
 * message stays, and a subscription's document text is the same string for every subscription that sent the same text.
 * `extraOf` turns the upgrade request into what the hooks keep of it, so the request itself is not kept.
 */
export function serveGraphqlWs<E extends { socket: WebSocket }>(
  options: ServerOptions<Record<string, unknown>, E>,
  wsServer: WebSocketServer,
  extraOf: (socket: WebSocket, request: IncomingMessage) => E,
) {
  const isProd = process.env.NODE_ENV === 'production';
  const server = makeServer(options);
  const texts = new Map<string, string>();
  const shared = (text: string) => {
    const known = texts.get(text);
    if (known !== undefined) return known;
    if (texts.size >= MAX_SHARED_TEXTS) texts.clear();
    texts.set(text, text);
    return text;
  };
  const internalError = (socket: WebSocket, err: unknown) => {
    console.error('Internal error occurred during message handling. Please check your implementation.', err);
    socket.close(CloseCode.InternalServerError, isProd ? 'Internal server error' : String(err instanceof Error ? err.message : err).slice(0, 120));
  };
  wsServer.options.handleProtocols = handleProtocols;
  wsServer.once('error', (err) => {
    console.error('Internal error emitted on the WebSocket server. Please check your implementation.', err);
    for (const client of wsServer.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });
  // One heartbeat for every socket (not a timer per socket): each is pinged every KEEP_ALIVE_MS, and one that has not
  // answered the previous ping by then is cut.
  const waiting = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (waiting.has(socket)) {
        socket.terminate();
        continue;
      }
      waiting.add(socket);
      socket.ping();
    }
  }, KEEP_ALIVE_MS);
  heartbeat.unref();
  function answered(this: WebSocket) {
    waiting.delete(this);
  }
  function failed(this: WebSocket, err: Error) {
    internalError(this, err);
  }
  wsServer.on('connection', (socket, request) => {
    socket.once('error', failed);
    socket.on('pong', answered);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            const text = String(data);
            let message: unknown = text; // not JSON: graphql-ws closes the socket with 4400 Bad Request
            try {
              message = JSON.parse(text);
            } catch {
              // handed over as text
            }
            const payload = (message as { type?: unknown; payload?: { query?: unknown } } | null)?.payload;
            if ((message as { type?: unknown } | null)?.type === 'subscribe' && typeof payload?.query === 'string') payload.query = shared(payload.query);
            (handle as (message: unknown) => Promise<void>)(message).catch((err) => internalError(socket, err));
          }),
      },
      extraOf(socket, request),
    );
    socket.once('close', (code, reason) => void closed(code, String(reason)));
  });
  return {
    dispose: async () => {
      clearInterval(heartbeat);
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
