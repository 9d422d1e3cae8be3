import { Dictionary } from './columns.js'

/**
 * Numbers for the index terms, shared by feature extraction and the index: documents carry term
 * numbers, so building and searching compare small integers instead of hashing strings.
 */
export const TERMS = new Dictionary()

/** The searchable terms of an offer (numbers of `TERMS`) with their weights, in parallel arrays. */
export interface TermWeights {
  readonly ids: Uint32Array
  readonly weights: Uint8Array
}

/** The weight of a term in an offer, 0 when absent. */
export function weightOf(terms: TermWeights, term: string): number {
  const id = TERMS.get(term)
  if (id === undefined) return 0
  const at = terms.ids.indexOf(id)
  return at < 0 ? 0 : terms.weights[at] ?? 0
}
