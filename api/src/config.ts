import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './server/proxy-trust.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
/** A rate limit written `<count>/<window>`, the window in s, m or h: `5/15m` = 5 per 15 minutes. */
const rate = (fallback: string) =>
  z
    .string()
    .regex(/^\d+\/\d+[smh]$/, 'expected <count>/<window>, e.g. 5/15m')
    .default(fallback)
    .transform((v) => {
      const [, points, amount, unit] = /^(\d+)\/(\d+)([smh])$/.exec(v)!;
      return { points: Number(points), seconds: Number(amount) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS] };
    });
/** Under NODE_ENV=test the rate limits are this high unless set, so suites that make many users from one address pass. */
const TEST_RATE = '1000000/1h';
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Every environment variable Gather reads, with its default. */
const schema = z.object({
  /** HTTP and WebSocket port of the API. Default 4000. */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Interface to listen on. Default 0.0.0.0. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL URL. Default: unset, which starts the embedded PostgreSQL (PGlite) in-process. */
  DATABASE_URL: z.string().url().optional(),
  /** Data directory of the embedded database. Default `<repo>/.data/pglite`. */
  DATA_DIR: z.string().min(1).default(`${repoRoot}.data/pglite`),
  /** Redis URL for pub/sub and shared rate limits. Default: unset (in-process). */
  REDIS_URL: z.string().url().optional(),
  /** development | production | test. Default development. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Largest PostgreSQL pool per API process (the embedded database always uses 1). Default 10. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** scrypt cost of password hashes as log2(N); 15 = 32 MiB per hash. Default 15. */
  PASSWORD_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(15),
  /** Days a session token stays valid. Default 30. */
  SESSION_TTL_DAYS: z.coerce.number().positive().default(30),
  /** Load demo data into an empty embedded database on first start. Default true. */
  SEED_DEMO_DATA: flag.default(true),
  /**
   * Which proxies in front may name the client (X-Forwarded-For) and TLS (X-Forwarded-Proto): `false`, a hop count
   * (`true` = 1), or their addresses/CIDRs, comma-separated (server/proxy-trust.ts). Default false.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      try {
        return parseTrustProxy(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Serve introspection and the explorer even in production. Default false. */
  ENABLE_INTROSPECTION: flag.default(false),
  /** Public address of the web site (scheme, host, optional port), used in links the API writes (event URLs in iCalendar feeds, links in emails); never taken from a request's Host header. Default http://localhost:3000. */
  PUBLIC_URL: z
    .string()
    .url()
    .regex(/^https?:\/\/[^/?#]+\/?$/, 'expected an http(s) origin such as https://gather.example')
    .default('http://localhost:3000')
    .transform((v) => v.replace(/\/$/, '')),
  /** Comma-separated browser origins allowed to open WebSockets, besides the API's own. Default: any localhost. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Milliseconds a shutdown (SIGTERM) may take to answer requests in flight and close; then the process exits anyway. Default 10000. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Bytes a WebSocket may have waiting to be sent before its client counts as too slow and is dropped. Default 1 MiB. */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Milliseconds a new WebSocket has to send graphql-ws's connection_init; then it is closed with 4408. Default 10000. */
  WS_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Highest cost of one operation (connections weigh first/last × their selection). Default 5000. */
  MAX_QUERY_COST: z.coerce.number().int().min(1).default(5000),
  /** fatal | error | warn | info | debug | trace | silent. Default info (silent under NODE_ENV=test). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** When set, GET /metrics needs `Authorization: Bearer <this>`. Default: unset (open in development; not served in production). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Failed log-ins per account from one address (a success there clears them). Default 5/15m. */
  RATE_LIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS: rate('5/15m'),
  /** Failed log-ins per account from all addresses together: the slower ceiling, which refuses everyone once hit. Default 50/24h. */
  RATE_LIMIT_LOGIN_PER_ACCOUNT: rate('50/24h'),
  /** Failed log-ins per client address. Default 20/15m. */
  RATE_LIMIT_LOGIN_PER_ADDRESS: rate('20/15m'),
  /** Sign-up attempts per client address. Default 10/1h. */
  RATE_LIMIT_SIGNUP_PER_ADDRESS: rate('10/1h'),
  /** Messages posted per user. Default 30/1m. */
  RATE_LIMIT_MESSAGES_PER_USER: rate('30/1m'),
  /** RSVPs (answers and changes) per user. Default 60/1m. */
  RATE_LIMIT_RSVPS_PER_USER: rate('60/1m'),
  /** Message edits and deletions per user. Default 30/1m. */
  RATE_LIMIT_EDITS_PER_USER: rate('30/1m'),
  /** New threads per user. Default 20/1h. */
  RATE_LIMIT_THREADS_PER_USER: rate('20/1h'),
  /** New groups per user. Default 10/24h. */
  RATE_LIMIT_GROUPS_PER_USER: rate('10/24h'),
  /** New events per user. Default 50/1h. */
  RATE_LIMIT_EVENTS_PER_USER: rate('50/1h'),
  /** Updates of groups and events, cancellations and profile changes per user. Default 60/1m. */
  RATE_LIMIT_UPDATES_PER_USER: rate('60/1m'),
  /** Member management (reviews, roles, removals, attendance marks) per user. Default 300/1m. */
  RATE_LIMIT_MODERATION_PER_USER: rate('300/1m'),
  /** Joining and leaving groups per user. Default 30/1h. */
  RATE_LIMIT_MEMBERSHIPS_PER_USER: rate('30/1h'),
  /** Topics a user may bring into being (names no group used before) per day. Default 20/24h. */
  RATE_LIMIT_NEW_TOPICS_PER_USER: rate('20/24h'),
  /** Cover picture uploads per user (each is decoded and resized: CPU). Default 30/1h. */
  RATE_LIMIT_IMAGES_PER_USER: rate('30/1h'),
  /** Password-reset requests per client address. Default 5/15m. */
  RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS: rate('5/15m'),
  /**
   * API processes serving one port (node:cluster; api/src/cluster.ts). More than 1 needs DATABASE_URL and REDIS_URL,
   * which the processes share. Default 1.
   */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** Whether this process works the job queue (it always enqueues). Off for API-only processes. Default true. */
  JOBS_WORK: flag.default(true),
  /** How often an idle API process polls the job queue, in milliseconds. Default 2000. */
  JOBS_POLL_MS: z.coerce.number().int().min(100).default(2000),
  /** SMTP server for email, e.g. smtp://user:pass@mail.example.com:587. Default: unset (development: files in MAIL_DIR). */
  SMTP_URL: z.string().url().optional(),
  /** Sender of Gather's emails. Default `Gather <no-reply@gather.localhost>`. */
  MAIL_FROM: z.string().min(3).default('Gather <no-reply@gather.localhost>'),
  /** Where emails go as .eml files when SMTP_URL is unset. Default `<repo>/.data/mail` (under NODE_ENV=test: nowhere, only logged). */
  MAIL_DIR: z.string().min(1).optional(),
  /** Address of this API as email readers reach it (unsubscribe links). Default http://localhost:<PORT>. */
  PUBLIC_API_URL: z.string().url().optional(),
});

const TEST_DEFAULTS = {
  LOG_LEVEL: 'silent',
  RATE_LIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS: TEST_RATE,
  RATE_LIMIT_LOGIN_PER_ACCOUNT: TEST_RATE,
  RATE_LIMIT_LOGIN_PER_ADDRESS: TEST_RATE,
  RATE_LIMIT_SIGNUP_PER_ADDRESS: TEST_RATE,
  RATE_LIMIT_MESSAGES_PER_USER: TEST_RATE,
  RATE_LIMIT_RSVPS_PER_USER: TEST_RATE,
  RATE_LIMIT_EDITS_PER_USER: TEST_RATE,
  RATE_LIMIT_THREADS_PER_USER: TEST_RATE,
  RATE_LIMIT_GROUPS_PER_USER: TEST_RATE,
  RATE_LIMIT_EVENTS_PER_USER: TEST_RATE,
  RATE_LIMIT_UPDATES_PER_USER: TEST_RATE,
  RATE_LIMIT_MODERATION_PER_USER: TEST_RATE,
  RATE_LIMIT_MEMBERSHIPS_PER_USER: TEST_RATE,
  RATE_LIMIT_NEW_TOPICS_PER_USER: TEST_RATE,
  RATE_LIMIT_IMAGES_PER_USER: TEST_RATE,
  RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS: TEST_RATE,
};

export type Config = z.infer<typeof schema>;

/** Reads and validates the configuration; throws one readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const input = set.NODE_ENV === 'test' ? { ...TEST_DEFAULTS, ...set } : set;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
