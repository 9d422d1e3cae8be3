import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Postings } from './columns.js'
import { extendedKeywordCandidates } from './keyword-match.js'
import type { ExtendedKeyword } from './search-query.js'

const TERMS = ['a', 'b', 'c', 'd', 'e']
const APPELLATIONS = ['1', '2', '3']

interface Doc {
  readonly terms: ReadonlyMap<string, number>
  readonly appellations: readonly string[]
}

const doc = fc.record({
  terms: fc.dictionary(fc.constantFrom(...TERMS), fc.integer({ min: 1, max: 20 }), { maxKeys: 4 }).map((record) => new Map(Object.entries(record))),
  appellations: fc.subarray(APPELLATIONS, { maxLength: 2 }),
})
const keyword = fc.array(fc.constantFrom(...TERMS), { minLength: 1, maxLength: 2 })

describe('extendedKeywordCandidates', () => {
  it('keeps the offers satisfying every keyword, exact matches first, as a scan would', () => {
    fc.assert(
      fc.property(
        fc.array(doc, { maxLength: 40 }),
        fc.array(keyword, { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ near: fc.subarray(TERMS, { maxLength: 2 }), appellations: fc.subarray(APPELLATIONS, { maxLength: 2 }) }), {
          minLength: 3,
          maxLength: 3,
        }),
        (docs: Doc[], keywords, widening) => {
          const postings = new Map<string, Postings>()
          docs.forEach((item, number) => {
            for (const [term, weight] of item.terms) {
              const list = postings.get(term) ?? new Postings(true)
              list.push(number, weight)
              postings.set(term, list)
            }
          })
          const extended: ExtendedKeyword[] = keywords.map((terms, at) => ({
            nearTerms: terms.map(() => widening[at]!.near),
            appellations: widening[at]!.appellations,
          }))
          const appellationDocs = (codes: readonly string[]) =>
            Uint32Array.from(docs.flatMap((item, number) => (item.appellations.some((code) => codes.includes(code)) ? [number] : [])))
          const { docs: found, count, scores } = extendedKeywordCandidates(keywords, extended, (term) => postings.get(term), appellationDocs)
          // The slow way: per keyword, as written, through near spellings, or through an appellation.
          const expected: { number: number; exact: number }[] = []
          docs.forEach((item, number) => {
            let exact = 0
            for (const [at, terms] of keywords.entries()) {
              const distinct = [...new Set(terms)]
              const literal = distinct.every((term) => item.terms.has(term))
              const near = distinct.every((term) => item.terms.has(term) || extended[at]!.nearTerms[0]!.some((other) => item.terms.has(other)))
              const named = item.appellations.some((code) => extended[at]!.appellations.includes(code))
              if (!literal && !near && !named) return
              if (literal) exact++
            }
            expected.push({ number, exact })
          })
          expect([...found.subarray(0, count)]).toEqual(expected.map((item) => item.number))
          for (const [at, item] of expected.entries()) {
            expect(Math.floor(scores[at]! / 8192), `tier of ${item.number}`).toBe(item.exact)
            if (item.exact === keywords.length) {
              // An exact match weighs what a plain keyword search gives it.
              const plain = keywords.reduce((sum, terms) => sum + [...new Set(terms)].reduce((inner, term) => inner + (docs[item.number]!.terms.get(term) ?? 0), 0), 0)
              expect(scores[at]! % 8192, `weight of ${item.number}`).toBe(plain)
            }
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
