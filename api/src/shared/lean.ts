import { ReferenceKind, Utils, type EntityMetadata, type EntityName, type EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

// Reading without the unit of work. MikroORM builds a query per find and, for every row, a managed entity (identity
// map, change-tracking snapshot, per-instance property accessors): some 60 µs per entity, most of a page's CPU time.
// What a page only shows needs none of that. A lean entity is an instance of the entity class (its getters,
// `instanceof` and type-graphql fields work) holding the row's values, with to-one relations as references that
// carry their id, as MikroORM's unpopulated references do. It is not managed: never change one to persist it, and
// never hand one to em.create / em.assign as a relation (pass its id); load what you change with the EntityManager.

/** A row as PostgreSQL returns it through `em.execute` (column name → value). */
export type Row = Record<string, unknown>;

interface Mapping {
  prototype: object;
  table: string;
  /** `alias.column` of every mapped column (as `prefixcolumn` with a prefix), for select lists. */
  columns: (alias: string, prefix: string) => string;
  fields: Array<{ prop: EntityProperty; column: string; date: boolean; boolean: boolean; target: EntityMetadata | null }>;
  meta: EntityMetadata;
}

const mappings = new WeakMap<EntityMetadata, Mapping>();
const STORED = [ReferenceKind.SCALAR, ReferenceKind.MANY_TO_ONE, ReferenceKind.ONE_TO_ONE];

function mappingOf(meta: EntityMetadata): Mapping {
  let mapping = mappings.get(meta);
  if (mapping) return mapping;
  // MikroORM puts a one-time setter on the class prototype for every tracked property, which turns the first
  // assignment into a managed-entity setup; lean instances inherit from a prototype that shadows those setters.
  const prototype = Object.create(meta.prototype);
  for (const prop of meta.props) {
    const own = Object.getOwnPropertyDescriptor(meta.prototype, prop.name);
    if (own?.set && !own.get) Object.defineProperty(prototype, prop.name, { value: undefined, writable: true, enumerable: false, configurable: true });
  }
  const fields = meta.props
    .filter((p) => p.persist !== false && STORED.includes(p.kind) && (p.kind !== ReferenceKind.ONE_TO_ONE || p.owner) && p.fieldNames?.length === 1)
    .map((prop) => ({
      prop,
      column: prop.fieldNames[0],
      date: prop.runtimeType === 'Date',
      boolean: prop.runtimeType === 'boolean',
      target: prop.kind === ReferenceKind.SCALAR ? null : prop.targetMeta!,
    }));
  mapping = {
    prototype,
    table: meta.tableName,
    columns: (alias, prefix) => fields.map((f) => `${alias}.${f.column}${prefix ? ` as ${prefix}${f.column}` : ''}`).join(', '),
    fields,
    meta,
  };
  mappings.set(meta, mapping);
  return mapping;
}

const metaOf = <T>(em: EntityManager, entity: EntityName<T>) => em.getMetadata().get<T>(Utils.className(entity)) as unknown as EntityMetadata;

/**
 * timestamptz arrives as text through MikroORM's connection, in UTC ("2026-05-01 16:30:00+00", forceUtcTimezone), as
 * its hydrator reads it; a value without an offset is UTC.
 */
const toDate = (value: unknown) => {
  if (typeof value !== 'string') return value;
  return new Date(value.includes('+') || value.endsWith('Z') || value.lastIndexOf('-') > 10 ? value : `${value}Z`);
};

/** A reference to `meta`'s entity with only its id, as MikroORM leaves an unpopulated relation. */
function reference(meta: EntityMetadata, id: unknown): object | null {
  if (id === null || id === undefined) return null;
  const ref = Object.create(mappingOf(meta).prototype);
  ref[meta.primaryKeys[0]] = id;
  return ref;
}

/**
 * A lean `entity` made from a row holding its columns, each under `prefix` + its name when several tables share the
 * row (a column missing from the row stays undefined).
 */
export function leanEntity<T>(em: EntityManager, entity: EntityName<T>, row: Row, prefix = ''): T {
  const mapping = mappingOf(metaOf(em, entity));
  const lean = Object.create(mapping.prototype);
  for (const f of mapping.fields) {
    const key = prefix + f.column;
    if (!(key in row)) continue;
    const value = row[key];
    lean[f.prop.name] = f.target ? reference(f.target, value) : f.date ? toDate(value) : f.boolean && value !== null ? Boolean(value) : value;
  }
  return lean as T;
}

/**
 * The table of an entity and its mapped columns as `alias.column, …` (no unmapped ones, such as search vectors),
 * or `alias.column as prefixcolumn, …` with a prefix.
 */
export function leanColumns<T>(em: EntityManager, entity: EntityName<T>, alias: string, prefix = ''): { table: string; columns: string } {
  const mapping = mappingOf(metaOf(em, entity));
  return { table: mapping.table, columns: mapping.columns(alias, prefix) };
}

/**
 * Runs a read with `?` bindings and returns its rows. Outside a transaction it goes straight to a pooled connection
 * (MikroORM's own pool) with `$n` parameters: MikroORM's raw path (inlining the parameters into the text, a knex
 * query object, logging hooks) costs more CPU than the query. Inside one it is `em.execute`, on the transaction.
 */
export async function leanRead(em: EntityManager, sql: string, params: unknown[] = []): Promise<Row[]> {
  if (em.getTransactionContext()) return em.execute(sql, params);
  const client = em.getConnection().getKnex().client as { acquireConnection(): Promise<PgClient>; releaseConnection(c: PgClient): unknown };
  const connection = await client.acquireConnection();
  try {
    return (await connection.query(numbered(sql), params)).rows;
  } finally {
    client.releaseConnection(connection);
  }
}

/** `?` bindings as `$1, $2, …`, per text (the same few statements come again and again; a bounded cache). */
const numberedTexts = new Map<string, string>();
function numbered(sql: string): string {
  let text = numberedTexts.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numberedTexts.size >= 1000) numberedTexts.delete(numberedTexts.keys().next().value!);
    numberedTexts.set(sql, text);
  }
  return text;
}

