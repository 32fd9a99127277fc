import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
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
  /** Trust X-Forwarded-* from a proxy in front (for Secure cookies behind TLS). Default false. */
  TRUST_PROXY: flag.default(false),
  /** Serve introspection and the explorer even in production. Default false. */
  ENABLE_INTROSPECTION: flag.default(false),
  /** Comma-separated browser origins allowed to open WebSockets, besides the API's own. Default: any localhost. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Bytes a WebSocket may have waiting to be sent before its client counts as too slow and is dropped. Default 1 MiB. */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
});

export type Config = z.infer<typeof schema>;

/** Reads and validates the configuration; throws one readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
