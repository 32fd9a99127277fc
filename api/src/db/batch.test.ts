import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { freshDatabase } from '../test/database.js';
import { countQueries } from '../test/query-counter.js';
import { query, type Statement } from './read.js';

// db/batch.ts: the reads one EntityManager asks for in one turn go to PostgreSQL as one statement, and each caller
// gets exactly the rows (with pg's types) or the error it would have got alone.

let db: Database;
beforeAll(async () => {
  ({ db } = await freshDatabase());
});
afterAll(() => db?.close());

const TYPED: Statement = {
  text: `select $1::timestamptz as at, count(*) as n, 42::int as i, 1.5::float8 as f, true as b, array['a', 'b'] as tags,
                '{"k": [1]}'::jsonb as doc, gen_random_uuid() is not null as u, null::timestamptz as never
         from generate_series(1, $2::int)`,
  values: ['2026-11-30T05:10:00.123456+01:00', 3],
};
const ORDERED: Statement = { text: `select g as n, 'row ' || g as label from generate_series(1, $1::int) g order by g desc limit $2`, values: [5, 3] };
const BYTES: Statement = { text: `select '\\x00ff'::bytea as data, 1.50::numeric as price` };
const FAILING: Statement = { text: `select 1 / ($1::int - 1) as n`, values: [1] };

/** Runs the statements in one turn of one EntityManager; each result is its rows, or the error's message. */
async function together(statements: Statement[]) {
  const em = db.orm.em.fork();
  const settled = await Promise.allSettled(statements.map((s) => query(em, s)));
  return settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message));
}

describe('statement batches', () => {
  it('answers each statement of a turn as pg alone would, in one round trip', async () => {
    const alone = [await query(db.orm.em.fork(), TYPED), await query(db.orm.em.fork(), ORDERED), await query(db.orm.em.fork(), BYTES)];
    const { result, queries, roundTrips } = await countQueries(() => together([TYPED, ORDERED, BYTES, TYPED]));
    expect(result).toEqual([...alone, alone[0]]);
    expect(queries).toHaveLength(4);
    expect(roundTrips).toBe(2); // bytea and numeric do not survive JSON: that statement runs alone
    const [row] = result[0] as Array<Record<string, unknown>>;
    expect(row.at).toEqual(new Date('2026-11-30T04:10:00.123Z'));
    expect(row.n).toBe('3');
    expect(row.never).toBeNull();
    expect((result[1] as Array<{ n: number }>).map((r) => r.n)).toEqual([5, 4, 3]);
    expect((result[2] as Array<{ data: Buffer }>)[0].data).toEqual(Buffer.from([0, 255]));
  });

  it('gives a failing statement its own error and the others their rows', async () => {
    await query(db.orm.em.fork(), { ...FAILING, values: [2] }); // learns its column types
    const [typed, failing, ordered] = await together([TYPED, FAILING, ORDERED]);
    expect(failing).toMatch(/division by zero/);
    expect(typed).toEqual([expect.objectContaining({ n: '3', i: 42 })]);
    expect((ordered as unknown[]).length).toBe(3);
  });

  it('never batches inside a transaction, nor writes or locking reads', async () => {
    await db.orm.em.fork().transactional(async (em) => {
      const { roundTrips } = await countQueries(() => Promise.all([query(em, TYPED), query(em, ORDERED)]));
      expect(roundTrips).toBe(2);
    });
    const lock: Statement = { text: 'select 1 as n for share' };
    await query(db.orm.em.fork(), lock);
    const { roundTrips } = await countQueries(() => together([lock, lock]));
    expect(roundTrips).toBe(2);
  });
});
