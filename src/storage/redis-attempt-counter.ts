import type { Redis } from 'ioredis'
import type { AttemptCount, AttemptCounter } from '../domain/access/sign-in-throttle.js'
import { closeRedis, openRedis } from './redis-client.js'

/**
 * Counts one attempt on each key; a key's window (its expiry) starts with its first attempt.
 * Returns, per key, the count and the milliseconds left in its window.
 */
const INCREMENT = `
local result = {}
for i, key in ipairs(KEYS) do
  local attempts = redis.call('INCR', key)
  local left = redis.call('PTTL', key)
  if left < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    left = tonumber(ARGV[1])
  end
  result[i] = { attempts, left }
end
return result
`

/** Takes one attempt back, never below 0; the window (expiry) is kept. */
const DECREMENT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  redis.call('DECR', KEYS[1])
end
return 0
`

interface AttemptCommands {
  countAttempts(...args: [number, ...string[], number]): Promise<[number, number][]>
  uncountAttempt(key: string): Promise<number>
}

/**
 * Sign-in attempt counters in Redis, shared by every node. When Redis fails or is slow, the
 * `fallback` counter (the store's, shared too) counts meanwhile: an outage of Redis never opens
 * the door to unlimited guessing, nor refuses sign-ins.
 */
export class RedisAttemptCounter implements AttemptCounter {
  private readonly redis: Redis
  private readonly report: (error: unknown) => void
  private readonly fallback: AttemptCounter
  private readonly prefix: string

  /**
   * @param options.timeoutMs longest wait for Redis per call (RATE_LIMIT_REDIS_TIMEOUT_MS).
   * @param options.onError told about failures, at most once per 10 s; the caller logs.
   * @param options.prefix key prefix (default `openemploi:signin:`); tests use a random one.
   */
  constructor(
    url: string,
    options: { timeoutMs: number; onError: (error: unknown) => void; fallback: AttemptCounter; prefix?: string | undefined },
  ) {
    const connection = openRedis(url, options)
    this.redis = connection.redis
    this.report = connection.report
    this.fallback = options.fallback
    this.prefix = options.prefix ?? 'openemploi:signin:'
    this.redis.defineCommand('countAttempts', { lua: INCREMENT })
    this.redis.defineCommand('uncountAttempt', { numberOfKeys: 1, lua: DECREMENT })
  }

  async increment(keys: readonly string[], windowMs: number): Promise<AttemptCount[]> {
    try {
      const rows = await this.commands().countAttempts(keys.length, ...keys.map((key) => this.prefix + key), windowMs)
      return rows.map(([attempts, resetMs]) => ({ attempts, resetMs }))
    } catch (error) {
      this.report(error)
      return this.fallback.increment(keys, windowMs)
    }
  }

  async decrement(key: string): Promise<void> {
    try {
      await this.commands().uncountAttempt(this.prefix + key)
    } catch (error) {
      this.report(error)
      await this.fallback.decrement(key)
    }
  }

  async reset(key: string): Promise<void> {
    try {
      await this.redis.del(this.prefix + key)
    } catch (error) {
      this.report(error)
      await this.fallback.reset(key)
    }
  }

  async close(): Promise<void> {
    await closeRedis(this.redis)
  }

  /** The scripts registered by defineCommand in the constructor; ioredis types cannot know them. */
  private commands(): AttemptCommands {
    return this.redis as unknown as AttemptCommands
  }
}