interface PgClient {
  query(text: string, values: unknown[]): Promise<{ rows: Row[] }>;
}

/** Runs a query and makes a lean `entity` of each row. */
export async function leanQuery<T>(em: EntityManager, entity: EntityName<T>, sql: string, params: unknown[] = []): Promise<T[]> {
  const rows = await leanRead(em, sql, params);
  return rows.map((row) => leanEntity(em, entity, row));
}

/** `?, ?, …` for n bindings. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Lean entities by primary key, in one `in (…)` query. */
export function leanByIds<T>(em: EntityManager, entity: EntityName<T>, ids: readonly string[]): Promise<T[]> {
  const { table, columns } = leanColumns(em, entity, 't');
  return leanQuery(em, entity, `select ${columns} from ${table} t where t.id in (${placeholders(ids.length)})`, [...ids]);
}

type Filter = Record<string, unknown>;
const OPERATORS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/**
 * SQL for the simple MikroORM filters of list pages: properties (scalars, or to-one relations by id) equal to a
 * value or compared with $eq/$ne/$gt/$gte/$lt/$lte/$in, and $and/$or of such filters. Anything else throws.
 */
function whereSql(meta: EntityMetadata, filter: Filter, params: unknown[]): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      const list = (value as Filter[]).map((f) => `(${whereSql(meta, f, params)})`);
      parts.push(list.length ? list.join(key === '$and' ? ' and ' : ' or ') : key === '$and' ? 'true' : 'false');
      continue;
    }
    const prop = meta.properties[key as never] as EntityProperty | undefined;
    if (!prop || prop.fieldNames?.length !== 1) throw new Error(`lean filter: no column for ${meta.className}.${key}`);
    const column = `t.${prop.fieldNames[0]}`;
    const plain = (v: unknown) => (v !== null && typeof v === 'object' && !(v instanceof Date) && 'id' in v ? (v as { id: unknown }).id : v);
    if (value === null) parts.push(`${column} is null`);
    else if (typeof value === 'object' && !(value instanceof Date) && Object.keys(value).every((k) => k.startsWith('$'))) {
      for (const [op, operand] of Object.entries(value as Filter)) {
        if (op === '$in') {
          const list = (operand as unknown[]).map(plain);
          params.push(...list);
          parts.push(list.length ? `${column} in (${placeholders(list.length)})` : 'false');
        } else if (OPERATORS[op] && operand !== null) {
          params.push(plain(operand));
          parts.push(`${column} ${OPERATORS[op]} ?`);
        } else if (op === '$ne' && operand === null) parts.push(`${column} is not null`);
        else if (op === '$eq' && operand === null) parts.push(`${column} is null`);
        else if (OPERATORS[op]) parts.push('false'); // compared with null: true for no row, as in SQL
        else throw new Error(`lean filter: ${op} is not supported`);
      }
    } else {
      params.push(plain(value));
      parts.push(`${column} = ?`);
    }
  }
  return parts.length ? parts.join(' and ') : 'true';
}

/**
 * Lean rows of `entity` matching a simple filter, ordered by [property, direction] pairs, at most `limit`. Each
 * to-one relation named in `join` is read in the same query and set as a whole lean entity, not a reference.
 */
export async function leanFind<T>(
  em: EntityManager,
  entity: EntityName<T>,
  filter: Filter,
  order: Array<[string, 'asc' | 'desc']>,
  limit: number,
  join: string[] = [],
): Promise<T[]> {
  const meta = metaOf(em, entity);
  const { table, columns } = leanColumns(em, entity, 't');
  const joined = join.map((name, i) => {
    const prop = meta.properties[name as never] as EntityProperty;
    const target = prop.targetMeta!;
    const alias = `j${i}`;
    return {
      name,
      target,
      prefix: `${alias}__`,
      sql: `left join ${target.tableName} ${alias} on ${alias}.${target.primaryKeys[0]} = t.${prop.fieldNames[0]}`,
      columns: mappingOf(target).columns(alias, `${alias}__`),
    };
  });
  const params: unknown[] = [];
  const where = whereSql(meta, filter, params);
  const orderBy = order.map(([key, dir]) => `t.${(meta.properties[key as never] as EntityProperty).fieldNames[0]} ${dir}`).join(', ');
  const rows = await leanRead(
    em,
    `select ${[columns, ...joined.map((j) => j.columns)].join(', ')} from ${table} t ${joined.map((j) => j.sql).join(' ')}
     where ${where}${orderBy ? ` order by ${orderBy}` : ''} limit ?`,
    [...params, limit],
  );
  return rows.map((row) => {
    const lean = leanEntity(em, entity, row) as Record<string, unknown>;
    for (const j of joined) if (row[`${j.prefix}${j.target.primaryKeys[0]}`] != null) lean[j.name] = leanEntity(em, j.target.class, row, j.prefix);
    return lean as T;
  });
}

/** How many rows of `entity` match a simple filter (as leanFind reads it). */
export async function leanCount<T>(em: EntityManager, entity: EntityName<T>, filter: Filter): Promise<number> {
  const meta = metaOf(em, entity);
  const params: unknown[] = [];
  const where = whereSql(meta, filter, params);
  const [row] = await leanRead(em, `select count(*)::int as n from ${meta.tableName} t where ${where}`, params);
  return Number(row.n);
}
