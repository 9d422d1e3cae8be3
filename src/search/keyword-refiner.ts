import type { TypedWord } from './analyzer.js'
import type { LiveVocabulary } from './live-vocabulary.js'
import type { SearchLexicon } from './search-lexicon.js'
import type { ExtendedKeyword, SearchQuery } from './search-query.js'
import { spellingCandidates } from './spelling.js'

/** A typed word that matched no served term, and the word it was taken for. */
export interface KeywordCorrection {
  readonly typed: string
  readonly corrected: string
}

/** How keywords are read: `exact` as typed (`rechercheExacte`), `extended` with ROME names and near spellings (`rechercheEtendue`). */
export interface KeywordMode {
  readonly exact: boolean
  readonly extended: boolean
}

/** Near spellings kept per word in an extended search (those at the smallest distance): a bound on its cost. */
const MAX_NEAR_TERMS = 8

/**
 * The search to run for the keywords as typed:
 *
 * - by default, a word whose term no served offer holds is replaced by the nearest served term
 *   (see `spellingCandidates`); a query whose words all match is returned unchanged, so it
 *   behaves exactly as without correction;
 * - `exact`: the keywords as typed, never corrected;
 * - `extended`: the keywords as typed, and for each, the near spellings of every word and the
 *   appellations it names (`extendedKeywords`), which the index ranks below exact matches.
 *
 * @param typed the words of each keyword with their terms, in the order of `query.keywords`
 */
export function refineKeywords(
  query: SearchQuery,
  typed: readonly (readonly TypedWord[])[],
  mode: KeywordMode,
  lexicon: SearchLexicon,
  counts: LiveVocabulary,
): { query: SearchQuery; corrections: KeywordCorrection[] } {
  const keywords = query.keywords
  if (!keywords || keywords.length === 0 || (mode.exact && !mode.extended)) return { query, corrections: [] }
  lexicon.words.absorb(counts)
  const docsOf = (term: string) => counts.termDocs(term)
  const corrections: KeywordCorrection[] = []
  const note = (word: string, corrected: string) => {
    if (!corrections.some((item) => item.typed === word)) corrections.push({ typed: word, corrected })
  }
  if (!mode.extended) {
    let changed = false
    const corrected = typed.map((words) =>
      words.map(({ word, term }) => {
        if (counts.termDocs(term) > 0) return term
        const best = spellingCandidates(lexicon.words, word, docsOf)[0]
        if (!best) return term
        changed = true
        note(word, best.display)
        return best.term
      }),
    )
    return { query: changed ? { ...query, keywords: corrected } : query, corrections }
  }
  let widened = false
  const extendedKeywords = typed.map((words): ExtendedKeyword => {
    const nearTerms = words.map(({ word, term }) => {
      if (mode.exact) return []
      const candidates = spellingCandidates(lexicon.words, word, docsOf, term)
      const best = candidates[0]
      if (!best) return []
      if (counts.termDocs(term) === 0) note(word, best.display)
      return candidates.slice(0, MAX_NEAR_TERMS).map((candidate) => candidate.term)
    })
    const terms = words.map((word) => word.term)
    const named = new Set(lexicon.synonyms.appellationsOf(terms))
    // The appellations named by the keyword as it would be corrected, too ("infirmeir de bloc").
    const bestTerms = words.map(({ term }, at) => (counts.termDocs(term) > 0 ? term : (nearTerms[at]?.[0] ?? term)))
    for (const code of lexicon.synonyms.appellationsOf(bestTerms)) named.add(code)
    const appellations = [...named].sort()
    if (appellations.length > 0 || nearTerms.some((list) => list.length > 0)) widened = true
    return { nearTerms, appellations }
  })
  return { query: widened ? { ...query, extendedKeywords } : query, corrections }
}
