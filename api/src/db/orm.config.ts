import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/core';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** MikroORM options for a PostgreSQL URL; `poolMax` 1 for the embedded database (one connection at a time). */
export function ormConfig(clientUrl: string, poolMax: number, debug = false): Options {
  return defineConfig({
    clientUrl,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 10_000 },
    driverOptions: { connection: { statement_timeout: 15_000 } },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
    debug,
  });
}
