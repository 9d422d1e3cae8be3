import type { Redis } from 'ioredis'
import { MemoryRateLimiter, rateDecision } from '../domain/access/rate-limiter.js'
import type { FallbackDecisions, RateDecision, RateLimiter, RateLimiterMode } from '../domain/access/rate-limiter.js'
import { closeRedis, openRedis } from './redis-client.js'

/**
 * One token bucket per hash, refilled and debited in one atomic step. The clock is the server's
 * TIME so nodes with skewed clocks agree; the key expires once the bucket would be full again,
 * since an absent key means a full bucket. Tokens travel as strings: Lua numbers returned to
 * Redis are truncated to integers. Mirrors MemoryRateLimiter's arithmetic.
 */
const TAKE_TOKEN = `
local rate = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1])
local at = tonumber(bucket[2])
if tokens == nil or at == nil then
  tokens = rate
else
  tokens = math.min(rate, tokens + math.max(0, now - at) / 1000 * rate)
end
local allowed = 0
if tokens + 1e-9 >= 1 then
  tokens = math.max(0, tokens - 1)
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((rate - tokens) / rate * 1000) + 1)
return { allowed, tostring(tokens) }
`

interface TakeTokenCommand {
  takeToken(key: string, perSecond: number): Promise<[number, string]>
}

/**
 * Token buckets shared by every node through Redis. Fails open: when Redis is down, slow or
 * erroring, each node falls back to its own in-process buckets, so clients are still limited
 * (per node) and the API keeps serving. `mode` says which of the two decided last.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis
  private readonly report: (error: unknown) => void
  private readonly fallback = new MemoryRateLimiter()
  private readonly prefix: string
  // Nothing is shared until the connection is ready: calls fail at once (no offline queue).
  private current: 'shared' | 'fallback' = 'fallback'
  private readonly counts = { allowed: 0, refused: 0 }

  /**
   * @param url redis:// or rediss:// address.
   * @param options.onError told about failures, at most once per 10 s; the caller logs.
   * @param options.timeoutMs longest wait for Redis per call before falling back (RATE_LIMIT_REDIS_TIMEOUT_MS).
   * @param options.prefix key prefix (default `openemploi:rl:`); tests use a random one.
   */
  constructor(url: string, options: { onError: (error: unknown) => void; timeoutMs: number; prefix?: string | undefined }) {
    this.prefix = options.prefix ?? 'openemploi:rl:'
    const connection = openRedis(url, options)
    this.redis = connection.redis
    this.report = connection.report
    // Seen without traffic too: /health tells the truth on an idle node.
    this.redis.on('ready', () => (this.current = 'shared'))
    this.redis.on('close', () => (this.current = 'fallback'))
    this.redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN })
  }

  get mode(): RateLimiterMode {
    return this.current
  }

  get fallbackDecisions(): FallbackDecisions {
    return { ...this.counts }
  }

  /**
   * Waits for the connection, so startup (and tests) begin on the shared buckets rather than the fallback.
   *
   * @returns whether Redis answered within `timeoutMs`.
   */
  ready(timeoutMs = 1_000): Promise<boolean> {
    if (this.redis.status === 'ready') return Promise.resolve(true)
    return new Promise((resolve) => {
      const onReady = () => {
        clearTimeout(timer)
        resolve(true)
      }
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady)
        resolve(false)
      }, timeoutMs)
      this.redis.once('ready', onReady)
    })
  }

  /** Takes one token from the shared bucket of `key`, or from the local one when Redis fails. */
  async take(key: string, perSecond: number): Promise<RateDecision> {
    try {
      // The command is registered by defineCommand in the constructor; ioredis types cannot know it.
      const command = this.redis as unknown as TakeTokenCommand
      const [allowed, tokens] = await command.takeToken(this.prefix + key, perSecond)
      this.current = 'shared'
      return rateDecision(allowed === 1, Number(tokens), perSecond)
    } catch (error) {
      this.current = 'fallback'
      this.report(error)
      const decision = await this.fallback.take(key, perSecond)
      if (decision.allowed) this.counts.allowed++
      else this.counts.refused++
      return decision
    }
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    await closeRedis(this.redis)
    await this.fallback.close()
  }
}
