import { describe, expect, it } from 'vitest'
import { UnavailableError } from './errors.js'
import { retryWhileUnavailable } from './retry.js'

describe('retryWhileUnavailable', () => {
  it('runs the work again while the store is unavailable, waiting longer each time up to the cap', async () => {
    let runs = 0
    const delays: number[] = []
    const result = await retryWhileUnavailable(
      () => {
        runs++
        return runs < 5 ? Promise.reject(new UnavailableError('down')) : Promise.resolve('loaded')
      },
      { firstDelayMs: 1, maxDelayMs: 4, onRetry: (_error, delayMs) => delays.push(delayMs) },
    )
    expect(result).toBe('loaded')
    expect(runs).toBe(5)
    expect(delays).toEqual([1, 2, 4, 4])
  })

  it('ends at the first other failure: that one will not pass by itself', async () => {
    let runs = 0
    const failure = new Error('rows do not match the declared fields')
    await expect(
      retryWhileUnavailable(
        () => {
          runs++
          return Promise.reject(runs === 1 ? new UnavailableError('down') : failure)
        },
        { firstDelayMs: 1 },
      ),
    ).rejects.toBe(failure)
    expect(runs).toBe(2)
  })
})
