import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { ormConfig } from './orm.config.js';
import { installJobQueues } from '../jobs/runner.js';
import { usePreparedStatements } from './read.js';

/** The ORM plus whatever it runs on; `close` stops both. */
export interface Database {
  orm: MikroORM;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL in `dataDir` (memory when null),
 * and applies pending migrations.
 */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DB_POOL_MAX'>, dataDir: string | null): Promise<Database> {
  let embedded: EmbeddedPostgres | null = null;
  if (!config.DATABASE_URL) embedded = await startEmbeddedPostgres(dataDir ?? undefined);
  const url = config.DATABASE_URL ?? embedded!.url;
  usePreparedStatements(!embedded);
  const orm = await MikroORM.init(ormConfig(url, embedded ? 1 : config.DB_POOL_MAX));
  await orm.getMigrator().up();
  await installJobQueues(orm);
  return {
    orm,
    embedded: embedded !== null,
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
