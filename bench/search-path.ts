import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { OffresService } from '../src/domain/offers/offres.service.js'
import type { Referentials } from '../src/domain/referentials/referentials.js'
import { OFFRES_PREFIX } from '../src/http/build-app.js'
import { offresErrorHandling } from '../src/http/offres/offres-errors.js'
import { offresRoutes } from '../src/http/offres/offres.routes.js'
import { parseSearchParams } from '../src/http/offres/search-params.js'
import { FileBodyStore } from '../src/search/body-store.js'
import { SearchLexicon } from '../src/search/search-lexicon.js'
import { loadRomeVocabulary } from '../src/storage/rome-vocabulary.js'
import { loadIndex } from '../src/search/index-loader.js'
import { OfferIndex } from '../src/search/offer-index.js'
import type { StoredOffer } from '../src/domain/offers/offers.repository.js'
import { BenchOffersRepository } from './generated-offers.js'

/** Our index over the generated corpus, the service on it (caches off) and the Offres routes. */
export interface OurSearch {
  readonly index: OfferIndex
  readonly offres: OffresService
  readonly app: FastifyInstance
  readonly buildMs: number
  close(): Promise<void>
}

/**
 * Builds the index of the offers the way a node does at start (`loadIndex`, bodies in a file),
 * serves it with caches off, and mounts the Offres routes on an app of their own (no access
 * control: the benches measure search, `npm run bench` measures access). `buildMs` is the load.
 */
export async function buildOurSearch(
  referentials: Referentials,
  offers: () => Iterable<StoredOffer>,
  now: () => number,
  onProgress?: (loaded: number) => void,
): Promise<OurSearch> {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-bench-search-'))
  const bodies = new FileBodyStore(folder)
  const index = new OfferIndex(referentials, bodies, { cachedSearches: 0 })
  const started = performance.now()
  await loadIndex(index, new BenchOffersRepository(offers), referentials, onProgress)
  const buildMs = performance.now() - started
  // Caches off; otherwise as `serve` composes the service (src/compose.ts), keyword correction included.
  const offres = new OffresService({
    pageCacheBytes: 0,
    searchCache: false,
    lexicon: () => new SearchLexicon(referentials, loadRomeVocabulary()),
    prepareLexicon: true,
  })
  offres.serve(index)
  const app = Fastify({ logger: false })
  await app.register(
    async (scope) => {
      offresErrorHandling(scope)
      await scope.register(offresRoutes({ offres, referentials, now }))
    },
    { prefix: OFFRES_PREFIX },
  )
  await app.ready()
  return {
    index,
    offres,
    app,
    buildMs,
    close: async () => {
      await app.close()
      bodies.close()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

/** What a search request answered: status, total (from Content-Range), the correction header. */
export interface RouteAnswer {
  readonly status: number
  readonly total: number
  /** `X-Mots-Cles-Corriges`, when the service corrected keywords. */
  readonly corrected: string | undefined
  readonly message: string | undefined
}

/** The header in which the service says which keywords it corrected (issue 14, point 1). */
export const CORRECTION_HEADER = 'x-mots-cles-corriges'

/** `GET /offres/search?<query>` through the routes, as a request takes it. */
export async function searchThroughRoute(app: FastifyInstance, query: string): Promise<RouteAnswer> {
  const response = await app.inject({ method: 'GET', url: `${OFFRES_PREFIX}/offres/search${query ? `?${query}` : ''}` })
  const range = response.headers['content-range']
  const total = typeof range === 'string' ? Number(/\/(\d+)$/.exec(range)?.[1] ?? Number.NaN) : Number.NaN
  const header = response.headers[CORRECTION_HEADER]
  const message = response.statusCode >= 400 ? (response.json<{ message?: string }>().message ?? '') : undefined
  return { status: response.statusCode, total, corrected: typeof header === 'string' ? header : undefined, message }
}

/**
 * A search in-process as the route runs it, minus HTTP: parse, search, facets and the serialised
 * page (what `npm run bench` times). Returns the total.
 */
export function searchInProcess(search: Pick<OurSearch, 'offres'>, referentials: Referentials, query: string, now: number): number {
  const parsed = parseSearchParams(query, referentials, now)
  return search.offres.search(parsed.query, parsed.window, { typed: parsed.typedKeywords, mode: parsed.keywordMode }).result.total
}
