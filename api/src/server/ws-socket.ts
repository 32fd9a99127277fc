import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, MessageType, type ServerOptions } from 'graphql-ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';

/** How often sockets are pinged; one that has not answered by the next ping is cut (graphql-ws/use/ws's interval). */
const KEEP_ALIVE_MS = 12_000;

/** Most distinct documents whose text is shared between subscriptions; past it the table starts again. */
const MAX_SHARED_TEXTS = 1000;

/** What the caller may do about a socket's `error` event: return true when it has dealt with it. */
export type SocketErrorHook<E> = (extra: E, err: Error) => boolean;

/**
 * What graphql-ws is given for one socket. Methods and fields rather than closures, and the socket's listeners are
 * shared functions that find it in `transports`: an idle socket costs this one object.
 */
class Transport<E> {
  handle: ((message: unknown) => Promise<void>) | null = null;
  closed: ((code: number, reason: string) => Promise<void>) | null = null;
  /** The connection-init timeout, until connection_init arrives. */
  initTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly protocol: string,
    readonly extra: E,
  ) {}

  send(data: string): Promise<void> {
    const socket = this.socket;
    return new Promise<void>((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) return resolve();
      socket.send(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  /** graphql-ws's handler takes a message parsed already as well as its text (see `received`). */
  onMessage(handle: (data: string) => Promise<void>): void {
    this.handle = handle as (message: unknown) => Promise<void>;
  }
}

/**
 * graphql-ws on a `ws` server, as graphql-ws/use/ws does it, but holding less per socket and per subscription
 * (docs/ARCHITECTURE.md, "Live protocol"). graphql-ws's message handler stays suspended for as long as a subscription
 * runs, holding the message it was given, and use/ws's handler above it holds the raw frame and its text as well. Here
 * each message is parsed before graphql-ws sees it (graphql-ws takes a parsed message as it is and still checks its
 * shape), so only the parsed message stays, and a subscription's document text is the same string for every
 * subscription that sent the same text. The connection-init timeout is a timer that lives only until connection_init
 * (graphql-ws would keep its own for the socket's life), and one heartbeat pings every socket. `extraOf` turns the
 * upgrade request into what the hooks keep of it, so the request itself is not kept; `onSocketError` may take a
 * socket's `error` event before it is reported as an internal error.
 */
export function serveGraphqlWs<E extends { socket: WebSocket }>(
  options: ServerOptions<Record<string, unknown>, E>,
  wsServer: WebSocketServer,
  extraOf: (socket: WebSocket, request: IncomingMessage) => E,
  onSocketError: SocketErrorHook<E> = () => false,
) {
  const isProd = process.env.NODE_ENV === 'production';
  const initWaitMs = options.connectionInitWaitTimeout ?? 3_000;
  const server = makeServer({ ...options, connectionInitWaitTimeout: 0 });
  const transports = new WeakMap<WebSocket, Transport<E>>();
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
    const transport = transports.get(this);
    if (transport && onSocketError(transport.extra, err)) return;
    internalError(this, err);
  }
  function initTimedOut(transport: Transport<E>) {
    transport.initTimer = null;
    transport.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
  }
  function received(this: WebSocket, data: RawData) {
    const transport = transports.get(this);
    if (!transport?.handle) return;
    const text = String(data);
    let message: unknown = text; // not JSON: graphql-ws closes the socket with 4400 Bad Request
    try {
      message = JSON.parse(text);
    } catch {
      // handed over as text
    }
    const type = (message as { type?: unknown } | null)?.type;
    if (type === MessageType.ConnectionInit && transport.initTimer) {
      clearTimeout(transport.initTimer);
      transport.initTimer = null;
    }
    const payload = (message as { payload?: { query?: unknown } } | null)?.payload;
    if (type === MessageType.Subscribe && typeof payload?.query === 'string') payload.query = shared(payload.query);
    transport.handle(message).catch((err) => internalError(this, err));
  }
  function gone(this: WebSocket, code: number, reason: Buffer) {
    const transport = transports.get(this);
    if (!transport) return;
    if (transport.initTimer) clearTimeout(transport.initTimer);
    transport.initTimer = null;
    void transport.closed?.(code, String(reason));
  }
  wsServer.on('connection', (socket, request) => {
    const transport = new Transport(socket, socket.protocol, extraOf(socket, request));
    transports.set(socket, transport);
    socket.on('error', failed);
    socket.on('pong', answered);
    socket.on('message', received);
    socket.on('close', gone);
    transport.closed = server.opened(transport, transport.extra);
    if (initWaitMs > 0 && Number.isFinite(initWaitMs) && socket.readyState === socket.OPEN) transport.initTimer = setTimeout(initTimedOut, initWaitMs, transport);
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
