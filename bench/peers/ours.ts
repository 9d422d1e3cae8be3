import type { OurSearch } from '../search-path.js'
import { searchThroughRoute } from '../search-path.js'
import { facetMapOf, type BenchQuery } from './model.js'
import type { PreparedQuery, SearchSystem, TypoMode } from './system.js'

/**
 * Our index, searched as the service does (total, the window in order, facets; caches off). The
 * serialised page is left out here, as the other systems return ids. Misspelled queries go
 * through the search route, where typo correction applies (`rechercheExacte=true` for exact).
 */
export function ourSystem(search: OurSearch): SearchSystem {
  const { index, app } = search
  return {
    name: 'OpenEmploi index',
    typoSetting: 'the search route as served (keyword correction, issue 14 point 1)',
    prepare(query: BenchQuery, typo?: TypoMode): PreparedQuery {
      if (typo !== undefined) {
        const url = typo === 'exact' ? `${query.query}&rechercheExacte=true` : query.query
        return {
          notes: [],
          run: async () => {
            const answer = await searchThroughRoute(app, url)
            return { total: Number.isNaN(answer.total) ? 0 : answer.total, ids: [] }
          },
        }
      }
      return {
        notes: [],
        run: () => {
          const result = index.search(query.parsed, query.window, { cache: false })
          return { total: result.total, ids: Array.from(result.docs, (doc) => index.idOf(doc)), facets: facetMapOf(result.facets) }
        },
      }
    },
    close: () => search.close(),
  }
}
