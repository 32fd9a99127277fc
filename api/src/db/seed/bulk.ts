import type { EntityManager } from '@mikro-orm/postgresql';

/** A row to insert: column name → value (ISO strings for timestamps). */
export type Row = Record<string, string | number | boolean | null>;

/** Rows per INSERT statement: big enough to be fast, small enough to stay far below PostgreSQL's 65,535 bindings. */
export const BATCH = 1000;

/** Inserts rows with multi-row VALUES statements of up to BATCH rows; every row must have the first row's columns. */
export async function insertRows(em: EntityManager, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const params = batch.flatMap((row) => columns.map((column) => row[column]));
    try {
      await em.execute(`insert into ${table} (${columns.join(', ')}) values ${batch.map(() => tuple).join(', ')}`, params);
    } catch (error) {
      // The driver's message quotes the whole statement; keep only PostgreSQL's reason.
      const reason = String((error as Error).message).split(' - ').slice(1).join(' - ') || String(error);
      throw new Error(`inserting ${table} rows ${start + 1} to ${start + batch.length} failed: ${reason}`, { cause: error });
    }
  }
}
