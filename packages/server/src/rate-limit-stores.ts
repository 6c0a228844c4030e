import { Redis } from 'ioredis';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from './config.js';
import type { LimiterFactory } from './http/rate-limits.js';

/**
 * The store behind the rate limits. In memory for one instance; in PostgreSQL (the `rate_limits`
 * table, created by the migrations) or Redis when several instances must share the counters.
 * A Redis that is unreachable falls back to per-process limits rather than refusing every request.
 */
export interface LimiterStore {
  factory: LimiterFactory;
  close(): Promise<void>;
}

export function createLimiterStore(store: Config['rateLimitStore'], pool: pg.Pool | null): LimiterStore {
  if (store === 'memory') return { factory: (o) => new RateLimiterMemory(o), close: async () => {} };
  if (store === 'database') {
    if (!pool) throw new Error('ROSTER_RATE_LIMIT_STORE=database needs PostgreSQL');
    return {
      factory: (o) =>
        new RateLimiterPostgres({
          ...o,
          storeClient: pool,
          tableName: 'rate_limits',
          tableCreated: true,
          clearExpiredByTimeout: true,
        }),
      close: async () => {},
    };
  }
  const redis = new Redis(store.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => {
    // Connection errors surface per request (the insurance limiter takes over); reconnects are automatic.
  });
  return {
    factory: (o) =>
      new RateLimiterRedis({
        ...o,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(o),
      }),
    close: async () => {
      redis.disconnect();
    },
  };
}
