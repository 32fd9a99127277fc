import type { EntityManager } from '@mikro-orm/postgresql';
import { Utils, type EntityMetadata, type EntityName, type EntityProperty, type FilterQuery } from '@mikro-orm/core';
import { columnsOf, query, toRead, type AnyEntityName, type Read } from '../db/read.js';
import { countOnce, decodeCursor, keysetAfter, pageSize, toConnection, type Connection, type CursorSlot } from './pagination.js';

type Direction = 'asc' | 'desc';

/** Paging of an entity list: `first`/`after` forwards, or `last`/`before` backwards (newest last). */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * One keyset page of `entity` rows matching `where`, ordered by `order` (whose last key must be unique), as read rows
 * (db/read.ts). `where` is a simple filter (see whereSql). Each to-one relation named in `join` is read in the same
 * statement and its row handed to the callback (to prime a loader). Paging backwards walks the order in reverse from
 * `before` and returns the page in forward order. With `count`, the total is counted alongside the page (countOnce).
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  order: Array<[keyof T & string, Direction]>,
  page: PageRequest,
  options: { join?: Record<string, (related: never) => void>; count?: boolean } = {},
): Promise<Connection<Read<T>>> {
  const backward = page.last != null || page.before != null;
  const limit = backward ? pageSize(page.last, 'last') : pageSize(page.first, 'first');
  const cursor = backward ? page.before : page.after;
  const walk: Array<[string, Direction]> = backward ? order.map(([k, d]) => [k, d === 'asc' ? 'desc' : 'asc']) : order;
  const field = backward ? 'before' : 'after';
  const from = cursor ? decodeCursor(cursor, slotsOf(em, entity, order), field) : null;
  const filter = (from ? { $and: [where, keysetAfter(walk, from)] } : where) as Filter;
  const total = countOnce(options.count ?? false, () => count(em, entity, where as Filter));
  const rows = limit === 0 ? [] : await find(em, entity, filter, walk, limit + 1, options.join ?? {});
  const keyOf = (row: Read<T>) => order.map(([k]) => (row as Record<string, unknown>)[k] as string | Date | number | null);
  return toConnection(rows, limit, keyOf, total, backward);
}

type Filter = Record<string, unknown>;
const OPERATORS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
const metaOf = (em: EntityManager, entity: AnyEntityName) => em.getMetadata().get(Utils.className(entity)) as EntityMetadata;

/**
 * SQL for the simple MikroORM filters of list pages: properties (scalars, or to-one relations by id) equal to a
 * value or compared with $eq/$ne/$gt/$gte/$lt/$lte/$in, and $and/$or of such filters; anything else throws. Values go
 * to `values` as `$n` parameters.
 */
function whereSql(meta: EntityMetadata, filter: Filter, values: unknown[]): string {
  const param = (value: unknown) => `$${values.push(value)}`;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      const list = (value as Filter[]).map((f) => `(${whereSql(meta, f, values)})`);
      parts.push(list.length ? list.join(key === '$and' ? ' and ' : ' or ') : key === '$and' ? 'true' : 'false');
      continue;
    }
    const prop = meta.properties[key as never] as EntityProperty | undefined;
    if (!prop || prop.fieldNames?.length !== 1) throw new Error(`findPage filter: no column for ${meta.className}.${key}`);
    const column = `t.${prop.fieldNames[0]}`;
    const plain = (v: unknown) => (v !== null && typeof v === 'object' && !(v instanceof Date) && 'id' in v ? (v as { id: unknown }).id : v);
    if (value === null) parts.push(`${column} is null`);
    else if (typeof value === 'object' && !(value instanceof Date) && Object.keys(value).every((k) => k.startsWith('$'))) {
      for (const [op, operand] of Object.entries(value as Filter)) {
        if (op === '$in') parts.push(`${column} = any(${param((operand as unknown[]).map(plain))})`);
        else if (OPERATORS[op] && operand !== null) parts.push(`${column} ${OPERATORS[op]} ${param(plain(operand))}`);
        else if (op === '$ne' && operand === null) parts.push(`${column} is not null`);
        else if (op === '$eq' && operand === null) parts.push(`${column} is null`);
        else if (OPERATORS[op]) parts.push('false'); // compared with null: true for no row, as in SQL
        else throw new Error(`findPage filter: ${op} is not supported`);
      }
    } else if (prop.enum && typeof value === 'string' && /^\w+$/.test(value) && enumValues(prop).includes(value)) {
      // One of the enum's own values (checked against its list) is written into the text: a prepared statement's
      // generic plan can then use partial indexes on it (e.g. the GOING seats of rsvps_event_seated_idx).
      parts.push(`${column} = '${value}'`);
    } else parts.push(`${column} = ${param(plain(value))}`);
  }
  return parts.length ? parts.join(' and ') : 'true';
}

/** The values an enum property may hold (MikroORM's `items`, given as a list or as the enum's object). */
function enumValues(prop: EntityProperty): unknown[] {
  const items = (typeof prop.items === 'function' ? (prop.items as () => unknown)() : prop.items) as unknown;
  return Array.isArray(items) ? items : items && typeof items === 'object' ? Object.values(items) : [];
}

/** Read rows of `entity` matching a simple filter, in `order`, at most `limit`, with the `join`ed relations' rows. */
async function find<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  filter: Filter,
  order: Array<[string, Direction]>,
  limit: number,
  join: Record<string, (related: never) => void>,
): Promise<Read<T>[]> {
  const meta = metaOf(em, entity);
  const { table, columns } = columnsOf(em, entity, 't');
  const joined = Object.entries(join).map(([name, into], i) => {
    const prop = meta.properties[name as never] as EntityProperty;
    const target = prop.targetMeta!;
    const alias = `j${i}`;
    return {
      into,
      target,
      prefix: `${alias}__`,
      sql: `left join ${target.tableName} ${alias} on ${alias}.${target.primaryKeys[0]} = t.${prop.fieldNames[0]}`,
      columns: columnsOf(em, target.class, alias, `${alias}__`).columns,
    };
  });
  const values: unknown[] = [];
  const where = whereSql(meta, filter, values);
  const orderBy = order.map(([key, dir]) => `t.${(meta.properties[key as never] as EntityProperty).fieldNames[0]} ${dir}`).join(', ');
  const rows = await query(em, {
    text: `select ${[columns, ...joined.map((j) => j.columns)].join(', ')} from ${table} t ${joined.map((j) => j.sql).join(' ')}
     where ${where}${orderBy ? ` order by ${orderBy}` : ''} limit $${values.length + 1}`,
    values: [...values, limit],
  });
  return rows.map((row) => {
    for (const j of joined) if (row[`${j.prefix}${j.target.primaryKeys[0]}`] != null) j.into(toRead(em, j.target.class, row, j.prefix) as never);
    return toRead(em, entity, row);
  });
}

/** How many rows of `entity` match a simple filter. */
async function count(em: EntityManager, entity: AnyEntityName, filter: Filter): Promise<number> {
  const meta = metaOf(em, entity);
  const values: unknown[] = [];
  const where = whereSql(meta, filter, values);
  const [row] = await query(em, { text: `select count(*)::int as n from ${meta.tableName} t where ${where}`, values });
  return Number(row.n);
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
