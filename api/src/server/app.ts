import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { createApollo } from './apollo.js';
import { authenticatedContext } from './auth-context.js';
import type { AppDeps } from './context.js';
import { healthRoutes } from './health.js';
import { buildGatherSchema } from './schema.js';
import { attachWebSockets } from './ws.js';

/** A running API: its address, database, and a graceful `close`. */
export interface RunningApi {
  url: string;
  port: number;
  db: Database;
  httpServer: Server;
  close(): Promise<void>;
}

/** Options for starting the API (tests pass an existing database). */
export interface StartOptions {
  /** Use this database instead of opening one from the config. */
  db?: Database;
  /** Embedded data directory; null keeps the embedded database in memory. Default: config.DATA_DIR. */
  dataDir?: string | null;
}

const logError = (error: unknown) => console.error(JSON.stringify({ level: 'error', msg: 'unexpected error', err: String((error as Error)?.stack ?? error) }));

/** Opens the database, builds the schema and serves HTTP and WebSockets on one port. */
export async function startApi(config: Config, options: StartOptions = {}): Promise<RunningApi> {
  const db = options.db ?? (await openDatabase(config, options.dataDir === undefined ? config.DATA_DIR : options.dataDir));
  const deps: AppDeps = { orm: db.orm, config };
  const schema = await buildGatherSchema();

  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) app.set('trust proxy', true);
  const httpServer = createServer(app);
  const ws = attachWebSockets(httpServer, schema, deps);
  const apollo = createApollo(schema, config, httpServer, () => ws.dispose(), logError);
  await apollo.start();

  app.use(healthRoutes(db.orm, () => ({ mode: 'in-process', healthy: true })));
  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, { context: ({ req, res }) => authenticatedContext(deps, req.headers, { req, res }) }),
  );

  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOST, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    db,
    httpServer,
    async close() {
      await apollo.stop();
      if (!options.db) await db.close();
    },
  };
}
