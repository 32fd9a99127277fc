import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A live subscription opened by a test: what arrived so far, and ways to wait for more. */
export interface TestSubscription<T = any> {
  received: T[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `count` payloads have arrived in all (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  close(): Promise<void>;
}

/** A graphql-ws client for `httpUrl` (http → ws), optionally signed in by token. */
export function wsClient(httpUrl: string, token?: string | null, headers: Record<string, string> = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    },
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {}, // the subscription's own error handler records it
  });
}

/** Readable forms of what graphql-ws reports: GraphQL errors, a close event (code, reason), or a socket error. */
function describe(error: unknown): unknown[] {
  if (Array.isArray(error)) return error;
  const e = error as { code?: number; reason?: string; message?: string };
  if (typeof e?.code === 'number') return [`close ${e.code} ${e.reason ?? ''}`];
  return [e?.message ?? String(error)];
}

/** Subscribes with `client` and collects what arrives. */
export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown>): TestSubscription<T> {
  const sub: TestSubscription<T> & { waiters: Array<() => void> } = {
    received: [],
    errors: [],
    completed: false,
    waiters: [],
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sub.received.length >= count) resolve(sub.received.slice(0, count));
          else if (sub.completed) reject(new Error(`completed after ${sub.received.length} of ${count}: ${JSON.stringify(sub.errors)}`));
          else return false;
          return true;
        };
        if (check()) return;
        const timer = setTimeout(() => reject(new Error(`only ${sub.received.length} of ${count} arrived: ${JSON.stringify(sub.errors)}`)), timeoutMs);
        sub.waiters.push(() => {
          if (check()) clearTimeout(timer);
        });
      });
    },
    async close() {
      dispose();
    },
  };
  const wake = () => {
    for (const w of [...sub.waiters]) w();
  };
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) sub.errors.push(...value.errors);
        if (value.data) sub.received.push(value.data as T);
        wake();
      },
      error: (error) => {
        sub.errors.push(...describe(error));
        sub.completed = true;
        wake();
      },
      complete: () => {
        sub.completed = true;
        wake();
      },
    },
  );
  return sub;
}
