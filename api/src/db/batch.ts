import type { Row, Statement } from './read.js';

// One round trip per step of a request (docs/ARCHITECTURE.md, "Reads"). GraphQL resolves a page level by level, and
// the loaders and lists of one level all ask for their rows in the same turn of the event loop. Outside a transaction
// those reads are independent, so the statements of one EntityManager (one request) asked for in one turn go to
// PostgreSQL as ONE statement: each becomes a subquery whose rows come back as a JSON array
// (`select (select json_agg(t) from (<first>) t), (select json_agg(t) from (<second>) t), …`). PostgreSQL then parses,
// snapshots and answers once, and Node sends, receives and parses one message instead of several.
//
// JSON carries fewer types than pg's row format, so a statement joins a batch only once its result's column types are
// known (from its first run on its own) and each of them comes back from JSON as pg would have parsed it: JSON's own
// types, timestamptz (ISO text with its offset → Date, to the millisecond, as pg's parser), and int8 (→ text, as pg).
// A statement with any other column type (bytea, numeric, timestamp without time zone, …) always runs on its own.
// If a batch fails, each of its statements runs again on its own, so each caller gets its own answer or error.

/** pg type ids whose JSON form is what pg's parser would give. */
const AS_IS = new Set([16, 21, 23, 25, 114, 700, 701, 1009, 1043, 2950, 3802]);
/** pg type ids turned from their JSON form into what pg's parser gives. */
const CONVERT = new Map<number, (value: unknown) => unknown>([
  [1184, (value) => new Date(value as string)], // timestamptz
  [20, (value) => String(value)], // int8 (counts): pg gives text
]);
/** A plain SELECT (not a locking one): the only kind that may become a subquery. */
const PLAIN_READ = /^\s*select\b/i;
const LOCKING = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;
/** Most statement texts whose column types are remembered. */
const MAX_KNOWN = 1000;

/** A result column as pg describes it. */
interface Field {
  name: string;
  dataTypeID: number;
}
type Conversion = Array<[column: string, convert: (value: unknown) => unknown]>;
/** Per statement text: how its JSON rows become pg's rows, or null when it cannot join a batch. */
const known = new Map<string, Conversion | null>();

/** Learns from a statement's own run whether (and how) it can join later batches. */
export function learn(text: string, fields: readonly Field[]): void {
  if (known.has(text) || known.size >= MAX_KNOWN) return;
  if (!PLAIN_READ.test(text) || LOCKING.test(text)) return void known.set(text, null);
  const conversion: Conversion = [];
  for (const field of fields) {
    const convert = CONVERT.get(field.dataTypeID);
    if (convert) conversion.push([field.name, convert]);
    else if (!AS_IS.has(field.dataTypeID)) return void known.set(text, null);
  }
  known.set(text, conversion);
}

/** Whether a statement may wait for others of its turn: a plain read whose column types are known and batchable. */
export const batchable = (text: string): boolean => Boolean(known.get(text));

interface Waiting {
  statement: Statement;
  resolve: (rows: Row[]) => void;
  reject: (error: unknown) => void;
}

/** The statements of one EntityManager asked for in this turn; `run` runs one statement (and learns its types). */
export class StatementBatch {
  private waiting: Waiting[] = [];

  constructor(private readonly run: (statement: Statement) => Promise<{ rows: Row[]; fields: Field[] }>) {}

  add(statement: Statement): Promise<Row[]> {
    return new Promise<Row[]>((resolve, reject) => {
      if (this.waiting.push({ statement, resolve, reject }) === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 1) return this.alone(batch[0]);
    const values: unknown[] = [];
    const parts = batch.map(({ statement }, i) => {
      const offset = values.length;
      values.push(...(statement.values ?? []));
      const text = offset === 0 ? statement.text : statement.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
      return `(select coalesce(json_agg(t), '[]') from (${text}) t) as r${i}`;
    });
    let row: Row;
    try {
      const texts = batch.map(({ statement }) => statement.text);
      [row] = (await this.run({ text: `select ${parts.join(', ')}`, values, parts: texts })).rows;
    } catch {
      await Promise.all(batch.map((waiting) => this.alone(waiting)));
      return;
    }
    batch.forEach(({ statement, resolve }, i) => resolve(asPgRows(row[`r${i}`] as Row[], known.get(statement.text)!)));
  }

  private async alone({ statement, resolve, reject }: Waiting): Promise<void> {
    try {
      const result = await this.run(statement);
      learn(statement.text, result.fields);
      resolve(result.rows);
    } catch (error) {
      reject(error);
    }
  }
}

function asPgRows(rows: Row[], conversion: Conversion): Row[] {
  if (conversion.length === 0) return rows;
  for (const row of rows) {
    for (const [column, convert] of conversion) {
      const value = row[column];
      if (value !== null && value !== undefined) row[column] = convert(value);
    }
  }
  return rows;
}
