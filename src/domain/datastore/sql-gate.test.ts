import { describe, expect, it } from 'vitest'
import { SqlAbandonedError, SqlBusyError } from './datastore-errors.js'
import { SqlGate } from './sql-gate.js'

/** A statement that ends when told to. */
function pending<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((ok, ko) => {
    resolve = ok
    reject = ko
  })
  return { promise, resolve, reject }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('SqlGate', () => {
  it('runs one statement per client: the same client’s second one is busy, another client’s runs', async () => {
    const gate = new SqlGate({ concurrency: 2, queueLength: 2, retryAfterSeconds: 1 })
    const slow = pending<string>()
    const first = gate.run('a', () => slow.promise)
    await expect(gate.run('a', () => Promise.resolve('again'))).rejects.toMatchObject({ status: 429, retryAfterSeconds: 1 })
    await expect(gate.run('b', () => Promise.resolve('b'))).resolves.toBe('b')
    expect(gate.stats).toEqual({ running: 1, queued: 0, stopping: 0, cancelled: 0 })
    slow.resolve('a')
    await expect(first).resolves.toBe('a')
    await expect(gate.run('a', () => Promise.resolve('later'))).resolves.toBe('later')
    expect(gate.stats.running).toBe(0)
  })

  it('queues beyond the slots, in order, and answers busy when the queue is full', async () => {
    const gate = new SqlGate({ concurrency: 1, queueLength: 1, retryAfterSeconds: 2 })
    const slow = pending<number>()
    const order: string[] = []
    const running = gate.run('a', () => slow.promise)
    const queued = gate.run('b', () => {
      order.push('b')
      return Promise.resolve(2)
    })
    await tick()
    expect(gate.stats).toMatchObject({ running: 1, queued: 1 })
    const overflow = gate.run('c', () => Promise.resolve(3))
    await expect(overflow).rejects.toBeInstanceOf(SqlBusyError)
    expect(order).toEqual([])
    slow.resolve(1)
    await expect(running).resolves.toBe(1)
    await expect(queued).resolves.toBe(2)
    expect(gate.stats).toMatchObject({ running: 0, queued: 0 })
  })

  it('frees the slot of a failed statement', async () => {
    const gate = new SqlGate({ concurrency: 1, queueLength: 0, retryAfterSeconds: 1 })
    await expect(gate.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(gate.run('a', () => Promise.resolve('ok'))).resolves.toBe('ok')
  })

  it('keeps a client busy until its abandoned statement has really stopped, without holding a slot', async () => {
    const gate = new SqlGate({ concurrency: 1, queueLength: 0, retryAfterSeconds: 1 })
    const stopped = pending<undefined>()
    await expect(gate.run('a', () => Promise.reject(new SqlAbandonedError(stopped.promise)))).rejects.toMatchObject({ code: '57014' })
    expect(gate.stats).toEqual({ running: 0, queued: 0, stopping: 1, cancelled: 1 })
    await expect(gate.run('a', () => Promise.resolve('again'))).rejects.toBeInstanceOf(SqlBusyError)
    await expect(gate.run('b', () => Promise.resolve('b'))).resolves.toBe('b')
    stopped.resolve(undefined)
    await tick()
    expect(gate.stats.stopping).toBe(0)
    await expect(gate.run('a', () => Promise.resolve('again'))).resolves.toBe('again')
  })

  it('counts statement timeouts as cancelled', async () => {
    const gate = new SqlGate({ concurrency: 1, queueLength: 0, retryAfterSeconds: 1 })
    await expect(gate.run('a', () => Promise.reject(Object.assign(new Error('timeout'), { code: '57014' })))).rejects.toThrow('timeout')
    expect(gate.stats.cancelled).toBe(1)
  })
})
