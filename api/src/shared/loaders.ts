import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { readByIds, type Read } from '../db/read.js';

/** Makes one feature's loaders for one request. */
export type LoaderFactory<T> = (em: EntityManager, viewerId: string | null) => T;

/**
 * The DataLoaders of one request. Each feature declares a factory in its `<feature>.loaders.ts`;
 * `ctx.loaders.get(factory)` builds it on first use, so a request only pays for the loaders it touches.
 */
export class Loaders {
  private readonly made = new Map<LoaderFactory<unknown>, unknown>();

  constructor(
    private readonly em: EntityManager,
    private readonly viewerId: string | null,
  ) {}

  get<T>(factory: LoaderFactory<T>): T {
    let loaders = this.made.get(factory) as T | undefined;
    if (loaders === undefined) {
      loaders = factory(this.em, this.viewerId);
      this.made.set(factory, loaders);
    }
    return loaders;
  }
}

/** A loader of read rows (db/read.ts) by primary key, one statement per batch; missing ids load as null. */
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityName<T>) {
  return new DataLoader<string, Read<T> | null>(async (ids) => {
    const rows = (await readByIds(em, entity, ids)) as Array<Read<T> & { id: string }>;
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Groups `rows` by `keyOf` in the order of `keys`, for one-to-many loaders. */
export function groupRows<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const grouped = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = grouped.get(key);
    if (list) list.push(row);
    else grouped.set(key, [row]);
  }
  return keys.map((key) => grouped.get(key) ?? []);
}
