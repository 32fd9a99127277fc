import WebSocket from 'ws';
import { now } from './stats.js';

/** A subscription as graphql-ws sends it. */
export interface SubscribePayload {
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
}

/**
 * A subscription's id as the web client's graphql-ws sends it (a UUID), with the subscriber's number in its last
 * digits. Integer-like ids ("0", "1", …) would not be what browsers send, and graphql-ws keeps each socket's
 * operations in an object keyed by id, where an integer key makes V8 allocate array elements up to that index.
 */
const idOf = (sub: number) => `00000000-0000-4000-8000-${sub.toString(16).padStart(12, '0')}`;
const ID = /^\{"id":"00000000-0000-4000-8000-([0-9a-f]{12})"/;

/** Many subscribers speaking graphql-ws (graphql-transport-ws) over plain `ws` sockets. */
export interface Subscribers {
  /** Subscriptions that have received at least one `next` since `resetSeen()`. */
  seen(): number;
  resetSeen(): void;
  /** `error` / `complete` messages and socket failures, with the first one's text. */
  failures(): { count: number; first: string | null };
  sockets: number;
  close(): Promise<void>;
}

/**
 * Opens `count` subscriptions, `perSocket` on each socket (socket i signs in with `token(i)`), at most `inFlight`
 * sockets connecting at once. `onNext(text, at, subscriber)` sees every `next` message as raw text with its arrival
 * time. Resolves once every socket is acknowledged and has sent its subscriptions.
 */
export async function openSubscribers(options: {
  url: string;
  count: number;
  perSocket: number;
  token: (socket: number) => string | null;
  payload: SubscribePayload;
  onNext: (text: string, at: number, subscriber: number) => void;
  inFlight?: number;
}): Promise<Subscribers> {
  const sockets: WebSocket[] = [];
  const seenBy = new Uint8Array(options.count);
  let seenCount = 0;
  let failureCount = 0;
  let firstFailure: string | null = null;
  let closing = false;
  const fail = (why: string) => {
    failureCount++;
    firstFailure ??= why;
  };
  const socketCount = Math.ceil(options.count / options.perSocket);
  const connect = (s: number) =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(options.url, 'graphql-transport-ws', { perMessageDeflate: false });
      sockets.push(ws);
      const first = s * options.perSocket;
      const last = Math.min(options.count, first + options.perSocket);
      ws.on('open', () => {
        const token = options.token(s);
        ws.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }));
      });
      ws.on('message', (data: Buffer) => {
        const at = now();
        const text = data.toString();
        if (text.startsWith('{"id"') && text.includes('"type":"next"')) {
          const id = parseInt(ID.exec(text)?.[1] ?? '', 16);
          if (!seenBy[id]) {
            seenBy[id] = 1;
            seenCount++;
          }
          options.onNext(text, at, id);
        } else if (text.includes('"type":"connection_ack"')) {
          for (let sub = first; sub < last; sub++) {
            ws.send(JSON.stringify({ id: idOf(sub), type: 'subscribe', payload: options.payload }));
          }
          resolve();
        } else if (text.includes('"type":"ping"')) {
          ws.send('{"type":"pong"}');
        } else if (text.includes('"type":"error"') || text.includes('"type":"complete"')) {
          fail(text.slice(0, 300));
        }
      });
      ws.on('error', (error) => {
        fail(String(error));
        reject(error);
      });
      ws.on('close', (code, reason) => {
        if (!closing) fail(`socket closed ${code} ${reason}`);
        reject(new Error(`socket closed ${code} ${reason}`));
      });
    });
  const inFlight = options.inFlight ?? 100;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, socketCount) }, async () => {
      while (next < socketCount) await connect(next++);
    }),
  );
  return {
    seen: () => seenCount,
    resetSeen: () => {
      seenBy.fill(0);
      seenCount = 0;
    },
    failures: () => ({ count: failureCount, first: firstFailure }),
    sockets: socketCount,
    async close() {
      closing = true;
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.terminate();
            }),
        ),
      );
    },
  };
}

/** Waits until `done()` holds, checking every 20 ms; false after `timeoutMs`. */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = now() + timeoutMs;
  while (!done()) {
    if (now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
