import { describe, expect, it } from 'vitest'
import { CachedProbe, Readiness } from './readiness.js'

describe('CachedProbe', () => {
  it('reuses a result for its time to live, then checks again', async () => {
    let clock = 0
    let checks = 0
    const probe = new CachedProbe(() => Promise.resolve(++checks), { ttlMs: 1000, timeoutMs: 100, now: () => clock })
    expect(await probe.value()).toBe(1)
    clock = 999
    expect(await probe.value()).toBe(1)
    clock = 1000
    expect(await probe.value()).toBe(2)
  })

  it('runs one check at a time however many probes ask', async () => {
    let checks = 0
    let finish!: (value: number) => void
    const probe = new CachedProbe(() => {
      checks++
      return new Promise<number>((resolve) => (finish = resolve))
    }, { ttlMs: 1000, timeoutMs: 5000 })
    const asks = [probe.value(), probe.value(), probe.value()]
    finish(7)
    expect(await Promise.all(asks)).toEqual([7, 7, 7])
    expect(checks).toBe(1)
  })

  it('a failed check, or one that does not settle in time, gives undefined; a hung one is not started again', async () => {
    const failing = new CachedProbe(() => Promise.reject(new Error('refused')), { ttlMs: 0, timeoutMs: 1000 })
    expect(await failing.value()).toBeUndefined()
    const throwing = new CachedProbe<number>(() => {
      throw new Error('closed')
    }, { ttlMs: 0, timeoutMs: 1000 })
    expect(await throwing.value()).toBeUndefined()
    let checks = 0
    const hung = new CachedProbe(() => {
      checks++
      return new Promise<number>(() => undefined)
    }, { ttlMs: 60_000, timeoutMs: 20 })
    expect(await hung.value()).toBeUndefined()
    // Within the time to live, the timeout's verdict is reused at once.
    expect(await hung.value()).toBeUndefined()
    expect(checks).toBe(1)
  })
})

describe('Readiness', () => {
  const datasets = () => ({ state: 'loading' as const, loaded: 0, total: 6, rows: { loaded: 0, total: 0 }, indexed: false })
  it('is ready when the index is loaded and the store answers, whatever the datasets and the limiter', async () => {
    const ready = new Readiness({ index: () => ({ loaded: true, offres: 1 }), store: () => Promise.resolve(true), datasets, limiterMode: () => 'fallback' })
    expect((await ready.report()).status).toBe('ready')
    const loading = new Readiness({ index: () => ({ loaded: false, offres: 0 }), store: () => Promise.resolve(true), datasets })
    expect((await loading.report()).status).toBe('unavailable')
    const storeless = new Readiness({ index: () => ({ loaded: true, offres: 1 }), store: () => Promise.resolve(false), datasets })
    expect(await storeless.report()).toEqual({ status: 'unavailable', index: { loaded: true, offres: 1 }, store: { reachable: false }, datasets: { state: 'loading', loaded: 0, total: 6, rows: { loaded: 0, total: 0 }, indexed: false } })
  })
})
