import { Redis } from 'ioredis';

/**
 * A Redis connection for live updates that keeps retrying forever (every ≤ 2 s) and never queues
 * publishes while disconnected, so a mutation never waits on an absent Redis.
 */
export function redisConnection(url: string, role: 'pub' | 'sub', log: (msg: string, error?: unknown) => void): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: role === 'sub', // subscriptions made while away are sent on reconnect
    maxRetriesPerRequest: role === 'pub' ? 0 : null,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let down = false;
  redis.on('error', (error) => {
    if (!down) log(`Redis (${role}) unavailable; live updates stay on this process until it returns`, error);
    down = true;
  });
  redis.on('ready', () => {
    if (down) log(`Redis (${role}) is back`);
    down = false;
  });
  return redis;
}

/** Connects both live-update connections; a Redis that is down at start leaves them retrying. */
export async function connectLiveRedis(url: string, log: (msg: string, error?: unknown) => void) {
  const pub = redisConnection(url, 'pub', log);
  const sub = redisConnection(url, 'sub', log);
  await Promise.all([pub.connect().catch(() => {}), sub.connect().catch(() => {})]);
  return { pub, sub };
}
