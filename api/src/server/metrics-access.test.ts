import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test/api.js';
import { startApi, type RunningApi } from './app.js';

// Who may read /metrics: open in development, behind METRICS_TOKEN in production, and not served at all in
// production without one (README, "Configuration").

const TOKEN = 'metrics-token-for-tests-0123456789';
// One database, three API servers over it with different settings.
let bare: TestApi;
let guarded: RunningApi;
let dev: RunningApi;
beforeAll(async () => {
  bare = await startTestApi({ NODE_ENV: 'production' });
  guarded = await startApi({ ...bare.config, METRICS_TOKEN: TOKEN }, { db: bare.api.db });
  dev = await startApi({ ...bare.config, NODE_ENV: 'development' }, { db: bare.api.db });
});
afterAll(async () => {
  await guarded?.close();
  await dev?.close();
  await bare?.close();
});

const scrape = (api: { port: number }, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${api.port}/metrics`, { headers });

describe('/metrics', () => {
  it('is not served in production without METRICS_TOKEN, to anyone', async () => {
    const res = await scrape(bare.api);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/gather_/);
    expect((await scrape(bare.api, { authorization: 'Bearer anything-at-all-0123456' })).status).toBe(404);
  });

  it('needs the bearer token in production when one is set', async () => {
    expect((await scrape(guarded)).status).toBe(401);
    expect((await scrape(guarded, { authorization: 'Bearer wrong' })).status).toBe(401);
    const res = await scrape(guarded, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/gather_graphql_operations_total|gather_/);
  });

  it('is open in development (to scrape locally)', async () => {
    const res = await scrape(dev);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/gather_/);
  });
});
