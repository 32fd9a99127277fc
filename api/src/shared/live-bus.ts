import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { channelOf, type Live, type Topic } from './live.js';

type Listener = (payload: unknown) => void;

/** How long a publish may wait on Redis before it is given up (and logged). */
export const PUBLISH_TIMEOUT_MS = 250;

/** The listeners of one channel, with its name. */
class Listeners extends Set<Listener> {
  constructor(readonly channel: string) {
    super();
  }
}

/**
 * The live bus of one API process. Publishing delivers to this process's subscribers at once and,
 * with Redis, to every other process (each message is parsed once per process, not per subscriber).
 * Local delivery goes on while Redis is away; other processes miss those changes and their clients
 * notice the version gap and refetch.
 */
export class LiveBus implements Live {
  private readonly listeners = new Map<string, Listeners>();
  /** Channels of topics that are not subscribers (Topic.counted false). */
  private readonly uncounted = new Set<string>();
  private readonly origin = randomUUID();
  /** Told, once per message delivered here, the seconds since it was published (metrics). */
  onDelivery?: (lagSeconds: number, source: 'local' | 'redis') => void;

  constructor(
    private readonly redis: { pub: Redis; sub: Redis } | null = null,
    private readonly log: (msg: string, error?: unknown) => void = () => {},
  ) {
    redis?.sub.on('message', (topic: string, raw: string) => {
      try {
        const { o, p, t } = JSON.parse(raw) as { o: string; p: unknown; t?: number };
        if (o !== this.origin) {
          this.deliver(topic, p);
          if (typeof t === 'number') this.onDelivery?.((Date.now() - t) / 1000, 'redis');
        }
      } catch (error) {
        this.log('bad live message', error);
      }
    });
  }

  /** `in-process` alone, `redis` when shared; `healthy` false while Redis is unreachable. */
  status(): { mode: 'in-process' | 'redis'; healthy: boolean } {
    if (!this.redis) return { mode: 'in-process', healthy: true };
    return { mode: 'redis', healthy: this.redis.pub.status === 'ready' && this.redis.sub.status === 'ready' };
  }

  /** Listeners on this process (of one topic when given), for metrics and tests. */
  subscriberCount(topic?: string): number {
    if (topic !== undefined) return this.listeners.get(topic)?.size ?? 0;
    let n = 0;
    for (const [channel, set] of this.listeners) if (!this.uncounted.has(channel)) n += set.size;
    return n;
  }

  /** Delivers locally now and hands the message to Redis without waiting longer than PUBLISH_TIMEOUT_MS. */
  publish<P>(topic: Topic<P>, key: string, payload: P): void {
    this.publishOn(channelOf(topic, key), payload);
  }

  /** Calls `listener` for every message of `topic` on `key` until the returned function is called. */
  listen<P>(topic: Topic<P>, key: string, listener: (payload: P) => void): () => void {
    const channel = channelOf(topic, key);
    if (!topic.counted) this.uncounted.add(channel);
    // The one place a payload is typed: whatever is published on a topic's channel is that topic's payload.
    return this.listenOn(channel, listener as Listener);
  }

  private publishOn(topic: string, payload: unknown): void {
    const publishedAt = Date.now();
    this.deliver(topic, payload);
    this.onDelivery?.((Date.now() - publishedAt) / 1000, 'local');
    if (!this.redis) return;
    const message = JSON.stringify({ o: this.origin, p: payload, t: publishedAt });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis publish took over ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
    });
    Promise.race([this.redis.pub.publish(topic, message), timeout])
      .catch((error) => this.log(`live update on ${topic} may not reach other processes`, error))
      .finally(() => clearTimeout(timer));
  }

  private listenOn(topic: string, listener: Listener): () => void {
    let found = this.listeners.get(topic);
    if (!found) {
      found = new Listeners(topic);
      this.listeners.set(topic, found);
      this.redis?.sub.subscribe(topic).catch((error) => this.log(`cannot subscribe to ${topic} on Redis`, error));
    }
    found.add(listener);
    const set = found; // the stopper keeps the channel's one name, not a string of its own per listener
    return () => {
      const { channel } = set;
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      this.redis?.sub.unsubscribe(channel).catch(() => {});
    };
  }

  private deliver(topic: string, payload: unknown) {
    const set = this.listeners.get(topic);
    if (set) for (const listener of set) listener(payload);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (this.redis) {
      this.redis.pub.disconnect();
      this.redis.sub.disconnect();
    }
  }
}
