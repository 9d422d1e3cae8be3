import { Random } from '../../src/ingest/demo/random.js'

/**
 * The misspelled keyword queries of `npm run bench:typos` and `npm run bench:peers` (issue 14,
 * point 1): keyword queries drawn from offer titles, each with one random edit to one of its words
 * of at least 5 letters. Deterministic: the same titles and seed give the same queries.
 */

/** The four single edits of the Damerau–Levenshtein distance (a transposition swaps two neighbours). */
export const EDIT_KINDS = ['insertion', 'deletion', 'substitution', 'transposition'] as const
export type EditKind = (typeof EDIT_KINDS)[number]

/** Shortest word that gets a typo: below 5 letters the issue asks for no correction. */
export const MIN_TYPO_LETTERS = 5

/** Letters a typo inserts or substitutes: what a French keyboard types without a dead key. */
const ALPHABET = [...'abcdefghijklmnopqrstuvwxyz']

/** A word of a query: a run of letters (so "aide-soignant" holds "aide" and "soignant"). */
const WORD = /\p{L}+/gu

/** A query and its misspelled form. */
export interface Misspelling {
  /** The `motsCles` value as drawn (it finds offers). */
  readonly original: string
  /** The same value with one edit to one word. */
  readonly misspelled: string
  /** The word edited, and what it became. */
  readonly word: string
  readonly typo: string
  readonly edit: EditKind
}

/** The shapes of keyword queries clients send: one word, a phrase of two, two keywords. */
export type QueryShape = 'word' | 'phrase' | 'keywords'

/** A drawn keyword query with its shape. */
export interface KeywordQuery {
  readonly motsCles: string
  readonly shape: QueryShape
}

const letters = (word: string) => [...word].length

/**
 * `word` with one edit of the given kind at a random place, or `word` itself when the edit is
 * impossible (a transposition in a word whose neighbouring letters are all equal).
 */
export function editWord(word: string, edit: EditKind, random: Random): string {
  const chars = [...word]
  switch (edit) {
    case 'insertion':
      chars.splice(random.int(0, chars.length), 0, random.pick(ALPHABET))
      break
    case 'deletion':
      chars.splice(random.int(0, chars.length - 1), 1)
      break
    case 'substitution': {
      const at = random.int(0, chars.length - 1)
      chars[at] = random.pick(ALPHABET.filter((letter) => letter !== chars[at]))
      break
    }
    case 'transposition': {
      const places = chars.slice(0, -1).flatMap((char, at) => (char !== chars[at + 1] ? [at] : []))
      if (places.length === 0) return word
      const at = random.pick(places)
      const left = chars[at] ?? ''
      chars[at] = chars[at + 1] ?? ''
      chars[at + 1] = left
      break
    }
  }
  return chars.join('')
}

/**
 * One edit to one word of at least {@link MIN_TYPO_LETTERS} letters of `query`, or undefined
 * when it has no such word or no attempt is accepted. `accept` rejects edits that are no typo for
 * the caller (one the text analysis undoes, such as an added plural "s").
 */
export function misspellQuery(
  query: string,
  random: Random,
  accept: (word: string, typo: string) => boolean = () => true,
  attempts = 20,
): Misspelling | undefined {
  const words = [...query.matchAll(WORD)].filter((match) => letters(match[0]) >= MIN_TYPO_LETTERS)
  if (words.length === 0) return undefined
  for (let attempt = 0; attempt < attempts; attempt++) {
    const chosen = random.pick(words)
    const edit = random.pick(EDIT_KINDS)
    const typo = editWord(chosen[0], edit, random)
    if (typo === chosen[0] || !accept(chosen[0], typo)) continue
    const at = chosen.index
    return {
      original: query,
      misspelled: query.slice(0, at) + typo + query.slice(at + chosen[0].length),
      word: chosen[0],
      typo,
      edit,
    }
  }
  return undefined
}

/**
 * Distinct keyword queries drawn from titles, as a job seeker types them (lower case, accents as
 * in the title): one word (60 %), two neighbouring words as one keyword (25 %), two words as two
 * keywords (15 %). Each holds a word of at least {@link MIN_TYPO_LETTERS} letters; words that
 * `isStopWord` rejects and one-letter words ("H/F") are never drawn. Stops after `count` queries
 * or `count × 20` draws.
 */
export function drawKeywordQueries(
  titles: readonly string[],
  options: { readonly count: number; readonly seed: string; readonly isStopWord: (word: string) => boolean },
): KeywordQuery[] {
  const random = Random.from(options.seed)
  const seen = new Set<string>()
  const queries: KeywordQuery[] = []
  for (let draw = 0; draw < options.count * 20 && queries.length < options.count; draw++) {
    const title = random.pick(titles).toLowerCase()
    const words = [...title.matchAll(WORD)].map((match) => match[0]).filter((word) => letters(word) >= 2 && !options.isStopWord(word))
    if (words.length === 0) continue
    const roll = random.next()
    const shape: QueryShape = words.length < 2 || roll < 0.6 ? 'word' : roll < 0.85 ? 'phrase' : 'keywords'
    const at = random.int(0, words.length - (shape === 'word' ? 1 : 2))
    const chosen = words.slice(at, at + (shape === 'word' ? 1 : 2))
    if (!chosen.some((word) => letters(word) >= MIN_TYPO_LETTERS)) continue
    const motsCles = chosen.join(shape === 'keywords' ? ',' : ' ')
    if (seen.has(motsCles)) continue
    seen.add(motsCles)
    queries.push({ motsCles, shape })
  }
  return queries
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring):
 * what "one edit" means here. For the tests and the report.
 */
export function editDistance(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  const rows = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  const at = (i: number, j: number) => rows[i]?.[j] ?? Infinity
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1)
      const row = rows[i]
      if (row) row[j] = best
    }
  }
  return at(x.length, y.length)
}

/** Seeded generator of the misspellings of a list of queries (one per query that has a long word). */
export function misspellAll(
  queries: readonly string[],
  seed: string,
  accept?: (word: string, typo: string) => boolean,
): Misspelling[] {
  const random = Random.from(seed)
  return queries.flatMap((query) => {
    const misspelling = misspellQuery(query, random, accept)
    return misspelling ? [misspelling] : []
  })
}
