import { createServer } from 'node:http';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';

// The peer: PostGraphile 4 serving the benchmark database through its own generated schema, in production
// settings (no GraphiQL, no query log, no mutations). Run as its own process: DATABASE_URL, DB_POOL_MAX; prints
// {"ready":port}.

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('postgraphile/package.json'));

// npm nests PostGraphile's graphql@15 (the workspace uses 16) under more than one of its packages; two copies
// of graphql refuse each other's types, so every require of graphql or graphile-build inside this process gets
// PostGraphile's own copy.
const pinned = join(root, 'node_modules');
type Resolve = (request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const resolve = moduleWithResolve._resolveFilename;
moduleWithResolve._resolveFilename = function (request, parent, isMain, options) {
  const shared = /^(graphql|graphile-build)(\/|$)/.test(request);
  return resolve.call(this, request, parent, isMain, shared ? { paths: [pinned] } : options);
};

const { postgraphile } = require(root) as { postgraphile: (pool: pg.Pool, schema: string, options: object) => Parameters<typeof createServer>[0] };
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 20) });
const handler = postgraphile(pool, 'public', {
  disableDefaultMutations: true,
  disableQueryLog: true,
  graphiql: false,
  enableQueryBatching: false,
  setofFunctionsContainNulls: false,
  ignoreRBAC: true,
  retryOnInitFail: false,
});
const server = createServer(handler);
// Introspect and build the schema before saying ready, so no measurement waits for it.
await (handler as unknown as { getGraphQLSchema(): Promise<unknown> }).getGraphQLSchema();

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ ready: typeof address === 'object' && address ? address.port : 0 }));
});

process.on('SIGTERM', () => {
  server.close();
  pool.end().finally(() => process.exit(0));
});
