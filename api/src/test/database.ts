import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';

/**
 * A fresh, migrated database owned by one test file: a new database on the DATABASE_URL server
 * (dropped on close), or an in-memory embedded PostgreSQL when DATABASE_URL is unset.
 */
export async function freshDatabase(overrides: Partial<Config> = {}): Promise<{ db: Database; config: Config; url: string | null }> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test', PASSWORD_SCRYPT_LOG_N: '10', PORT: '0', HOST: '127.0.0.1' });
  if (!base.DATABASE_URL) {
    const config = { ...base, ...overrides };
    const db = await openDatabase(config, null);
    return { db, config, url: null };
  }
  const name = `gather_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.DATABASE_URL);
  url.pathname = `/${name}`;
  const config = { ...base, DATABASE_URL: url.toString(), ...overrides };
  const db = await openDatabase(config, null);
  const close = db.close.bind(db);
  db.close = async () => {
    await close();
    const admin = new pg.Client({ connectionString: base.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  return { db, config, url: url.toString() };
}
