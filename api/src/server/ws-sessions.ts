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

/** What is kept per tracked socket: the socket, its session and when that expires (ms since the epoch). */
export interface Tracked {
  socket: SessionSocket;
  tokenHash: string;
  expiresAt: number;
}

/**
 * The sockets each session authenticated on this process. A session that ends anywhere — `logOut` over HTTP or a
 * socket, a password change or reset, a revocation (all through modules/user/session.service.ts, announced on the live
 * bus and so on every process) — or that expires, ends its sockets here: at once, within a second of the commit.
 * Expiry takes one timer for the whole process, armed for the earliest expiry (not a timer per socket).
 */
export class SocketSessions {
  private readonly byTokenHash = new Map<string, Tracked[]>();
  /** Listening to session endings while (only while) this process holds a signed-in socket. */
  private stop: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (ms since the epoch), or Infinity when none is armed. */
  private armedFor = Infinity;

  constructor(private readonly live: LiveSource) {}

  /** Tracks `socket` under its session until `remove`; ends it when the session expires. Returns what `remove` takes. */
  add(tokenHash: string, expiresAt: Date, socket: SessionSocket): Tracked {
    this.stop ??= this.live.listen(sessionsEndedTopic, SESSIONS_KEY, ({ tokenHashes }) => {
      for (const hash of tokenHashes) for (const tracked of this.byTokenHash.get(hash) ?? []) tracked.socket.end();
    });
    const tracked: Tracked = { socket, tokenHash, expiresAt: expiresAt.getTime() };
    const list = this.byTokenHash.get(tokenHash);
    if (list) list.push(tracked);
    else this.byTokenHash.set(tokenHash, [tracked]);
    if (tracked.expiresAt < this.armedFor) this.arm(tracked.expiresAt);
    return tracked;
  }

  /** Stops tracking a socket (it closed). */
  remove(tracked: Tracked): void {
    const list = this.byTokenHash.get(tracked.tokenHash);
    const at = list?.indexOf(tracked) ?? -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (list!.length === 0) this.byTokenHash.delete(tracked.tokenHash);
    if (this.byTokenHash.size === 0) this.close();
  }

  /** Arms the one timer for `at` (an expiry sooner than the armed one); it ends what has expired, then re-arms. */
  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.expire(), Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = null;
    this.armedFor = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const list of this.byTokenHash.values())
      for (const tracked of list) {
        if (tracked.expiresAt <= now) tracked.socket.end();
        else if (!tracked.socket.ended) next = Math.min(next, tracked.expiresAt);
      }
    if (next < Infinity) this.arm(next);
  }

  /** Sockets tracked now (tests). */
  size(): number {
    let n = 0;
    for (const list of this.byTokenHash.values()) n += list.length;
    return n;
  }

  close(): void {
    this.stop?.();
    this.stop = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Infinity;
    this.byTokenHash.clear();
  }
}
