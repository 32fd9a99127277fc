import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
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
import { imageRoutes } from '../modules/image/image.routes.js';
import { buildGatherSchema } from './schema.js';
import { attachWebSockets } from './ws.js';
import { HttpDrain, serverClosed } from './shutdown.js';
import { LiveBus } from '../shared/live-bus.js';
import { RateLimits } from '../shared/rate-limit.js';
import { connectLiveRedis } from '../shared/redis.js';
import { graphqlHttp } from './graphql-http.js';
import { jsonHttpErrors, MAX_BODY_BYTES, securityHeaders } from './http-guards.js';
import { createLogger, currentLog, requestIds, type Logger } from './logger.js';
import { ApiMetrics, metricsRoute, poolUse } from './metrics.js';
import { trustFunction } from './proxy-trust.js';
import { WsOperationRecords } from './operation-records.js';
import { announceSessionEnds } from '../modules/user/session.live.js';
import type { DestinationStream } from 'pino';
import { JobRunner } from '../jobs/runner.js';
import { unsubscribeRoutes } from '../modules/notification/unsubscribe.js';

/** A running API: its address, database, and a graceful `close`. */
export interface RunningApi {
  url: string;
  port: number;
  db: Database;
  live: LiveBus;
  httpServer: Server;
  /** The API's JSON logger. */
  log: Logger;
  /** Its Prometheus metrics (served at /metrics). */
  metrics: ApiMetrics;
  rateLimits: RateLimits;
  /** This process's worker of the job queue (jobs/). */
  jobs: JobRunner;
  /** WebSockets open now. */
  openSockets(): number;
  /**
   * Shuts down in order: stops accepting, answers the HTTP requests in flight (destroying what is left after
   * SHUTDOWN_TIMEOUT_MS), closes WebSockets with 1001, then closes Apollo, the live bus and the database pool.
   */
  close(): Promise<void>;
}

/** Options for starting the API (tests pass an existing database). */
export interface StartOptions {
  /** Use this database instead of opening one from the config. */
  db?: Database;
  /** Embedded data directory; null keeps the embedded database in memory. Default: config.DATA_DIR. */
  dataDir?: string | null;
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

/** Opens the database, builds the schema and serves HTTP and WebSockets on one port. */
export async function startApi(config: Config, options: StartOptions = {}): Promise<RunningApi> {
  const log = createLogger(config, options.logDestination);
  // Lines logged while serving a request carry its request id (logger.ts).
  const logError = (error: unknown) => currentLog(log).error({ err: error }, 'unexpected error');
  const logWarn = (msg: string, error?: unknown) => currentLog(log).warn(error === undefined ? {} : { err: error }, msg);
  const db = options.db ?? (await openDatabase(config, options.dataDir === undefined ? config.DATA_DIR : options.dataDir));
  if (!options.db) await seedIfEmpty(db, config);
  const live = new LiveBus(config.REDIS_URL ? await connectLiveRedis(config.REDIS_URL, logWarn) : null, logWarn);
  const rateLimits = await RateLimits.start(config, logWarn);
  const deps: AppDeps = { orm: db.orm, config, live, log, rateLimits };
  announceSessionEnds(db.orm, live); // sessions ended through this database close their sockets (server/ws-sessions.ts)
  const schema = await buildGatherSchema();
  const jobs = await JobRunner.start({ orm: db.orm, config, log, live, embedded: db.embedded });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustFunction(config.TRUST_PROXY));
  // Set below, once Apollo has started: GraphQL POSTs skip express (graphql-http.ts), all else goes to `app`.
  let listener: RequestListener = app;
  const httpServer = createServer((req, res) => listener(req, res));
  const drain = new HttpDrain(httpServer);
  const metrics = new ApiMetrics({
    openSockets: () => ws.wsServer.clients.size,
    liveListeners: () => live.subscriberCount(),
    pool: () => poolUse(db.orm),
  });
  live.onDelivery = (seconds, source) => metrics.observeDeliveryLag(seconds, source);
  const ws = attachWebSockets(httpServer, schema, deps, new WsOperationRecords(metrics));
  const apollo = createApollo(schema, config, logError, metrics);
  await apollo.start();

  const named = requestIds(log, config.TRUST_PROXY);
  app.use(named, securityHeaders(config.TRUST_PROXY));
  app.use(healthRoutes(db.orm, () => live.status()));
  app.use(metricsRoute(metrics, config));
  app.use(calendarRoutes(db.orm, config.PUBLIC_URL));
  app.use(imageRoutes(deps));
  app.use(unsubscribeRoutes(db.orm, config.PUBLIC_URL));
  const context = (http: { req: IncomingMessage; res: ServerResponse }) => authenticatedContext(deps, http.req.headers, http);
  app.use(
    '/graphql', // what the fast path leaves: GET queries, other content types (refused by Apollo's CSRF rule), compressed bodies
    express.json({ limit: MAX_BODY_BYTES }),
    named, // back into the request's scope, which the body parser's stream callbacks leave
    expressMiddleware(apollo, { context }),
  );
  app.use(jsonHttpErrors(log));
  listener = graphqlHttp({ apollo, context, log, trustProxy: config.TRUST_PROXY }, app);

  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOST, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    db,
    live,
    httpServer,
    log,
    metrics,
    rateLimits,
    jobs,
    openSockets: ws.openSockets,
    async close() {
      const inFlight = drain.inFlight();
      if (!(await drain.drain(config.SHUTDOWN_TIMEOUT_MS))) logWarn(`shutdown: requests still running after ${config.SHUTDOWN_TIMEOUT_MS} ms were cut`);
      else if (inFlight > 0) log.info(`shutdown: answered ${inFlight} request(s) in flight`);
      await ws.dispose();
      await serverClosed(httpServer);
      await apollo.stop();
      await jobs.stop();
      await live.close();
      await rateLimits.close();
      if (!options.db) await db.close();
    },
  };
}
