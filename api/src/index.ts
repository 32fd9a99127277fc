import 'reflect-metadata';
import { loadConfig } from './config.js';
import { startApi } from './server/app.js';

// Start-up only: configuration, database, server, signals.
const config = loadConfig();
const api = await startApi(config);
console.log(
  JSON.stringify({
    level: 'info',
    msg: `Gather API listening`,
    graphql: `http://localhost:${api.port}/graphql`,
    database: api.db.embedded ? `embedded (${config.DATA_DIR})` : 'DATABASE_URL',
  }),
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    api.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
