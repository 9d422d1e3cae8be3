/** What a limiter decided for one call. */
export interface RateDecision {
  readonly allowed: boolean
  /** Bucket capacity = calls per second allowed (burst). */
  readonly limit: number
  /** Whole calls left in the bucket after this call (0 when refused). */
  readonly remaining: number
  /** Seconds until one more call is allowed (0 when remaining > 0); an integer ≥ 1 when refused. */
  readonly retryAfterSeconds: number
  /** Seconds until the bucket is full again (integer, ≥ 0). */
  readonly resetSeconds: number
}

/**
 * Where a limiter's decisions are taken: `local` in this process (no shared store configured),
 * `shared` by the store every node uses (Redis answering), `fallback` in this process because the
 * configured shared store is failing (each node then limits on its own).
 */
export const RATE_LIMITER_MODES = ['local', 'shared', 'fallback'] as const
export type RateLimiterMode = (typeof RATE_LIMITER_MODES)[number]

/** Decisions taken in fallback mode since the start (counters: they only grow). */
export interface FallbackDecisions {
  readonly allowed: number
  readonly refused: number
}

/** Takes one token from the bucket of `key` (e.g. `${clientId}:${api}`), whose capacity and refill rate are `perSecond`. */
export interface RateLimiter {
  /** The mode of the latest decision (or of the connection, before any). */
  readonly mode: RateLimiterMode
  readonly fallbackDecisions: FallbackDecisions
  take(key: string, perSecond: number): Promise<RateDecision>
  close(): Promise<void>
}

const NO_FALLBACK: FallbackDecisions = Object.freeze({ allowed: 0, refused: 0 })

// Refill is fractional: without a tolerance, 0.1 s × 10/s could land a hair under one token.
const EPSILON = 1e-9

/**
 * Turns the tokens left in a bucket after a call into the decision reported to the client.
 * Shared by every limiter so they all round the same way.
 *
 * @param tokens fractional tokens in the bucket after the call (already debited when allowed).
 */
export function rateDecision(allowed: boolean, tokens: number, perSecond: number): RateDecision {
  const left = Math.max(0, tokens)
  const remaining = allowed ? Math.floor(left + EPSILON) : 0
  const untilNext = remaining > 0 ? 0 : Math.max(1, Math.ceil((1 - left) / perSecond - EPSILON))
  const untilFull = Math.max(0, Math.ceil((perSecond - left) / perSecond - EPSILON))
  return { allowed, limit: perSecond, remaining, retryAfterSeconds: untilNext, resetSeconds: untilFull }
}

function debit(tokens: number): { allowed: boolean; tokens: number } {
  return tokens + EPSILON >= 1 ? { allowed: true, tokens: Math.max(0, tokens - 1) } : { allowed: false, tokens }
}

interface Bucket {
  tokens: number
  /** Clock reading (ms) when `tokens` was measured. */
  at: number
  perSecond: number
}

function refilled(bucket: Bucket, now: number, perSecond: number): number {
  // A clock stepping backwards must not drain the bucket.
  const elapsed = Math.max(0, now - bucket.at) / 1000
  return Math.min(perSecond, bucket.tokens + elapsed * perSecond)
}

/**
 * Token buckets held in this process. Right for a single node, and the fallback of shared limiters.
 * Memory stays bounded: a bucket that is full again is the same as no bucket, so it is dropped first;
 * beyond `maxKeys` the least recently used buckets go too (those clients get a fresh, full bucket).
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly mode = 'local'
  readonly fallbackDecisions = NO_FALLBACK
  /** Insertion order is recency order: every take moves its key to the end. */
  private readonly buckets = new Map<string, Bucket>()
  private readonly now: () => number
  private readonly maxKeys: number

  /**
   * @param options.now clock in milliseconds (default Date.now), injectable so tests never sleep.
   * @param options.maxKeys buckets kept at most (default 100 000).
   */
  constructor(options: { now?: () => number; maxKeys?: number } = {}) {
    this.now = options.now ?? Date.now
    this.maxKeys = Math.max(1, options.maxKeys ?? 100_000)
  }

  /** Buckets currently held; for tests and metrics. */
  get size(): number {
    return this.buckets.size
  }

  /** Takes one token from the bucket of `key`, creating it full if absent. */
  take(key: string, perSecond: number): Promise<RateDecision> {
    const now = this.now()
    const bucket = this.buckets.get(key)
    if (bucket) this.buckets.delete(key)
    else if (this.buckets.size >= this.maxKeys) this.makeRoom(now)
    const result = debit(bucket ? refilled(bucket, now, perSecond) : perSecond)
    this.buckets.set(key, { tokens: result.tokens, at: now, perSecond })
    return Promise.resolve(rateDecision(result.allowed, result.tokens, perSecond))
  }

  /** Forgets every bucket. */
  close(): Promise<void> {
    this.buckets.clear()
    return Promise.resolve()
  }

  private makeRoom(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (refilled(bucket, now, bucket.perSecond) + EPSILON >= bucket.perSecond) this.buckets.delete(key)
    }
    // Still crowded: shed a tenth at once, so the next full sweep is maxKeys/10 new keys away
    // and the cost per call stays constant even under a flood of distinct keys.
    const target = Math.floor(this.maxKeys * 0.9)
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break
      this.buckets.delete(key)
    }
  }
}

/** The headers every API response carries: the original API's, then the IETF draft's structured fields. */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const limit = String(decision.limit)
  const remaining = String(decision.remaining)
  const headers: Record<string, string> = {
    'X-Ratelimit-Burst-Capacity-Clientidlimiter': limit,
    'X-Ratelimit-Replenish-Rate-Clientidlimiter': limit,
    'X-Ratelimit-Remaining-Clientidlimiter': remaining,
    'X-Ratelimit-Requested-Tokens-Clientidlimiter': '1',
    'RateLimit-Policy': `"clientidlimiter";q=${limit};w=1`,
    RateLimit: `"clientidlimiter";r=${remaining};t=${decision.resetSeconds}`,
  }
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds)
  return headers
}
