import type { LiveSource, Topic } from '../../shared/live.js';

/** How long a missing version is waited for before the stream skips ahead (clients refetch on the gap). */
export const GAP_WAIT_MS = 500;

/** A payload of a versioned topic: versions go up by exactly one per change of its key. */
export interface Versioned {
  version: number;
}

interface Stream<P extends Versioned> {
  key: string;
  last: number;
  pending: Map<number, P>;
  listeners: Set<(change: P) => void>;
  stop: () => void;
  timer: NodeJS.Timeout | null;
}

/**
 * Puts one versioned topic's changes in version order, once per key per process, before fan-out:
 * changes published by different API processes can cross Redis out of order.
 */
class Sequencer<P extends Versioned> {
  private readonly streams = new Map<string, Stream<P>>();

  constructor(
    private readonly live: LiveSource,
    private readonly topic: Topic<P>,
  ) {}

  listen(key: string, version: number, listener: (change: P) => void): () => void {
    let stream = this.streams.get(key);
    if (!stream) {
      const created: Stream<P> = { key, last: version, pending: new Map(), listeners: new Set(), stop: () => {}, timer: null };
      created.stop = this.live.listen(this.topic, key, (change) => this.receive(created, change));
      this.streams.set(key, created);
      stream = created;
    }
    stream.listeners.add(listener);
    const current = stream;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0) return;
      current.stop();
      if (current.timer) clearTimeout(current.timer);
      this.streams.delete(current.key); // not `key`: each listener need not keep a string of its own
    };
  }

  private receive(stream: Stream<P>, change: P) {
    if (change.version <= stream.last) return; // already delivered, or older than what subscribers read
    stream.pending.set(change.version, change);
    this.flush(stream);
  }

  /** Delivers what is consecutive; while a gap remains, waits GAP_WAIT_MS for it (anew after each step forward). */
  private flush(stream: Stream<P>) {
    const before = stream.last;
    let next = stream.pending.get(stream.last + 1);
    while (next) {
      stream.pending.delete(next.version);
      stream.last = next.version;
      for (const listener of stream.listeners) listener(next);
      next = stream.pending.get(stream.last + 1);
    }
    if (stream.timer && (stream.pending.size === 0 || stream.last !== before)) {
      clearTimeout(stream.timer);
      stream.timer = null;
    }
    if (stream.pending.size > 0 && !stream.timer) {
      stream.timer = setTimeout(() => {
        stream.timer = null;
        stream.last = Math.min(...stream.pending.keys()) - 1; // give up on the gap
        this.flush(stream); // and wait again if another gap follows
      }, GAP_WAIT_MS);
    }
  }
}

const sequencers = new WeakMap<LiveSource, Map<Topic<never>, Sequencer<never>>>();

/**
 * Listens to one key of a versioned topic after `version` (what the subscriber's check read), in version order.
 * One sequencer per bus and topic, so a change is ordered once per process, not once per subscriber.
 */
export function listenInOrder<P extends Versioned>(live: LiveSource, topic: Topic<P>, key: string, version: number, listener: (change: P) => void): () => void {
  let byTopic = sequencers.get(live);
  if (!byTopic) sequencers.set(live, (byTopic = new Map()));
  let sequencer = byTopic.get(topic as Topic<never>) as Sequencer<P> | undefined;
  if (!sequencer) {
    sequencer = new Sequencer(live, topic);
    byTopic.set(topic as Topic<never>, sequencer as unknown as Sequencer<never>);
  }
  return sequencer.listen(key, version, listener);
}
