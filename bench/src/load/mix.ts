import type { LoadRequest } from './http-load.js';

/** One item of a page mix as each target asks for it: signed in as the item's viewer, or anonymous. */
export type MixItem<K extends string> = (key: K, signedIn: boolean) => LoadRequest;

/**
 * Whether request number `n` of a cycle over `size` items is signed in: every other request, shifted by one on each
 * pass over the mix, so that every item is asked for both ways (with an even `size` a plain n % 2 would always ask
 * the same item the same way).
 */
export const signedInAt = (n: number, size: number) => (n + Math.floor(n / size)) % 2 === 0;

/**
 * The load driver's request generator for one target (`runLoad`'s `next`): request n asks for item n % size of the
 * mix, signed in and anonymous in turn (signedInAt). One counter per generator, shared by its virtual users and
 * kept across rounds, so every target walks the same sequence through the whole mix. Requests are built once.
 */
export function cycle<K extends string>(items: Array<MixItem<K>>, key: K): () => LoadRequest {
  if (items.length === 0) throw new Error('a page mix needs at least one item');
  const built = [true, false].map((signedIn) => items.map((item) => item(key, signedIn)));
  let n = 0;
  return () => {
    const at = n++;
    return built[signedInAt(at, items.length) ? 0 : 1][at % items.length];
  };
}

/** The first `count` requests of the same sequence, each with its item's index and whether it is signed in. */
export function firstOfCycle<K extends string>(items: Array<MixItem<K>>, count: number): Array<{ index: number; signedIn: boolean; item: MixItem<K> }> {
  return Array.from({ length: count }, (_, n) => ({ index: n % items.length, signedIn: signedInAt(n, items.length), item: items[n % items.length] }));
}
