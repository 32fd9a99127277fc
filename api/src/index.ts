import 'reflect-metadata';
import { loadConfig } from './config.js';
import { startApi } from './server/app.js';
import { loadGazetteer } from './modules/place/gazetteer.js';

// Start-up only: configuration, database, server, signals.
const config = loadConfig();
const api = await startApi(config);
api.log.info(
  { graphql: `http://localhost:${api.port}/graphql`, database: api.db.embedded ? `embedded (${config.DATA_DIR})` : 'DATABASE_URL' },
  'Gather API listening',
);
// Build the in-memory place index now rather than on the first search (docs/ARCHITECTURE.md, Places).
setImmediate(() => api.log.info({ places: loadGazetteer() }, 'place index ready'));

// SIGTERM drains in order (RunningApi.close); past SHUTDOWN_TIMEOUT_MS the process exits anyway, with status 1.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    api.log.info({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, `${signal}: shutting down`);
    setTimeout(() => {
      api.log.error(`shutdown did not finish within ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`);
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    api.close().then(
      () => {
        api.log.info({ ms: Date.now() - started }, 'shut down cleanly');
        process.exit(0);
      },
      (error) => {
        api.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
