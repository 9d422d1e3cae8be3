import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { editDistance, FuzzyKeys, prefixDistance } from './fuzzy-keys.js'

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e'), minLength: 0, maxLength: 7 })

/** The keys found within `limit`, with their distance, as sorted "key:value:distance" strings. */
function near(keys: FuzzyKeys, query: string, limit: number): string[] {
  const found = new Map<number, number>()
  keys.forEachNear(query, limit, (position, distance) => found.set(position, Math.min(distance, found.get(position) ?? Infinity)))
  return [...found].map(([position, distance]) => `${keys.keyAt(position)}:${keys.valueAt(position)}:${distance}`).sort()
}

function prefixNear(keys: FuzzyKeys, query: string, limit: number): string[] {
  const found = new Map<number, number>()
  keys.forEachPrefixNear(query, limit, (from, to, distance) => {
    for (let position = from; position < to; position++) found.set(position, Math.min(distance, found.get(position) ?? Infinity))
  })
  return [...found].map(([position, distance]) => `${keys.keyAt(position)}:${keys.valueAt(position)}:${distance}`).sort()
}

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit each', () => {
    expect(editDistance('infirmier', 'infirmier')).toBe(0)
    expect(editDistance('infirmeir', 'infirmier')).toBe(1)
    expect(editDistance('devloppeur', 'developpeur')).toBe(1)
    expect(editDistance('electricein', 'electricien')).toBe(1)
    expect(editDistance('comptabel', 'comptable')).toBe(1)
    expect(editDistance('cuisnier', 'cuisinier')).toBe(1)
    expect(editDistance('chat', 'chien')).toBe(3)
    expect(editDistance('chat', 'chien', 1)).toBe(2)
    expect(editDistance('', 'abc')).toBe(3)
  })

  it('measures the nearest prefix of a key', () => {
    expect(prefixDistance('infirmier', 'infir')).toBe(0)
    expect(prefixDistance('infirmier', 'infri')).toBe(1)
    expect(prefixDistance('infirmier', 'xyz', 1)).toBe(2)
  })
})

describe('FuzzyKeys', () => {
  it('finds the keys within the distance, as a scan of every key would', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), fc.nat({ max: 30 }), word, fc.integer({ min: 0, max: 2 }), (list, split, query, limit) => {
        const keys = new FuzzyKeys()
        // Some keys folded into the trie, the others still aside.
        list.slice(0, split).forEach((key, value) => keys.add(key, value))
        keys.compact()
        list.slice(split).forEach((key, value) => keys.add(key, split + value))
        const expected = list
          .map((key, value) => ({ key, value, distance: editDistance(key, query, limit) }))
          .filter((item) => item.distance <= limit)
          .map((item) => `${item.key}:${item.value}:${item.distance}`)
          .sort()
        expect(near(keys, query, limit)).toEqual(expected)
        const expectedPrefix = list
          .map((key, value) => ({ key, value, distance: limit === 0 || query === '' ? (key.startsWith(query) ? 0 : 1) : prefixDistance(key, query, limit) }))
          .filter((item) => item.distance <= limit)
          .map((item) => `${item.key}:${item.value}:${item.distance}`)
          .sort()
        expect(prefixNear(keys, query, limit)).toEqual(expectedPrefix)
      }),
      { numRuns: 500 },
    )
  })

  it('lists the keys with a prefix', () => {
    const keys = new FuzzyKeys()
    for (const [value, key] of ['infirmier', 'infirmiere', 'informaticien', 'agent'].entries()) keys.add(key, value)
    keys.compact()
    keys.add('infirme', 4)
    const found: string[] = []
    keys.forEachWithPrefix('infirm', (from, to) => {
      for (let at = from; at < to; at++) found.push(keys.keyAt(at))
    })
    expect(found.sort()).toEqual(['infirme', 'infirmier', 'infirmiere'])
  })
})
