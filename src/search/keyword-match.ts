import type { Postings } from './columns.js'
import type { ExtendedKeyword } from './search-query.js'

/** Documents in increasing order with a weight and whether they matched as written, in parallel arrays. */
interface Matches {
  docs: Uint32Array
  weights: Uint16Array
  literal: Uint8Array
  length: number
}

const EMPTY: Matches = { docs: new Uint32Array(0), weights: new Uint16Array(0), literal: new Uint8Array(0), length: 0 }

/** A score's part for weights: below it, the number of keywords matched as written. */
const TIER = 8192

function fromPostings(postings: Postings | undefined, literal: 0 | 1): Matches {
  if (!postings || postings.length === 0) return EMPTY
  const length = postings.length
  return {
    docs: postings.docs.subarray(0, length),
    weights: Uint16Array.from(postings.weights!.subarray(0, length)),
    literal: new Uint8Array(length).fill(literal),
    length,
  }
}

/** Documents in either list, literal if either is, with the weight of the literal one (else the larger). */
function union(a: Matches, b: Matches): Matches {
  if (b.length === 0) return a
  if (a.length === 0) return b
  const docs = new Uint32Array(a.length + b.length)
  const weights = new Uint16Array(docs.length)
  const literal = new Uint8Array(docs.length)
  let i = 0
  let j = 0
  let at = 0
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a.docs[i]! : Infinity
    const y = j < b.length ? b.docs[j]! : Infinity
    if (x < y) {
      docs[at] = x
      weights[at] = a.weights[i]!
      literal[at++] = a.literal[i++]!
    } else if (y < x) {
      docs[at] = y
      weights[at] = b.weights[j]!
      literal[at++] = b.literal[j++]!
    } else {
      docs[at] = x
      // A term held as written weighs as written: the same document's near spellings add nothing.
      const literalA = a.literal[i]!
      const literalB = b.literal[j]!
      weights[at] = literalA !== literalB ? (literalA ? a.weights[i]! : b.weights[j]!) : Math.max(a.weights[i]!, b.weights[j]!)
      literal[at++] = literalA | literalB
      i++
      j++
    }
  }
  return { docs, weights, literal, length: at }
}

/**
 * Documents in both lists, weights summed. `literal` is, within a keyword (`all`), whether both
 * were matched as written; across keywords (`sum`), how many keywords were.
 */
function intersection(a: Matches, b: Matches, literalMode: 'all' | 'sum'): Matches {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a]
  const docs = new Uint32Array(small.length)
  const weights = new Uint16Array(small.length)
  const literal = new Uint8Array(small.length)
  let at = 0
  let j = 0
  for (let i = 0; i < small.length && j < large.length; i++) {
    const doc = small.docs[i]!
    while (j < large.length && large.docs[j]! < doc) j++
    if (j < large.length && large.docs[j] === doc) {
      docs[at] = doc
      weights[at] = Math.min(65535, small.weights[i]! + large.weights[j]!)
      literal[at++] = literalMode === 'all' ? small.literal[i]! & large.literal[j]! : small.literal[i]! + large.literal[j]!
    }
  }
  return { docs, weights, literal, length: at }
}

/**
 * The candidates of an extended keyword search (`rechercheEtendue`): an offer satisfies a keyword
 * when it holds, for every term of the keyword, the term or one of its near spellings, or when it
 * is classified under an appellation the keyword names; it must satisfy every keyword. Scores
 * rank first the offers satisfying the most keywords as written (every keyword for an exact
 * match), then by the summed weights of the terms held, as a plain keyword search does.
 *
 * @param postingsOf the postings of a term (all documents, live or not: the caller narrows)
 * @param appellationDocs the sorted documents classified under any of some appellations
 */
export function extendedKeywordCandidates(
  keywords: readonly (readonly string[])[],
  extended: readonly ExtendedKeyword[],
  postingsOf: (term: string) => Postings | undefined,
  appellationDocs: (codes: readonly string[]) => Uint32Array,
): { docs: Uint32Array; count: number; scores: Uint16Array } {
  let all: Matches | undefined
  for (const [at, terms] of keywords.entries()) {
    const widened = extended[at]
    let keyword: Matches | undefined
    for (const term of new Set(terms)) {
      let alternatives = fromPostings(postingsOf(term), 1)
      for (const near of widened?.nearTerms[terms.indexOf(term)] ?? []) alternatives = union(alternatives, fromPostings(postingsOf(near), 0))
      keyword = keyword === undefined ? alternatives : intersection(keyword, alternatives, 'all')
    }
    keyword ??= EMPTY
    if (widened && widened.appellations.length > 0) {
      const docs = appellationDocs(widened.appellations)
      keyword = union(keyword, { docs, weights: new Uint16Array(docs.length), literal: new Uint8Array(docs.length), length: docs.length })
    }
    all = all === undefined ? keyword : intersection(all, keyword, 'sum')
    if (all.length === 0) break
  }
  const result = all ?? EMPTY
  const count = result.length
  const docs = result.docs.slice(0, count)
  const scores = new Uint16Array(count)
  for (let i = 0; i < count; i++) scores[i] = result.literal[i]! * TIER + Math.min(TIER - 1, result.weights[i]!)
  return { docs, count, scores }
}
