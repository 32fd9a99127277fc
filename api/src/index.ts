import cluster from 'node:cluster';
import { loadConfig } from './config.js';

// Start-up only: configuration, then one API process (API_PROCESSES=1, the default) or a primary that runs several
// on one port (cluster.ts), each of them the code below.
const config = loadConfig();
if (config.API_PROCESSES > 1 && cluster.isPrimary) {
  const { runPrimary } = await import('./cluster.js');
  await runPrimary(config);
} else {
  await serve();
}

/** One API process: database, server, signals. */
async function serve() {
  await import('reflect-metadata');
  const { startApi } = await import('./server/app.js');
  const { loadGazetteer } = await import('./modules/place/gazetteer.js');
  const { processSlot, PROCESS_HEADER } = await import('./cluster.js');
  const slot = processSlot();
  const api = await startApi(config);
  if (slot) {
    // Which of the processes answered, so that one can tell them apart through the shared port. Prepended so it is set
    // before any route writes its headers.
    api.httpServer.prependListener('request', (_req, res) => res.setHeader(PROCESS_HEADER, String(slot.slot)));
    // The primary logs "Gather API listening" with the address once every process does (cluster.ts).
    api.log.info({ process: slot.slot, of: slot.of, pid: process.pid, port: api.port }, `API process ${slot.slot} of ${slot.of} ready`);
  } else {
    api.log.info(
      { graphql: `http://localhost:${api.port}/graphql`, database: api.db.embedded ? `embedded (${config.DATA_DIR})` : 'DATABASE_URL' },
      'Gather API listening',
    );
  }
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
}
