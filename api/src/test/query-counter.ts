import pg from 'pg';
import { jobWork } from '../jobs/runner.js';

const original = pg.Client.prototype.query;
let counting: string[] | null = null;
let trips = 0;

// Every SQL statement of this process passes here (MikroORM → knex → pg), so a test that runs the
// API in-process can count the statements one request costs. The job queue's work (polling, notifications,
// emails) runs beside requests at its own pace and is left out.
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting && !jobWork.getStore()) {
    const first = args[0] as string | { text?: string; parts?: string[] };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    if (!/^\s*(begin|commit|rollback|savepoint|release)/i.test(text)) {
      // A batch (db/batch.ts) counts as the statements it is made of, and as one round trip.
      counting.push(...(typeof first === 'object' && first.parts ? first.parts : [text]));
      trips++;
    }
  }
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

/**
 * Runs `fn` and returns its result with the SQL statements it issued (transaction control excluded) and the round
 * trips they took (statements batched into one, db/batch.ts, are one).
 */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: string[]; roundTrips: number }> {
  if (counting) throw new Error('countQueries does not nest');
  counting = [];
  trips = 0;
  try {
    const result = await fn();
    return { result, queries: counting, roundTrips: trips };
  } finally {
    counting = null;
  }
}
