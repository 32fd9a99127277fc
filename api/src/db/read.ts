import pg from 'pg';
import { ReferenceKind, Utils, type Collection, type EntityMetadata, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { batchable, learn, StatementBatch } from './batch.js';

// The read layer: what pages show is read as plain rows, not as managed entities. MikroORM builds, for every row it
// loads, a managed entity (identity map, change-tracking snapshot, property accessors): some 60 µs each, most of a
// page's CPU time. A read row is a plain readonly object typed `Read<Entity>`: the entity's scalar properties, each
// to-one relation as `{ id }` (or null). It is no instance of the entity class, so MikroORM refuses to persist it,
// and the type checker refuses writing its properties or passing it where an entity is expected. To change
// something, load it with the EntityManager (usually under a lock). docs/ARCHITECTURE.md, "Reads".
//
// Statements are pg query configs sent on a connection of MikroORM's own pool, taken through knex's client (one pool:
// the embedded database has one backend and a pool of one connection, so a second pool could interleave with a
// transaction), or, inside a transaction, on that transaction's connection. The SQL is written with `$n` parameters; fixed texts are
// named prepared statements, so PostgreSQL parses and plans them once per connection. Values come parsed by pg's
// default type parsers (timestamptz → Date, from PostgreSQL's ISO output), not MikroORM's (which keep dates as text).

/** An entity class (or name), whatever its type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEntityName = EntityName<any>;

/** A to-one relation of a read row: the related row's id. */
export interface Ref {
  readonly id: string;
}

/** A row as PostgreSQL returns it (column name → value, parsed by pg's default type parsers). */
export type Row = Record<string, unknown>;

type Stored<V> = NonNullable<V> extends Date ? V : NonNullable<V> extends { id: string } ? Ref | Extract<V, null> : V;
/**
 * An entity as the read layer returns it: its stored scalar properties and its to-one relations as `{ id }`,
 * readonly. A managed entity is a `Read` of itself too, so what a resolver shows may come from either.
 */
export type Read<T> = {
  readonly [K in keyof T as K extends symbol ? never : T[K] extends Collection<object> | ((...args: never[]) => unknown) ? never : K]: Stored<T[K]>;
};

/** A pg query: `$n` parameters in `text`, their `values`. */
export interface Statement {
  text: string;
  values?: readonly unknown[];
  /** A batch's statement (db/batch.ts): the texts it is made of, for whoever counts statements. */
  parts?: readonly string[];
}

let prepare = true;
/** Named prepared statements on or off (off on the embedded database, whose one backend outlives its connections). */
export function usePreparedStatements(on: boolean) {
  prepare = on;
}

// Fixed texts get a name each; texts built at run time vary with their filters, so the names are bounded.
const names = new Map<string, string>();
function nameOf(text: string): string | undefined {
  if (!prepare) return undefined;
  let name = names.get(text);
  if (name === undefined && names.size < 500) names.set(text, (name = `read_${names.size + 1}`));
  return name;
}

/**
 * Runs a statement and returns its rows: on the EntityManager's transaction when it has one, else on the pool, batched
 * with the other reads of the same EntityManager in the same turn (db/batch.ts) once its column types are known.
 */
export function query(em: EntityManager, statement: Statement): Promise<Row[]> {
  if (em.getTransactionContext() || !batchable(statement.text)) {
    return run(em, statement).then((result) => {
      learn(statement.text, result.fields);
      return result.rows;
    });
  }
  let batch = batches.get(em);
  if (!batch) batches.set(em, (batch = new StatementBatch((s) => run(em, s))));
  return batch.add(statement);
}

const batches = new WeakMap<EntityManager, StatementBatch>();

/** One statement on a connection of knex's client (the transaction's own connection inside one). */
async function run(em: EntityManager, statement: Statement): Promise<{ rows: Row[]; fields: pg.FieldDef[] }> {
  // The statement goes to pg as it is: knex's query builder and runner (some 0.1 ms a statement) have nothing to add.
  const { client } = em.getTransactionContext<ReturnType<typeof em.getKnex>>() ?? em.getKnex();
  const connection = (await client.acquireConnection()) as pg.ClientBase;
  try {
    const config = { ...statement, name: nameOf(statement.text), values: statement.values as unknown[] | undefined, types: pg.types };
    return await connection.query<Row>(config);
  } finally {
    await client.releaseConnection(connection);
  }
}

interface Mapping {
  table: string;
  fields: Array<{ name: string; column: string; relation: boolean }>;
}
const mappings = new WeakMap<EntityMetadata, Mapping>();
const STORED = [ReferenceKind.SCALAR, ReferenceKind.MANY_TO_ONE, ReferenceKind.ONE_TO_ONE];

function mappingOf(em: EntityManager, entity: AnyEntityName): Mapping {
  const meta = em.getMetadata().get(Utils.className(entity)) as EntityMetadata;
  let mapping = mappings.get(meta);
  if (!mapping) {
    const fields = meta.props
      .filter((p) => p.persist !== false && STORED.includes(p.kind) && (p.kind !== ReferenceKind.ONE_TO_ONE || p.owner) && p.fieldNames?.length === 1)
      .map((p) => ({ name: p.name, column: p.fieldNames[0], relation: p.kind !== ReferenceKind.SCALAR }));
    mapping = { table: meta.tableName, fields };
    mappings.set(meta, mapping);
  }
  return mapping;
}

/**
 * The table of an entity and its stored columns as `alias.column, …`, or `alias.column as prefixcolumn, …` with a
 * prefix (for rows that hold several tables).
 */
export function columnsOf(em: EntityManager, entity: AnyEntityName, alias: string, prefix = ''): { table: string; columns: string } {
  const mapping = mappingOf(em, entity);
  const columns = mapping.fields.map((f) => `${alias}.${f.column}${prefix ? ` as ${prefix}${f.column}` : ''}`).join(', ');
  return { table: mapping.table, columns };
}

/** The read row of `entity` in a row holding its columns, each under `prefix` + its name (missing ones stay out). */
export function toRead<T extends object>(em: EntityManager, entity: EntityName<T>, row: Row, prefix = ''): Read<T> {
  const out: Record<string, unknown> = {};
  for (const f of mappingOf(em, entity).fields) {
    const key = prefix + f.column;
    if (!(key in row)) continue;
    const value = row[key];
    out[f.name] = f.relation ? (value === null || value === undefined ? null : { id: value }) : value;
  }
  return out as Read<T>;
}

/** Runs a statement selecting the columns of `entity` (columnsOf) and returns its read rows. */
export async function readAll<T extends object>(em: EntityManager, entity: EntityName<T>, statement: Statement): Promise<Read<T>[]> {
  const rows = await query(em, statement);
  return rows.map((row) => toRead(em, entity, row));
}

/** Read rows by primary key, in one statement (`= any($1)`: one text for any number of ids). */
export function readByIds<T extends object>(em: EntityManager, entity: EntityName<T>, ids: readonly string[]): Promise<Read<T>[]> {
  const { table, columns } = columnsOf(em, entity, 't');
  return readAll(em, entity, { text: `select ${columns} from ${table} t where t.id = any($1)`, values: [ids] });
}
