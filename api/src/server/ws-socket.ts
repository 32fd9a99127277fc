import type { IncomingMessage } from 'node:http';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols, MessageType } from 'graphql-ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { Connection, type ProtocolHooks } from './ws-protocol.js';

/** How often sockets are pinged; one that has not answered by the next ping is cut (graphql-ws/use/ws's interval). */
const KEEP_ALIVE_MS = 12_000;

/** Most distinct documents whose text is shared between subscriptions; past it the table starts again. */
const MAX_SHARED_TEXTS = 1000;

/** What the caller may do about a socket's `error` event: return true when it has dealt with it. */
export type SocketErrorHook<E> = (extra: E, err: Error) => boolean;

/**
 * graphql-transport-ws (graphql-ws's protocol, spoken by `ws-protocol.ts`) on a `ws` server, holding little per socket
 * and per subscription (docs/ARCHITECTURE.md, "Live protocol"). Each message is parsed here and only the parsed message
 * is handed on; a subscription's document text is the same string for every subscription that sent the same text. The
 * connection-init timeout (`initWaitMs`) is a timer that lives only until connection_init, and one heartbeat pings
 * every socket. The socket's listeners are shared functions that find its `Connection`. `extraOf` turns the upgrade
 * request into what the hooks keep of it, so the request itself is not kept; `onSocketError` may take a socket's
 * `error` event before it is reported as an internal error.
 */
export function serveGraphqlWs<E extends { socket: WebSocket }>(
  hooks: ProtocolHooks<E>,
  initWaitMs: number,
  wsServer: WebSocketServer,
  extraOf: (socket: WebSocket, request: IncomingMessage) => E,
  onSocketError: SocketErrorHook<E> = () => false,
) {
  const isProd = process.env.NODE_ENV === 'production';
  const connections = new WeakMap<WebSocket, Connection<E>>();
  /** The connection-init timer of each socket that has not sent connection_init yet. */
  const initTimers = new Map<WebSocket, NodeJS.Timeout>();
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
  const stopInitTimer = (socket: WebSocket) => {
    clearTimeout(initTimers.get(socket));
    initTimers.delete(socket);
  };
  function answered(this: WebSocket) {
    waiting.delete(this);
  }
  function failed(this: WebSocket, err: Error) {
    const conn = connections.get(this);
    if (conn && onSocketError(conn.extra, err)) return;
    internalError(this, err);
  }
  function initTimedOut(socket: WebSocket) {
    initTimers.delete(socket);
    socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
  }
  function received(this: WebSocket, data: RawData) {
    const conn = connections.get(this);
    if (!conn || this.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) return;
    const text = String(data);
    let message: unknown = text; // not JSON: closed with 4400 Bad Request
    try {
      message = JSON.parse(text);
    } catch {
      // handed over as text
    }
    const type = (message as { type?: unknown } | null)?.type;
    if (type === MessageType.ConnectionInit) stopInitTimer(this);
    const payload = (message as { payload?: { query?: unknown } } | null)?.payload;
    if (type === MessageType.Subscribe && typeof payload?.query === 'string') payload.query = shared(payload.query);
    try {
      conn.receive(message);
    } catch (err) {
      internalError(this, err);
    }
  }
  function gone(this: WebSocket) {
    stopInitTimer(this);
    connections.get(this)?.close().catch((err) => console.error('Error while closing a WebSocket connection.', err));
  }
  wsServer.on('connection', (socket, request) => {
    const conn = new Connection(socket, extraOf(socket, request), hooks, internalError);
    connections.set(socket, conn);
    socket.on('error', failed);
    socket.on('pong', answered);
    socket.on('message', received);
    socket.on('close', gone);
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) return socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
    if (initWaitMs > 0 && Number.isFinite(initWaitMs)) initTimers.set(socket, setTimeout(initTimedOut, initWaitMs, socket));
  });
  return {
    dispose: async () => {
      clearInterval(heartbeat);
      for (const timer of initTimers.values()) clearTimeout(timer);
      initTimers.clear();
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
