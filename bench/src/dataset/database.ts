import pg from 'pg';
import { loadCatalog, migrate } from '../api-bridge.js';
import type { BenchOptions, DatasetSize } from '../options.js';
import { PEER_FUNCTIONS } from '../servers/peer-schema.js';
import { datasetViolations } from './checks.js';
import { generate } from './generate.js';

/** Bump when the generator changes what it makes, so older datasets are regenerated. */
const GENERATOR_VERSION = 1;

/** What is in the benchmark database. */
export interface DatasetInfo {
  reused: boolean;
  seconds: number;
  rows: Record<string, number>;
}

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The marker a finished dataset leaves: its size, seed and generator version; null when there is none. */
async function readMarker(url: string): Promise<{ size: DatasetSize; seed: number; version: number } | null> {
  return withClient(url, async (client) => {
    const { rows } = await client.query(`select to_regclass('bench.dataset') is not null as present`);
    if (!rows[0].present) return null;
    const marker = await client.query('select size, seed, version from bench.dataset');
    return marker.rows[0] ?? null;
  });
}

const sameSize = (a: DatasetSize, b: DatasetSize) => (Object.keys(a) as Array<keyof DatasetSize>).every((k) => a[k] === b[k]);

async function rowCounts(client: pg.Client): Promise<Record<string, number>> {
  const tables = ['users', 'groups', 'memberships', 'events', 'rsvps', 'threads', 'messages'];
  const { rows } = await client.query(`select ${tables.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`);
  return rows[0];
}

/**
 * Makes sure the benchmark database holds the dataset of this size and seed: reused when its marker matches (after
 * applying any new API migrations), else dropped, created, migrated with the API's migrations, generated, vacuumed,
 * analyzed and checked.
 */
export async function ensureDataset(options: BenchOptions, log: (msg: string) => void): Promise<DatasetInfo> {
  const started = Date.now();
  const url = options.databaseUrl;
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`benchmark database name "${name}" should be a plain identifier`);
  const admin = withDatabase(url, 'postgres');
  const exists = await withClient(admin, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
  const marker = exists && !options.fresh ? await readMarker(url) : null;
  const reusable = marker !== null && marker.seed === options.seed && marker.version === GENERATOR_VERSION && sameSize(marker.size, options.size);
  if (reusable) {
    log(`dataset: reusing ${name} (same size and seed)`);
    await migrate(url);
  } else {
    log(`dataset: generating ${name} (${JSON.stringify(options.size)})`);
    await withClient(admin, async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`create database ${name}`);
    });
    await migrate(url);
    const catalog = await loadCatalog();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const client = await pool.connect();
    try {
      await client.query('begin');
      await generate(client, catalog, options.size, options.seed, log);
      await client.query(
        'create table bench.dataset (size jsonb not null, seed int not null, version int not null, generated_at timestamptz not null default now())',
      );
      await client.query('insert into bench.dataset (size, seed, version) values ($1, $2, $3)', [JSON.stringify(options.size), options.seed, GENERATOR_VERSION]);
      await client.query('commit');
      const vacuumed = Date.now();
      await client.query('vacuum (analyze)');
      log(`  vacuum analyze: ${Date.now() - vacuumed} ms`);
      const broken = await datasetViolations(client);
      if (Object.keys(broken).length > 0) throw new Error(`generated dataset breaks invariants: ${JSON.stringify(broken)}`);
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
      await pool.end();
    }
  }
  return withClient(url, async (client) => {
    await client.query(PEER_FUNCTIONS);
    return { reused: reusable, seconds: Math.round((Date.now() - started) / 100) / 10, rows: await rowCounts(client) };
  });
}
