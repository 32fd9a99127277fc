import type { EntityManager } from '@mikro-orm/postgresql';
import { Utils, type EntityName, type FilterQuery } from '@mikro-orm/core';
import { leanCount, leanFind } from './lean.js';
import { decodeCursor, keysetAfter, pageSize, toConnection, type Connection, type CursorSlot } from './pagination.js';

type Direction = 'asc' | 'desc';

/** Paging of an entity list: `first`/`after` forwards, or `last`/`before` backwards (newest last). */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * One keyset page of `entity` rows matching `where`, ordered by `order` (whose last key must be unique), as lean
 * entities (shared/lean.ts: `where` is a simple filter; `join` names to-one relations read along, whole). Paging
 * backwards walks the order in reverse from `before` and returns the page in forward order.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  order: Array<[keyof T & string, Direction]>,
  page: PageRequest,
  options: { join?: string[] } = {},
): Promise<Connection<T>> {
  const backward = page.last != null || page.before != null;
  const limit = backward ? pageSize(page.last, 'last') : pageSize(page.first, 'first');
  const cursor = backward ? page.before : page.after;
  const walk: Array<[string, Direction]> = backward
    ? order.map(([k, d]) => [k, d === 'asc' ? 'desc' : 'asc'])
    : order;
  const field = backward ? 'before' : 'after';
  const from = cursor ? decodeCursor(cursor, slotsOf(em, entity, order), field) : null;
  const filter = (from ? { $and: [where, keysetAfter(walk, from)] } : where) as FilterQuery<T>;
  const rows =
    limit === 0
      ? []
      : await leanFind(em, entity, filter as Record<string, unknown>, walk, limit + 1, options.join);
  const keyOf = (row: T) => order.map(([k]) => row[k] as string | Date | number | null);
  return toConnection(rows, limit, keyOf, () => leanCount(em, entity, where as Record<string, unknown>), backward);
}

/** The cursor slots of an order, from the types of the properties it orders by (pagination.ts checks them). */
function slotsOf<T extends object>(em: EntityManager, entity: EntityName<T>, order: Array<[string, Direction]>): CursorSlot[] {
  const properties = em.getMetadata().get<T>(Utils.className(entity)).properties as Record<string, { nullable?: boolean; runtimeType: string; type: string; columnTypes?: string[] }>;
  return order.map(([key]) => {
    const prop = properties[key];
    const nullable = Boolean(prop.nullable);
    if (prop.runtimeType === 'Date') return { kind: 'date', nullable };
    if (prop.type === 'uuid' || prop.columnTypes?.[0] === 'uuid') return { kind: 'id', nullable };
    if (prop.runtimeType === 'number') return { kind: /^(int|integer|int4|smallint)/.test(prop.columnTypes?.[0] ?? '') ? 'int' : 'float', nullable };
    return { kind: 'text', nullable };
  });
}
