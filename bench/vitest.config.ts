import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['smoke.test.ts'],
    // The smoke run starts the API, the ceiling servers and PostGraphile as processes of their own.
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
