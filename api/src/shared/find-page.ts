import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { decodeCursor, keysetAfter, pageSize, toConnection, type Connection } from './pagination.js';

type Direction = 'asc' | 'desc';

/** Paging of an entity list: `first`/`after` forwards, or `last`/`before` backwards (newest last). */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * One keyset page of `entity` rows matching `where`, ordered by `order` (whose last key must be unique).
 * Paging backwards walks the order in reverse from `before` and returns the page in forward order.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  order: Array<[keyof T & string, Direction]>,
  page: PageRequest,
): Promise<Connection<T>> {
  const backward = page.last != null || page.before != null;
  const limit = backward ? pageSize(page.last, 'last') : pageSize(page.first, 'first');
  const cursor = backward ? page.before : page.after;
  const walk: Array<[string, Direction]> = backward
    ? order.map(([k, d]) => [k, d === 'asc' ? 'desc' : 'asc'])
    : order;
  const from = cursor ? decodeCursor(cursor, order.length, backward ? 'before' : 'after') : null;
  const filter = (from ? { $and: [where, keysetAfter(walk, from)] } : where) as FilterQuery<T>;
  const rows =
    limit === 0
      ? []
      : await em.find(entity, filter, { orderBy: walk.map(([k, d]) => ({ [k]: d })) as never, limit: limit + 1 });
  const keyOf = (row: T) => order.map(([k]) => row[k] as string | Date | number | null);
  return toConnection(rows, limit, keyOf, () => em.count(entity, where), backward);
}
