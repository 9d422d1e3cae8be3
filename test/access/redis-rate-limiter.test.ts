import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RedisRateLimiter } from '../../src/storage/redis-rate-limiter.js'

const url = process.env.TEST_REDIS_URL ?? ''
const opened: RedisRateLimiter[] = []

function node(options: { url?: string; prefix?: string; onError?: (error: unknown) => void; timeoutMs?: number } = {}) {
  const limiter = new RedisRateLimiter(options.url ?? url, {
    onError: options.onError ?? ((error) => expect.unreachable(String(error))),
    prefix: options.prefix,
    timeoutMs: options.timeoutMs ?? 250,
  })
  opened.push(limiter)
  return limiter
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((limiter) => limiter.close()))
})

// Needs a real Redis, which a plain `npm test` may not have; `.ci/run` sets TEST_REDIS_URL=redis://127.0.0.1:6379.
describe.skipIf(!process.env.TEST_REDIS_URL)('RedisRateLimiter', () => {
  it('shares one bucket between nodes', async () => {
    // A random prefix per test keeps parallel runs on the same Redis apart.
    const prefix = `openemploi:test:${randomUUID()}:`
    const nodes = [node({ prefix }), node({ prefix })]
    for (const limiter of nodes) expect(await limiter.ready()).toBe(true)

    // One call a second: the other node's calls come within that second, whatever the machine's
    // load (at ten a second, a round trip slower than 100 ms refilled a token and failed the test).
    expect(await nodes[0]?.take('client:offres', 1)).toMatchObject({ allowed: true, remaining: 0 })
    for (const limiter of nodes) {
      expect(await limiter.take('client:offres', 1)).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 })
    }

    await new Promise((resolve) => setTimeout(resolve, 1_100))
    expect(await nodes[1]?.take('client:offres', 1)).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('fails open on the local bucket when Redis cannot be reached, reporting once', async () => {
    const onError = vi.fn()
    // A timeout longer than the test's own: a take that waited for Redis would fail the test by
    // its timeout, whatever the machine's speed; failing open must not wait at all.
    const limiter = node({ url: 'redis://127.0.0.1:6390', onError, timeoutMs: 600_000 })
    const decisions = []
    for (let i = 0; i < 5; i++) decisions.push(await limiter.take('client:offres', 10))
    expect(decisions.every((d) => d.allowed)).toBe(true)
    expect(decisions.map((d) => d.remaining)).toEqual([9, 8, 7, 6, 5])
    expect(onError).toHaveBeenCalledTimes(1)
  })
})
