import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Bitset } from './bitset.js'

describe('Bitset', () => {
  it('lists its members in increasing order, once each', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 999 })), (values) => {
        const set = new Bitset(1000)
        set.addAll(values)
        expect([...set.toArray()]).toEqual([...new Set(values)].sort((a, b) => a - b))
        for (const value of values) expect(set.has(value)).toBe(true)
      }),
      { seed: 11 },
    )
  })

  it('handles the highest bit of a word', () => {
    const set = new Bitset(64)
    set.addAll([31, 32, 63, 0])
    expect([...set.toArray()]).toEqual([0, 31, 32, 63])
  })
})
