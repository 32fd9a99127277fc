import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import { AppError } from './errors.js';

/** The limits Gather enforces; each counts per key (an account, an address or a user) within its window. */
export const RATE_LIMITS = {
  logInsPerAccountAndAddress: { config: 'RATE_LIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS', refusal: 'Too many failed log-ins for this account from your address' },
  logInsPerAccount: { config: 'RATE_LIMIT_LOGIN_PER_ACCOUNT', refusal: 'Too many failed log-ins for this account' },
  logInsPerAddress: { config: 'RATE_LIMIT_LOGIN_PER_ADDRESS', refusal: 'Too many failed log-ins from your address' },
  signUpsPerAddress: { config: 'RATE_LIMIT_SIGNUP_PER_ADDRESS', refusal: 'Too many sign-ups from your address' },
  messagesPerUser: { config: 'RATE_LIMIT_MESSAGES_PER_USER', refusal: 'You are posting messages too fast' },
  rsvpsPerUser: { config: 'RATE_LIMIT_RSVPS_PER_USER', refusal: 'You are changing RSVPs too fast' },
  editsPerUser: { config: 'RATE_LIMIT_EDITS_PER_USER', refusal: 'You are editing or deleting messages too fast' },
  threadsPerUser: { config: 'RATE_LIMIT_THREADS_PER_USER', refusal: 'You are starting threads too fast' },
  groupsPerUser: { config: 'RATE_LIMIT_GROUPS_PER_USER', refusal: 'You are creating groups too fast' },
  eventsPerUser: { config: 'RATE_LIMIT_EVENTS_PER_USER', refusal: 'You are creating events too fast' },
  updatesPerUser: { config: 'RATE_LIMIT_UPDATES_PER_USER', refusal: 'You are changing groups, events or your profile too fast' },
  moderationPerUser: { config: 'RATE_LIMIT_MODERATION_PER_USER', refusal: 'You are managing members too fast' },
  membershipsPerUser: { config: 'RATE_LIMIT_MEMBERSHIPS_PER_USER', refusal: 'You are joining and leaving groups too fast' },
  newTopicsPerUser: { config: 'RATE_LIMIT_NEW_TOPICS_PER_USER', refusal: 'You have created too many new topics' },
  imageUploadsPerUser: { config: 'RATE_LIMIT_IMAGES_PER_USER', refusal: 'You are uploading pictures too fast' },
  passwordResetsPerAddress: { config: 'RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS', refusal: 'Too many password-reset requests from your address' },
} as const;
export type RateLimitName = keyof typeof RATE_LIMITS;

/**
 * The rate-limit class of every mutation (docs/ARCHITECTURE.md, "Limits"): `limit` is counted once per call, per signed-in
 * user (or per client address when signed out), by limitMutations below before the resolver runs; `service: true` marks a
 * class its service counts itself because the key or the moment matters (log-ins per account and address, sign-ups per
 * address, a message or an RSVP only once it is valid). `null` only for what cannot be abused (logging out).
 * A mutation missing here still gets UNLISTED_MUTATION_LIMIT (and rate-limit.test.ts fails until it is listed).
 */
export const MUTATION_RATE_LIMITS: Record<string, { limit: RateLimitName; service?: true } | null> = {
  signUp: { limit: 'signUpsPerAddress', service: true },
  logIn: { limit: 'logInsPerAddress', service: true },
  logOut: null,
  updateProfile: { limit: 'updatesPerUser' },
  createGroup: { limit: 'groupsPerUser' },
  updateGroup: { limit: 'updatesPerUser' },
  joinGroup: { limit: 'membershipsPerUser' },
  leaveGroup: { limit: 'membershipsPerUser' },
  reviewMembership: { limit: 'moderationPerUser' },
  setMemberRole: { limit: 'moderationPerUser' },
  removeMember: { limit: 'moderationPerUser' },
  banFromGroup: { limit: 'moderationPerUser' },
  createEvent: { limit: 'eventsPerUser' },
  updateEvent: { limit: 'updatesPerUser' },
  cancelEvent: { limit: 'updatesPerUser' },
  rsvp: { limit: 'rsvpsPerUser', service: true },
  markAttended: { limit: 'moderationPerUser' },
  createThread: { limit: 'threadsPerUser' }, // and its first message counts as a message (thread.service.ts)
  postMessage: { limit: 'messagesPerUser', service: true },
  editMessage: { limit: 'editsPerUser' },
  deleteMessage: { limit: 'editsPerUser' },
  // Mutations of the contract still being built (notifications, account, series); their services may add classes of their own.
  markNotificationsRead: { limit: 'updatesPerUser' },
  updateNotificationSettings: { limit: 'updatesPerUser' },
  requestPasswordReset: { limit: 'updatesPerUser' },
  resetPassword: { limit: 'updatesPerUser' },
  changePassword: { limit: 'updatesPerUser' },
};

/** The class of a mutation nobody listed yet, so that none ever runs unlimited. */
export const UNLISTED_MUTATION_LIMIT: RateLimitName = 'updatesPerUser';

