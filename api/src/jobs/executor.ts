import type { EntityManager } from '@mikro-orm/postgresql';
// @ts-expect-error pg's own parameter serializer has no type declarations
import pgUtils from 'pg/lib/utils.js';

const prepareValue: (value: unknown) => string = pgUtils.prepareValue;

/** What pg-boss runs its SQL through when it brings no pool of its own (its `db` option). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number }>;
}

/**
 * pg-boss writes `$1`-style parameters; MikroORM takes `?` (and inlines the values as escaped literals). Rewrites one into the other: literal `?`
 * (jsonb operators) are escaped, every `$n` becomes `?` with its value in order (a parameter used twice is bound twice).
 */
export function toKnexSql(text: string, values: unknown[] = []): { sql: string; bindings: unknown[] } {
  const bindings: unknown[] = [];
  const sql = text.replace(/\?/g, '\\?').replace(/\$(\d+)/g, (_, n: string) => {
    const value = values[Number(n) - 1];
    // MikroORM inlines values as literals and would spread an array into a list: send arrays and objects as pg would.
    bindings.push(value === undefined ? null : Array.isArray(value) || (value && typeof value === 'object' && !(value instanceof Date)) ? prepareValue(value) : value);
    return '?';
  });
  return { sql, bindings };
}

/**
 * pg-boss's SQL on an EntityManager's connection: inside `em.transactional` it runs in that transaction (so a job is
 * enqueued atomically with its cause); on the root EntityManager it takes a connection from the app's pool, which
 * is how pg-boss shares the embedded database's single connection (docs/ARCHITECTURE.md, "Jobs").
 */
export function emExecutor(em: EntityManager): SqlExecutor {
  return {
    async executeSql(text, values) {
      const { sql, bindings } = toKnexSql(text, values);
      const rows = (await em.execute(sql, bindings, 'all')) as any[];
      return { rows, rowCount: rows.length };
    },
  };
}
