import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { startApi, type RunningApi, type StartOptions } from '../server/app.js';
import { freshDatabase } from './database.js';

/** A GraphQL answer as the wire carries it. */
export interface GqlResult<T = Record<string, any>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; field?: string } & Record<string, unknown> }>;
  status: number;
  headers: Headers;
}

/** An API started for one test file, on its own database, with a small client. */
export interface TestApi {
  api: RunningApi;
  config: Config;
  /** Sends an operation over HTTP, as `token`'s user when given. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

/** Starts the API on a free port and a fresh database (`options`: e.g. a log destination). Stop it with `close()` in afterAll. */
export async function startTestApi(overrides: Partial<Config> = {}, options: Omit<StartOptions, 'db'> = {}): Promise<TestApi> {
  const { db, config } = await freshDatabase(overrides);
  const api = await startApi(config, { ...options, db });
  return {
    api,
    config,
    async gql(query, variables = {}, token) {
      const res = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GqlResult<any>;
      return { ...body, status: res.status, headers: res.headers };
    },
    async close() {
      await api.close();
      await db.close();
    },
  };
}

/** A unique email for a test user. */
export const uniqueEmail = (name = 'user') => `${name}.${randomBytes(5).toString('hex')}@example.test`;
