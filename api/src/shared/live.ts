/**
 * Live topics, typed (docs/ARCHITECTURE.md, "Live protocol"). A feature declares each of its topics once, with its
 * payload type, in its own `<feature>/<name>.live.ts`; the bus carries `Topic<P>` → `P` without anyone casting.
 * Payloads are plain JSON shaped like the GraphQL type they answer, and hold only what every subscriber who may watch
 * the topic may see: nothing viewer-dependent (docs/ARCHITECTURE.md explains why projection relies on it).
 */
export interface Topic<P> {
  /** The channel prefix on the bus (and on Redis): `<name>:<key>`. */
  readonly name: string;
  /** False for a topic the API process itself listens to (not a subscriber): left out of subscriber counts. */
  readonly counted: boolean;
  /** Never set: carries the payload type. */
  readonly payload?: P;
}

/** Declares a topic whose messages carry `P`; `counted: false` for one the process listens to for itself. */
export function topic<P>(name: string, options: { counted?: boolean } = {}): Topic<P> {
  return { name, counted: options.counted ?? true };
}

/** The channel of one key (an event id, a thread id...) of a topic. */
export const channelOf = (topic: Topic<unknown>, key: string): string => `${topic.name}:${key}`;

/** Where services send live changes. Call only after the transaction committed; it never throws or blocks long. */
export interface LivePublisher {
  publish<P>(topic: Topic<P>, key: string, payload: P): void;
}

/** Where subscriptions listen: `listen` returns the function that stops listening. */
export interface LiveSource {
  listen<P>(topic: Topic<P>, key: string, listener: (payload: P) => void): () => void;
}

/** The live bus as services and subscriptions see it. */
export type Live = LivePublisher & LiveSource;

/** A bus that drops everything (for scripts such as the seeder). */
export const silentLive: Live = {
  publish() {},
  listen: () => () => {},
};
