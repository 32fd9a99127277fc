import type { AttendanceChange, LiveSource } from '../../shared/live.js';
import { topics } from '../../shared/live-bus.js';

/** How long a missing version is waited for before the stream skips ahead (clients refetch on the gap). */
export const GAP_WAIT_MS = 500;

interface Stream {
  last: number;
  pending: Map<number, AttendanceChange>;
  listeners: Set<(change: AttendanceChange) => void>;
  stop: () => void;
  timer: NodeJS.Timeout | null;
}

/**
 * Puts each event's attendance changes in version order, once per event per process, before fan-out:
 * changes published by different API processes can cross Redis out of order.
 */
export class AttendanceSequencer {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly live: LiveSource) {}

  /** Listens to an event's changes after `version` (the version the subscriber's check read), in order. */
  listen(eventId: string, version: number, listener: (change: AttendanceChange) => void): () => void {
    let stream = this.streams.get(eventId);
    if (!stream) {
      const created: Stream = { last: version, pending: new Map(), listeners: new Set(), stop: () => {}, timer: null };
      created.stop = this.live.listen(topics.attendance(eventId), (change) => this.receive(created, change as AttendanceChange));
      this.streams.set(eventId, created);
      stream = created;
    }
    stream.listeners.add(listener);
    const current = stream;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0) return;
      current.stop();
      if (current.timer) clearTimeout(current.timer);
      this.streams.delete(eventId);
    };
  }

  private receive(stream: Stream, change: AttendanceChange) {
    if (change.version <= stream.last) return; // already delivered, or older than what subscribers read
    stream.pending.set(change.version, change);
    this.flush(stream);
  }

  /** Delivers what is consecutive; while a gap remains, waits GAP_WAIT_MS for it (anew after each step forward). */
  private flush(stream: Stream) {
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

const sequencers = new WeakMap<LiveSource, AttendanceSequencer>();

/** The sequencer of a live bus (one per process). */
export function sequencerOf(live: LiveSource): AttendanceSequencer {
  let sequencer = sequencers.get(live);
  if (!sequencer) {
    sequencer = new AttendanceSequencer(live);
    sequencers.set(live, sequencer);
  }
  return sequencer;
}
