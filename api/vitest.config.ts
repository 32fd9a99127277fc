import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // graphql ships CJS (main) and ESM (module) builds; Node's own loader picks CJS for type-graphql
  // and Apollo, so tests must too, or the schema mixes two copies of graphql.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['src/**/*.test.ts'],
    // Each test file starts its own API on its own database; two at a time fits two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['reflect-metadata'],
  },
});
