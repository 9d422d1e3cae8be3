import { createServer, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AttemptCounter } from '../../src/domain/access/sign-in-throttle.js'
import { RedisAttemptCounter } from '../../src/storage/redis-attempt-counter.js'
import { SqlAttemptCounter } from '../../src/storage/sql-attempt-counter.js'
import { testDatabases } from '../support/databases.js'

/** The shared counters of sign-in attempts: atomic under concurrency, and never lost to a Redis outage. */

const WINDOW = 15 * 60_000

for (const store of testDatabases()) {
  describe(`sign-in attempt counters in ${store.name}`, () => {
    let database: Awaited<ReturnType<typeof store.open>>
    beforeAll(async () => {
      database = await store.open()
    })
    afterAll(() => database.drop())

    it('counts concurrent attempts one by one, so none slips through between a check and a count', async () => {
      const counter = new SqlAttemptCounter(database.db)
      const counts = await Promise.all(Array.from({ length: 12 }, () => counter.increment(['a:concurrent', 'c:concurrent'], WINDOW)))
      expect(counts.map(([address]) => address?.attempts).sort((a = 0, b = 0) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    })

    it('starts a new window once the last one has ended, and forgets ended windows', async () => {
      let now = Date.now()
      const counter = new SqlAttemptCounter(database.db, () => now)
      expect(await counter.increment(['a:window'], WINDOW)).toEqual([{ attempts: 1, resetMs: WINDOW }])
      now += 60_000
      expect(await counter.increment(['a:window'], WINDOW)).toEqual([{ attempts: 2, resetMs: WINDOW - 60_000 }])
      await counter.decrement('a:window')
      expect(await counter.increment(['a:window'], WINDOW)).toEqual([{ attempts: 2, resetMs: WINDOW - 60_000 }])
      now += WINDOW
      expect(await counter.increment(['a:window'], WINDOW)).toEqual([{ attempts: 1, resetMs: WINDOW }])
      await counter.reset('a:window')
      expect(await counter.increment(['a:window'], WINDOW)).toEqual([{ attempts: 1, resetMs: WINDOW }])
    })
  })
}

describe('sign-in attempt counters in Redis, when Redis cannot be reached', () => {
  it('count in the fallback (the store) meanwhile, and report the failure', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const counts = new Map<string, number>()
    const fallback: AttemptCounter = {
      increment: (keys) =>
        Promise.resolve(
          keys.map((key) => {
            counts.set(key, (counts.get(key) ?? 0) + 1)
            return { attempts: counts.get(key) ?? 0, resetMs: WINDOW }
          }),
        ),
      decrement: (key) => Promise.resolve(void counts.set(key, Math.max(0, (counts.get(key) ?? 0) - 1))),
      reset: (key) => Promise.resolve(void counts.delete(key)),
      close: () => Promise.resolve(),
    }
    const onError = vi.fn()
    const counter = new RedisAttemptCounter(`redis://127.0.0.1:${port}`, { timeoutMs: 100, onError, fallback })
    try {
      expect((await counter.increment(['a:outage', 'c:outage'], WINDOW)).map((count) => count.attempts)).toEqual([1, 1])
      expect((await counter.increment(['a:outage', 'c:outage'], WINDOW)).map((count) => count.attempts)).toEqual([2, 2])
      await counter.decrement('a:outage')
      await counter.reset('c:outage')
      expect(counts).toEqual(new Map([['a:outage', 1]]))
      // Reported once per incident, not once per call.
      expect(onError).toHaveBeenCalledTimes(1)
    } finally {
      await counter.close()
    }
  })
})
