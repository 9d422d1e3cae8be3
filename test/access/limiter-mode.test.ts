import { randomUUID } from 'node:crypto'
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MemoryRateLimiter } from '../../src/domain/access/rate-limiter.js'
import { RedisRateLimiter } from '../../src/storage/redis-rate-limiter.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** The limiter's mode (local, shared, fallback) and its fallback counters, as /health and the metrics read them. */

const opened: RedisRateLimiter[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((limiter) => limiter.close()))
})

function redisLimiter(url: string, options: { timeoutMs: number; prefix?: string }): RedisRateLimiter {
  const limiter = new RedisRateLimiter(url, { onError: () => undefined, ...options })
  opened.push(limiter)
  return limiter
}

/** A TCP port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * A TCP relay to Redis that can hold what clients send: a Redis that is up but does not answer in
 * time, as under CPU load. Held bytes are sent on release, so replies stay in order.
 */
class HoldingRelay {
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private held = false
  private readonly waiting: (() => void)[] = []

  constructor(private readonly target: URL) {
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('error', () => socket.destroy())
        socket.on('close', () => this.sockets.delete(socket))
      }
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
      upstream.pipe(client)
      client.on('data', (chunk: Buffer) => {
        if (this.held) this.waiting.push(() => upstream.write(chunk))
        else upstream.write(chunk)
      })
    })
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    return `redis://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  hold(): void {
    this.held = true
  }

  release(): void {
    this.held = false
    for (const send of this.waiting.splice(0)) send()
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

describe('rate limiter mode', () => {
  it('is local without Redis, with no fallback decisions', async () => {
    const limiter = new MemoryRateLimiter()
    await limiter.take('client:offres', 10)
    expect(limiter.mode).toBe('local')
    expect(limiter.fallbackDecisions).toEqual({ allowed: 0, refused: 0 })
  })

  it('is fallback while Redis cannot be reached, and counts the decisions taken per process', async () => {
    const limiter = redisLimiter(`redis://127.0.0.1:${await closedPort()}`, { timeoutMs: 100 })
    expect(await limiter.ready(200)).toBe(false)
    for (let i = 0; i < 3; i++) expect((await limiter.take('client:offres', 2)).allowed).toBe(i < 2)
    expect(limiter.mode).toBe('fallback')
    expect(limiter.fallbackDecisions).toEqual({ allowed: 2, refused: 1 })
  })

  describe('in /health', () => {
    let local: TestApp
    let failing: TestApp
    beforeAll(async () => {
      local = await createTestApp()
      const limiter = new RedisRateLimiter(`redis://127.0.0.1:${await closedPort()}`, { onError: () => undefined, timeoutMs: 100 })
      failing = await createTestApp({ limiter })
      await failing.reload()
    })
    afterAll(async () => {
      await local.close()
      await failing.close()
    })

    it('shows the mode beside the status, whatever the status', async () => {
      const loading = await local.app.inject('/health')
      expect(loading.statusCode).toBe(503)
      expect(loading.json()).toEqual({ status: 'loading', limiteur: 'local' })
      const ready = await failing.app.inject('/health')
      // Failing open: a failing Redis degrades the limits, not the service.
      expect(ready.statusCode).toBe(200)
      expect(ready.json()).toEqual({ status: 'ok', offres: 0, limiteur: 'fallback' })
    })
  })

  const url = process.env.TEST_REDIS_URL
  // Needs a real Redis, which a plain `npm test` may not have; `.ci/run` sets TEST_REDIS_URL=redis://127.0.0.1:6379.
  describe.skipIf(!url)('with a real Redis', () => {
    let relay: HoldingRelay
    beforeAll(() => {
      relay = new HoldingRelay(new URL(url ?? ''))
    })
    afterAll(() => relay.close())

    it('goes to fallback when Redis does not answer within the timeout, and back to shared when it answers', async () => {
      const limiter = redisLimiter(await relay.listen(), { timeoutMs: 100, prefix: `openemploi:test:${randomUUID()}:` })
      expect(await limiter.ready()).toBe(true)
      expect(limiter.mode).toBe('shared')
      expect(await limiter.take('client:offres', 10)).toMatchObject({ allowed: true, remaining: 9 })
      expect(limiter.mode).toBe('shared')

      relay.hold()
      // The local bucket is a fresh one: the shared one's count is not known here.
      expect(await limiter.take('client:offres', 10)).toMatchObject({ allowed: true, remaining: 9 })
      expect(limiter.mode).toBe('fallback')
      expect(limiter.fallbackDecisions).toEqual({ allowed: 1, refused: 0 })

      relay.release()
      expect(await limiter.take('client:offres', 10)).toMatchObject({ allowed: true })
      expect(limiter.mode).toBe('shared')
      expect(limiter.fallbackDecisions).toEqual({ allowed: 1, refused: 0 })
    })
  })
})
