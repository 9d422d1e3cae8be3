import type { FastifyInstance } from 'fastify'
import type { Referentials } from '../../src/domain/referentials/referentials.js'
import { termOf } from '../../src/search/analyzer.js'
import { benchOffers } from '../generated-offers.js'
import { searchThroughRoute } from '../search-path.js'
import { drawKeywordQueries, misspellAll, type Misspelling, type QueryShape } from './misspell.js'

/** Titles the queries are drawn from: those of the corpus's first offers (a prefix of every size). */
const TITLE_SAMPLE = 20_000

/** A misspelled query with what our search found for the original. */
export interface TypoCase extends Misspelling {
  readonly shape: QueryShape
  /** Total of the original query on our index, exact matching. */
  readonly originalTotal: number
}

/** The issue's four misspellings that find nothing without correction (issue 14), with what was meant. */
export const ISSUE_EXAMPLES: readonly { readonly original: string; readonly misspelled: string }[] = [
  { original: 'infirmier', misspelled: 'infirmeir' },
  { original: 'développeur', misspelled: 'devloppeur' },
  { original: 'électricien', misspelled: 'electricein' },
  { original: 'comptable', misspelled: 'comptabel' },
]

/** `motsCles` in a query string, with exact matching asked (ignored by a service that has no correction). */
export const exactQuery = (motsCles: string) => `motsCles=${encodeURIComponent(motsCles)}&rechercheExacte=true`
export const plainQuery = (motsCles: string) => `motsCles=${encodeURIComponent(motsCles)}`

/**
 * The benchmark's misspelled queries (issue 14, point 1): `count` keyword queries drawn from the
 * corpus's titles that find offers on our index (exact matching, through the search route), each
 * with one edit to a word of at least 5 letters. An edit that the analysis undoes (an "s" added at
 * the end, an accent) is no typo and is drawn again; one that gives another indexed word is kept,
 * as a job seeker's would be. Deterministic for a corpus and seed.
 */
export async function typoCases(
  app: FastifyInstance,
  referentials: Referentials,
  options: { readonly count: number; readonly offers: number; readonly seed: string },
): Promise<TypoCase[]> {
  const titles: string[] = []
  for (const offer of benchOffers(referentials, Math.min(options.offers, TITLE_SAMPLE))) titles.push(offer.intitule)
  const drawn = drawKeywordQueries(titles, {
    count: options.count * 2,
    seed: `${options.seed}:queries`,
    isStopWord: (word) => termOf(word) === undefined,
  })
  const finding: { motsCles: string; shape: QueryShape; total: number }[] = []
  for (const { motsCles, shape } of drawn) {
    if (finding.length === options.count) break
    const { total } = await searchThroughRoute(app, exactQuery(motsCles))
    if (total > 0) finding.push({ motsCles, shape, total })
  }
  const byQuery = new Map(finding.map((item) => [item.motsCles, item]))
  const misspellings = misspellAll(
    finding.map((item) => item.motsCles),
    `${options.seed}:edits`,
    (word, typo) => termOf(typo) !== termOf(word),
  )
  return misspellings.flatMap((misspelling) => {
    const found = byQuery.get(misspelling.original)
    return found ? [{ ...misspelling, shape: found.shape, originalTotal: found.total }] : []
  })
}
