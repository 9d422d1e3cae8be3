import MiniSearch, { type SearchOptions, type SearchResult } from 'minisearch'
import { termOf } from '../../src/search/analyzer.js'
import { countFacets, distanceOf, matchesFilters, type BenchQuery, type Outcome, type PeerDoc } from './model.js'
import type { PreparedQuery, SearchSystem, TypoMode } from './system.js'

const TOKEN = /[\p{L}\p{N}]+/gu

/** The fields MiniSearch searches, with the weights of our index's fields (TEXT_FIELD_WEIGHTS). */
const FIELDS = { intitule: 10, labels: 5, details: 2, extras: 1 } as const

/** Stored so that the `filter` callback, the sort and the facets can read them. */
const STORED: readonly (keyof PeerDoc)[] = [
  'date',
  'origine',
  'typeContrat',
  'natureContrat',
  'experience',
  'qualification',
  'dureeHebdo',
  'romeCode',
  'grandDomaine',
  'commune',
  'city',
  'departement',
  'region',
  'latitude',
  'longitude',
  'salaryM',
  'salaryA',
  'salaryH',
  'salaryC',
  'weeklyMinutes',
  'contractMonths',
  'partners',
]

/** MiniSearch's fuzziness in the typo comparison: its documented example value (edit distance ≤ 20 % of the term). */
const FUZZY = 0.2

const tokenize = (text: string) => text.toLowerCase().match(TOKEN) ?? []

/** A search result with the stored fields (MiniSearch merges them into the result). */
type Hit = SearchResult & PeerDoc

/** A MiniSearch index and the terms it holds (recorded as it analyses the documents). */
export interface MiniSearchIndex {
  readonly index: MiniSearch<PeerDoc>
  readonly vocabulary: ReadonlySet<string>
}

/**
 * MiniSearch 7, given our analyser (its `tokenize` and `processTerm` hooks), so that it indexes
 * and searches the same terms as our index: its totals should equal ours.
 */
export function buildMiniSearch(docs: readonly PeerDoc[]): MiniSearchIndex {
  const vocabulary = new Set<string>()
  const index = new MiniSearch<PeerDoc>({
    fields: Object.keys(FIELDS),
    storeFields: [...STORED],
    tokenize,
    processTerm: (term) => {
      const analysed = termOf(term)
      if (analysed !== undefined) vocabulary.add(analysed)
      return analysed ?? null
    },
    searchOptions: { tokenize, processTerm: (term) => termOf(term) ?? null, boost: { ...FIELDS } },
  })
  index.addAll(docs)
  return { index, vocabulary }
}

/**
 * MiniSearch as a compared system. It has keyword search only: every other criterion runs in its
 * `filter` callback over the stored fields (JavaScript per matching document), and the bench
 * sorts by date or distance and counts the facets over its results. For typos, `fuzzy` on every
 * term (its documented use) or, the best use of it, on the terms the index does not hold only.
 */
export function miniSearchSystem({ index, vocabulary }: MiniSearchIndex, variant: 'allTerms' | 'unknownOnly' = 'allTerms'): SearchSystem {
  return {
    name: variant === 'allTerms' ? 'MiniSearch 7' : 'MiniSearch 7, fuzzy on unknown terms',
    typoSetting:
      variant === 'allTerms'
        ? `\`fuzzy: ${FUZZY}\` on every term, AND`
        : `\`fuzzy: ${FUZZY}\` on terms not in the index only, AND`,
    prepare(query: BenchQuery, typo?: TypoMode): PreparedQuery {
      const { parsed, window } = query
      const notes: string[] = []
      const hasFilters = Object.keys(parsed).some((key) => key !== 'sort' && key !== 'keywords')
      if (hasFilters) notes.push('filters in its `filter` callback')
      if (parsed.geo) notes.push('radius in the callback')
      const byDate = parsed.sort === 1 || (parsed.sort === 0 && !query.keywordText)
      const byDistance = parsed.sort === 2 && parsed.geo !== undefined
      if (byDate || byDistance) notes.push(byDistance ? 'distance order by the bench' : 'date order by the bench')
      if (typo === undefined) notes.push('facets by the bench')
      const fuzzy: SearchOptions['fuzzy'] =
        typo !== 'tolerant' ? false : variant === 'allTerms' ? FUZZY : (term: string) => (vocabulary.has(term) ? false : FUZZY)
      const options: SearchOptions = {
        combineWith: 'AND',
        fuzzy,
        prefix: false,
        ...(hasFilters && { filter: (result: SearchResult) => matchesFilters(result as Hit, parsed) }),
      }
      return {
        notes,
        run: (): Outcome => {
          const hits = (query.keywordText === undefined ? index.search(MiniSearch.wildcard, options) : index.search(query.keywordText, options)) as Hit[]
          if (typo !== undefined) return { total: hits.length, ids: [] }
          if (byDate) hits.sort((a, b) => b.date - a.date)
          else if (byDistance) {
            const distances = new Map(hits.map((hit) => [hit.id as string, distanceOf(hit, parsed)]))
            hits.sort((a, b) => (distances.get(a.id as string) ?? 0) - (distances.get(b.id as string) ?? 0))
          }
          return {
            total: hits.length,
            ids: hits.slice(window.start, window.end + 1).map((hit) => String(hit.id)),
            facets: countFacets(hits),
          }
        },
      }
    },
    close: () => Promise.resolve(),
  }
}
