import { describe, expect, it } from 'vitest'
import { MemoryRateLimiter, rateLimitHeaders } from './rate-limiter.js'

/** A limiter on a hand-driven clock, so no test sleeps. */
function limiterAt(start = 1_000_000, maxKeys?: number) {
  const clock = { ms: start }
  const limiter = new MemoryRateLimiter({ now: () => clock.ms, maxKeys })
  return { clock, limiter }
}

async function takeMany(limiter: MemoryRateLimiter, key: string, perSecond: number, count: number) {
  const decisions = []
  for (let i = 0; i < count; i++) decisions.push(await limiter.take(key, perSecond))
  return decisions
}

describe('MemoryRateLimiter', () => {
  it('allows a burst of perSecond calls, then refuses with Retry-After 1', async () => {
    const { limiter } = limiterAt()
    const burst = await takeMany(limiter, 'client:offres', 10, 10)
    expect(burst.every((d) => d.allowed)).toBe(true)
    expect(burst.map((d) => d.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    expect(burst[0]).toEqual({ allowed: true, limit: 10, remaining: 9, retryAfterSeconds: 0, resetSeconds: 1 })
    expect(await limiter.take('client:offres', 10)).toEqual({
      allowed: false,
      limit: 10,
      remaining: 0,
      retryAfterSeconds: 1,
      resetSeconds: 1,
    })
  })

  it('refills continuously: one call after 100 ms, full again after 1 s', async () => {
    const { clock, limiter } = limiterAt()
    await takeMany(limiter, 'k', 10, 11)
    clock.ms += 100
    expect((await limiter.take('k', 10)).allowed).toBe(true)
    expect((await limiter.take('k', 10)).allowed).toBe(false)
    clock.ms += 1_000
    const refilled = await takeMany(limiter, 'k', 10, 11)
    expect(refilled[0]?.remaining).toBe(9)
    expect(refilled.filter((d) => d.allowed)).toHaveLength(10)
  })

  it('keeps keys independent', async () => {
    const { limiter } = limiterAt()
    await takeMany(limiter, 'a', 10, 11)
    expect(await limiter.take('b', 10)).toMatchObject({ allowed: true, remaining: 9 })
    expect((await limiter.take('a', 10)).allowed).toBe(false)
  })

  it('takes the rate per call', async () => {
    const { clock, limiter } = limiterAt()
    const decisions = await takeMany(limiter, 'slow', 2, 3)
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false])
    expect(decisions[2]).toMatchObject({ limit: 2, remaining: 0, retryAfterSeconds: 1 })
    clock.ms += 500
    expect((await limiter.take('slow', 2)).allowed).toBe(true)
  })

  it('drops full buckets first, so a flood of keys neither grows memory nor frees an exhausted client', async () => {
    const { clock, limiter } = limiterAt(0, 10)
    await takeMany(limiter, 'hot', 1, 1)
    for (let i = 0; i < 100; i++) {
      // Each 1000/s bucket is full again 1 ms later, while 'hot' (1/s) stays empty for the whole loop.
      await limiter.take(`cold-${i}`, 1_000)
      clock.ms += 1
      expect(limiter.size).toBeLessThanOrEqual(10)
    }
    expect((await limiter.take('hot', 1)).allowed).toBe(false)
  })

  it('sheds the least recently used buckets when none is full', async () => {
    const { limiter } = limiterAt(0, 3)
    for (const key of ['a', 'b', 'c', 'd', 'e']) await takeMany(limiter, key, 1, 1)
    expect(limiter.size).toBeLessThanOrEqual(3)
    expect((await limiter.take('e', 1)).allowed).toBe(false)
    // 'a' was forgotten: it starts over with a full bucket rather than an error.
    expect((await limiter.take('a', 1)).allowed).toBe(true)
  })
})

describe('rateLimitHeaders', () => {
  it('reports an allowed call', () => {
    expect(rateLimitHeaders({ allowed: true, limit: 10, remaining: 7, retryAfterSeconds: 0, resetSeconds: 1 })).toEqual({
      'X-Ratelimit-Burst-Capacity-Clientidlimiter': '10',
      'X-Ratelimit-Replenish-Rate-Clientidlimiter': '10',
      'X-Ratelimit-Remaining-Clientidlimiter': '7',
      'X-Ratelimit-Requested-Tokens-Clientidlimiter': '1',
      'RateLimit-Policy': '"clientidlimiter";q=10;w=1',
      RateLimit: '"clientidlimiter";r=7;t=1',
    })
  })

  it('adds Retry-After to a refused call', () => {
    expect(rateLimitHeaders({ allowed: false, limit: 2, remaining: 0, retryAfterSeconds: 1, resetSeconds: 1 })).toEqual({
      'X-Ratelimit-Burst-Capacity-Clientidlimiter': '2',
      'X-Ratelimit-Replenish-Rate-Clientidlimiter': '2',
      'X-Ratelimit-Remaining-Clientidlimiter': '0',
      'X-Ratelimit-Requested-Tokens-Clientidlimiter': '1',
      'RateLimit-Policy': '"clientidlimiter";q=2;w=1',
      RateLimit: '"clientidlimiter";r=0;t=1',
      'Retry-After': '1',
    })
  })
})
