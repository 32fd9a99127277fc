import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { seedIfEmpty } from '../db/seed/seed.js';
import { createApollo } from './apollo.js';
import { authenticatedContext } from './auth-context.js';
import type { AppDeps } from './context.js';
import { healthRoutes } from './health.js';
import { calendarRoutes } from '../modules/calendar/calendar.routes.js';
import { buildGatherSchema } from './schema.js';
import { attachWebSockets } from './ws.js';
import { LiveBus } from '../shared/live-bus.js';
import { connectLiveRedis } from '../shared/redis.js';

/** A running API: its address, database, and a graceful `close`. */
export interface RunningApi {
  url: string;
  port: number;
  db: Database;
  live: LiveBus;
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
const logWarn = (msg: string, error?: unknown) => console.error(JSON.stringify({ level: 'warn', msg, err: error ? String(error) : undefined }));

/** Opens the database, builds the schema and serves HTTP and WebSockets on one port. */
export async function startApi(config: Config, options: StartOptions = {}): Promise<RunningApi> {
  const db = options.db ?? (await openDatabase(config, options.dataDir === undefined ? config.DATA_DIR : options.dataDir));
  if (!options.db) await seedIfEmpty(db, config);
  const live = new LiveBus(config.REDIS_URL ? await connectLiveRedis(config.REDIS_URL, logWarn) : null, logWarn);
  const deps: AppDeps = { orm: db.orm, config, live };
  const schema = await buildGatherSchema();

  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) app.set('trust proxy', true);
  const httpServer = createServer(app);
  const ws = attachWebSockets(httpServer, schema, deps, logError);
  const apollo = createApollo(schema, config, httpServer, () => ws.dispose(), logError);
  await apollo.start();

  app.use(healthRoutes(db.orm, () => live.status()));
  app.use(calendarRoutes(db.orm));
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
    live,
    httpServer,
    async close() {
      await apollo.stop();
      await live.close();
      if (!options.db) await db.close();
    },
  };
}