/**
 * Wraps every mutation's resolver so its class (MUTATION_RATE_LIMITS) is counted before it runs: one place for all of
 * them, and nothing added to any other field.
 */
export function limitMutations(schema: GraphQLSchema): void {
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const [name, field] of Object.entries(fields)) {
    const listed = MUTATION_RATE_LIMITS[name];
    const entry = listed === undefined ? { limit: UNLISTED_MUTATION_LIMIT } : listed;
    if (!entry || entry.service) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = async (source, args, context: { viewer: { id: string } | null; clientAddress: string | null; rateLimits: RateLimits }, info) => {
      await context.rateLimits.consume(entry.limit, context.viewer ? `user:${context.viewer.id}` : context.clientAddress);
      return resolve(source, args, context, info);
    };
  }
}

/** How long a Redis call may take before the in-process limiter answers instead. */
const REDIS_TIMEOUT_MS = 250;

/** "12 seconds", "3 minutes", "1 hour": rounded up, so a client that waits that long gets through. */
export function waitFor(seconds: number): string {
  const [amount, unit] = seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [Math.ceil(seconds / 60), 'minute'] : [Math.ceil(seconds / 3600), 'hour'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

/** The RATE_LIMITED error: says when to retry, and `extensions.retryAfterSeconds` says it for programs. */
export function rateLimited(name: RateLimitName, msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('RATE_LIMITED', `${RATE_LIMITS[name].refusal}: try again in ${waitFor(retryAfterSeconds)}.`, { retryAfterSeconds });
}

/** Keys are hashed, so no email address or IP address is written to Redis. */
const hashed = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 32);

/**
 * Rate limits of one API process: in Redis when REDIS_URL is set (shared by every process), else in-process.
 * Redis being away never fails a request: each limiter then falls back to an in-process one (the insurance limiter).
 */
export class RateLimits {
  private constructor(
    private readonly limiters: Record<RateLimitName, RateLimiterAbstract>,
    private readonly log: (msg: string, error?: unknown) => void,
    private readonly redis: Redis | null,
  ) {}

  /** `redis` when shared through Redis, `in-process` otherwise. */
  get mode(): 'redis' | 'in-process' {
    return this.redis ? 'redis' : 'in-process';
  }

  /** Limits from the config, in Redis when REDIS_URL is set (a Redis that is down at start is retried in the background). */
  static async start(config: Config, log: (msg: string, error?: unknown) => void): Promise<RateLimits> {
    const redis = config.REDIS_URL ? await connect(config.REDIS_URL, log) : null;
    const limiters = {} as Record<RateLimitName, RateLimiterAbstract>;
    for (const name of Object.keys(RATE_LIMITS) as RateLimitName[]) {
      const { points, seconds: duration } = config[RATE_LIMITS[name].config];
      const keyPrefix = `gather:rate:${name}`;
      const memory = new RateLimiterMemory({ points, duration, keyPrefix });
      limiters[name] = redis
        ? new RLWrapperTimeouts({
            limiter: new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix, rejectIfRedisNotReady: true, insuranceLimiter: memory }),
            timeoutMs: REDIS_TIMEOUT_MS,
          })
        : memory;
    }
    return new RateLimits(limiters, log, redis);
  }

  /** Counts `points` (default one) against `name` for `key`; RATE_LIMITED once the window's allowance is used up. */
  async consume(name: RateLimitName, key: string | null, points = 1): Promise<void> {
    if (key === null || points <= 0) return;
    try {
      await this.limiters[name].consume(hashed(key), points);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw rateLimited(name, error.msBeforeNext);
      this.log(`rate limit ${name} unavailable; request let through`, error);
    }
  }

  /** Gives back one counted against `name` for `key` (an attempt that turned out fine). */
  async refund(name: RateLimitName, key: string | null): Promise<void> {
    if (key !== null) await this.limiters[name].reward(hashed(key)).catch((error) => this.log(`rate limit ${name}: refund failed`, error));
  }

  /** Forgets everything counted against `name` for `key`. */
  async reset(name: RateLimitName, key: string | null): Promise<void> {
    if (key !== null) await this.limiters[name].delete(hashed(key)).catch((error) => this.log(`rate limit ${name}: reset failed`, error));
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

/** A connection of its own that never queues commands while Redis is away, so callers fall back at once. */
async function connect(url: string, log: (msg: string, error?: unknown) => void): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let down = false;
  redis.on('error', (error) => {
    if (!down) log('Redis (rate limits) unavailable; each process limits on its own until it returns', error);
    down = true;
  });
  redis.on('ready', () => {
    if (down) log('Redis (rate limits) is back');
    down = false;
  });
  await redis.connect().catch(() => {});
  return redis;
}

/** No limits at all: the default of contexts made outside a running API (unit tests of services). */
export const noRateLimits = {
  mode: 'in-process',
  consume: async () => {},
  refund: async () => {},
  reset: async () => {},
  close: async () => {},
} as unknown as RateLimits;
