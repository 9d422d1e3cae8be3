/**
 * Numbers for the index terms, shared by feature extraction and the index: documents carry term
 * numbers, so building and searching compare small integers instead of hashing strings.
 */
export class TermDictionary {
  private readonly numbers = new Map<string, number>()
  private readonly terms: string[] = []

  /** The number of a term, allocated on first sight. */
  intern(term: string): number {
    let number = this.numbers.get(term)
    if (number === undefined) {
      number = this.terms.length
      this.numbers.set(term, number)
      this.terms.push(term)
    }
    return number
  }

  /** The number of a known term, or undefined (a word no offer has ever had). */
  find(term: string): number | undefined {
    return this.numbers.get(term)
  }

  /** The term of a number. */
  termOf(number: number): string {
    const term = this.terms[number]
    if (term === undefined) throw new RangeError(`No term ${number}`)
    return term
  }

  get size(): number {
    return this.terms.length
  }
}

/** The dictionary of this process. */
export const TERMS = new TermDictionary()

/** The searchable terms of an offer (numbers of `TERMS`) with their weights, in parallel arrays. */
export interface TermWeights {
  readonly ids: Uint32Array
  readonly weights: Uint8Array
}

/** The weight of a term in an offer, 0 when absent. */
export function weightOf(terms: TermWeights, term: string): number {
  const id = TERMS.find(term)
  if (id === undefined) return 0
  const at = terms.ids.indexOf(id)
  return at < 0 ? 0 : terms.weights[at] ?? 0
}
