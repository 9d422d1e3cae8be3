import { termOf } from './analyzer.js'
import type { WordLexicon } from './word-lexicon.js'
import { foldAccents } from '../shared/text.js'

/**
 * Edits allowed between a typed word and an indexed word, by the length of the longer of the two:
 * none below 5 letters, one from 5, two from 9. Measured on the longer one so that a letter
 * dropped from a 5-letter word ("sene" for "seine") is still one edit away.
 */
export function allowedEdits(length: number): 0 | 1 | 2 {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0
}

/** An indexed term a typed word may stand for. */
export interface SpellingCandidate {
  /** The index term. */
  readonly term: string
  /** The word to show for it: the reference word that was matched, else the term's usual word. */
  readonly display: string
  readonly distance: number
  /** Served offers holding the term. */
  readonly docs: number
}

/**
 * The served terms nearest to a typed word, within the allowed edits: those at the smallest
 * distance found, held by the most offers first (then by term, so that the choice never depends
 * on timing). The word is compared with the reference words (whole words, as typed), then, when
 * none is within the distance, with the index terms; when neither gives anything, the word's own
 * stem is compared with the index terms (a typo in an ending the stemmer would have removed). One
 * edit is tried before two: a search within two edits costs several times one within one, and is
 * only needed when one finds nothing.
 *
 * @param word one word, in lower case
 * @param docsOf served offers holding a term (0: not served, never proposed)
 * @param except a term not to propose (the word's own, when looking for other spellings)
 */
export function spellingCandidates(
  lexicon: WordLexicon,
  word: string,
  docsOf: (term: string) => number,
  except?: string,
): SpellingCandidate[] {
  const found = new Map<string, SpellingCandidate>()
  const consider = (term: string, display: string, distance: number) => {
    if (term === except) return
    const known = found.get(term)
    if (known && known.distance <= distance) return
    const docs = known?.docs ?? docsOf(term)
    if (docs > 0) found.set(term, { term, display, distance, docs })
  }
  const searchTerms = (query: string, limit: number) => {
    lexicon.forEachTermNear(query, limit, (term, distance) => {
      if (distance <= allowedEdits(Math.max(query.length, term.length))) consider(term, lexicon.displayOf(term), distance)
    })
  }
  const folded = foldAccents(word)
  const stem = termOf(word)
  const widest = allowedEdits(folded.length + 2)
  for (let limit = 1; limit <= widest && found.size === 0; limit++) {
    lexicon.forEachSurfaceNear(folded, limit, (surface, distance, key) => {
      if (distance <= allowedEdits(Math.max(folded.length, key.length))) consider(surface.term, surface.display, distance)
    })
    // Terms are shorter than their words: a typo in an ending is often as near a stem ("laveru",
    // "laveri") as the word meant ("laveur"). Words come first; terms when no word is as near.
    if (found.size === 0) searchTerms(folded, limit)
  }
  if (found.size === 0 && stem !== undefined && stem !== folded) {
    for (let limit = 1; limit <= allowedEdits(stem.length + 2) && found.size === 0; limit++) searchTerms(stem, limit)
  }
  const nearest = Math.min(...[...found.values()].map((candidate) => candidate.distance))
  return [...found.values()]
    .filter((candidate) => candidate.distance === nearest)
    .sort((a, b) => b.docs - a.docs || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
}
