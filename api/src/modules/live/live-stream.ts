/** Most updates one subscriber may have waiting; past it the subscriber is too slow and its stream ends. */
export const MAX_QUEUED_UPDATES = 500;

/**
 * A push-to-pull async iterator for one subscriber: `push` queues an update, graphql-ws pulls them.
 * It ends when the client unsubscribes, when `end()` is called (access lost), or when the
 * subscriber falls more than MAX_QUEUED_UPDATES behind (then `onOverflow` drops its connection, so the
 * client reconnects and refetches rather than silently missing updates). `onEnd` hooks run exactly once.
 */
export class LiveStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T> | Promise<IteratorResult<T>>) => void) | null = null;
  private done = false;
  private readonly endHooks: Array<() => void> = [];
  /** While true, updates queue up but are not handed out (an access re-check is running). */
  paused = false;
  /** What is handed out for each update instead of the update itself, when set (see `mapWith`). */
  private map: ((value: T) => unknown) | null = null;

  /** `onOverflow` runs when the subscriber falls too far behind (the stream then ends). */
  constructor(private readonly onOverflow?: () => void) {}

  /**
   * Hands out `map(update)` (a value or a promise of one) instead of each update: live-execution.ts answers a
   * subscription's updates this way, without a second iterator (and its pending promises) per subscriber.
   */
  mapWith(map: (value: T) => unknown): void {
    this.map = map;
  }

  /** The next result for `value`: itself, or what `map` makes of it (a rejected promise if `map` throws). */
  private out(value: T): IteratorResult<T> | Promise<IteratorResult<T>> {
    if (!this.map) return { value, done: false };
    let mapped: unknown;
    try {
      mapped = this.map(value);
    } catch (error) {
      return Promise.reject(error);
    }
    if (mapped instanceof Promise) return mapped.then((answer) => ({ value: answer as T, done: false }));
    return { value: mapped as T, done: false };
  }

  push(value: T): void {
    if (this.done) return;
    if (this.waiting && !this.paused) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(this.out(value));
      return;
    }
    this.queue.push(value);
    if (this.queue.length > MAX_QUEUED_UPDATES) {
      this.onOverflow?.();
      this.end();
    }
  }

  /** Hands queued updates out again after a pause. */
  resume(): void {
    this.paused = false;
    if (this.waiting && this.queue.length) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(this.out(this.queue.shift()!));
    }
  }

  onEnd(hook: () => void): void {
    if (this.done) hook();
    else this.endHooks.push(hook);
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    for (const hook of this.endHooks.splice(0)) hook();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  next(): Promise<IteratorResult<T>> {
    if (!this.paused && this.queue.length) return Promise.resolve(this.out(this.queue.shift()!));
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
