import { describe, expect, it } from 'vitest'
import { UnavailableError } from '../../shared/errors.js'
import { UsageRecorder, lastDays, type CallCount, type UsageRepository } from './usage.js'

/** A store that fails when told to, and keeps what it was given otherwise. */
class FlakyUsage implements UsageRepository {
  readonly written: CallCount[] = []
  failNext = false

  add(counts: readonly CallCount[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false
      return Promise.reject(new Error('store unavailable'))
    }
    this.written.push(...counts)
    return Promise.resolve()
  }

  apiDaily(): Promise<never[]> {
    return Promise.resolve([])
  }

  clientDaily(): Promise<never[]> {
    return Promise.resolve([])
  }
}

const call = { clientId: 'PAR_a', api: 'offresdemploiv2', route: '/offres/search', status: 200 }
const total = (counts: readonly CallCount[]) => counts.reduce((sum, count) => sum + count.calls, 0)

describe('UsageRecorder', () => {
  it('keeps the counts of a failed flush for the next one, merged with those counted meanwhile', async () => {
    const store = new FlakyUsage()
    const errors: unknown[] = []
    const recorder = new UsageRecorder(store, { now: () => Date.parse('2026-11-28T12:00:00Z'), onError: (error) => errors.push(error) })
    for (let i = 0; i < 3; i++) recorder.record(call)
    store.failNext = true
    await recorder.flush()
    expect(errors).toHaveLength(1)
    expect(store.written).toEqual([])
    recorder.record(call)
    await recorder.flush()
    expect(store.written).toEqual([{ day: '2026-11-28', ...call, calls: 4 }])
  })

  it('retries on its own timer until the store takes the counts, each counted once', async () => {
    const store = new FlakyUsage()
    let failures = 3
    const add = store.add.bind(store)
    store.add = (counts) => (failures-- > 0 ? Promise.reject(new UnavailableError('store unreachable')) : add(counts))
    const recorder = new UsageRecorder(store, { flushIntervalMs: 5, now: () => Date.parse('2026-11-28T12:00:00Z') })
    recorder.start()
    for (let i = 0; i < 7; i++) recorder.record(call)
    while (store.written.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    await recorder.close()
    expect(failures).toBeLessThan(0)
    expect(total(store.written)).toBe(7)
  })

  it('writes what is left when closed: nothing counted is lost on a clean shutdown', async () => {
    const store = new FlakyUsage()
    const recorder = new UsageRecorder(store, { flushIntervalMs: 3_600_000 })
    recorder.start()
    recorder.record(call)
    recorder.record({ ...call, status: 429 })
    await recorder.close()
    expect(total(store.written)).toBe(2)
  })

  it('counts per UTC day', async () => {
    let now = Date.parse('2026-11-28T23:59:59Z')
    const store = new FlakyUsage()
    const recorder = new UsageRecorder(store, { now: () => now })
    recorder.record(call)
    now += 2000
    recorder.record(call)
    await recorder.flush()
    expect(store.written.map((count) => [count.day, count.calls])).toEqual([
      ['2026-11-28', 1],
      ['2026-11-29', 1],
    ])
  })
})

describe('lastDays', () => {
  it('lists the days ending with today, oldest first', () => {
    expect(lastDays(Date.parse('2026-03-01T08:00:00Z'), 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01'])
  })
})
