import { CloseCode } from 'graphql-ws';
import type { LiveSource } from '../shared/live.js';
import { SESSIONS_KEY, sessionsEndedTopic } from '../modules/user/session.live.js';

/** The close code and reason of a socket whose session ended: graphql-ws's 4401 Unauthorized (the client does not retry it). */
export const SESSION_ENDED = { code: CloseCode.Unauthorized, reason: 'Session ended' } as const;

/** Longest timer Node keeps (about 24.8 days); a later expiry re-arms it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A socket that a session authenticated. */
export interface SessionSocket {
  /** Set once its session ended: nothing more may start on it. */
  ended: boolean;
  /** Stops its running operations and closes it with SESSION_ENDED. */
  end(): void;
}

/**
 * The sockets each session authenticated on this process. A session that ends anywhere — `logOut` over HTTP or a
 * socket, a password change or reset, a revocation (all through modules/user/session.service.ts, announced on the live
 * bus and so on every process) — or that expires, ends its sockets here: at once, within a second of the commit.
 */
export class SocketSessions {
  private readonly byTokenHash = new Map<string, Set<SessionSocket>>();
  /** Listening to session endings while (only while) this process holds a signed-in socket. */
  private stop: (() => void) | null = null;

  constructor(private readonly live: LiveSource) {}

  /** Tracks `socket` under its session until it closes; ends it when the session expires. Returns the untracker. */
  add(tokenHash: string, expiresAt: Date, socket: SessionSocket): () => void {
    this.stop ??= this.live.listen(sessionsEndedTopic, SESSIONS_KEY, ({ tokenHashes }) => {
      for (const hash of tokenHashes) for (const socket of this.byTokenHash.get(hash) ?? []) socket.end();
    });
    let set = this.byTokenHash.get(tokenHash);
    if (!set) this.byTokenHash.set(tokenHash, (set = new Set()));
    set.add(socket);
    let timer: NodeJS.Timeout;
    const arm = () => {
      const left = expiresAt.getTime() - Date.now();
      timer = left <= 0 ? setTimeout(() => socket.end(), 0) : setTimeout(left > MAX_TIMER_MS ? arm : () => socket.end(), Math.min(left, MAX_TIMER_MS));
      timer.unref();
    };
    arm();
    return () => {
      clearTimeout(timer);
      const current = this.byTokenHash.get(tokenHash);
      if (current?.delete(socket) && current.size === 0) this.byTokenHash.delete(tokenHash);
      if (this.byTokenHash.size === 0) this.close();
    };
  }

  /** Sockets tracked now (tests). */
  size(): number {
    let n = 0;
    for (const set of this.byTokenHash.values()) n += set.size;
    return n;
  }

  close(): void {
    this.stop?.();
    this.stop = null;
    this.byTokenHash.clear();
  }
}
