import type { Referentials } from '../domain/referentials/referentials.js'
import type { BodyStore } from './body-store.js'
import { keepAfter, pageOnFacets, sortKeyOf } from './index-cursor.js'
import { IndexData } from './index-data.js'
import { countFacets } from './index-facets.js'
import { narrow } from './index-filters.js'
import { order } from './index-ordering.js'
import { facetOnly, orderedDepth, resolveGeo, runOnFacets, startingCandidates, type OrderedMatches } from './index-planning.js'
import { LruCache } from './index-structures.js'
import type { LiveVocabulary } from './live-vocabulary.js'
import type { OfferFeatures } from './offer-features.js'
import type { FacetCounts, ResultWindow, SearchQuery, SortKey } from './search-query.js'

/** The documents found by a search, in result order for the asked window. */
export interface IndexSearchResult {
  readonly total: number
  readonly docs: Uint32Array
  readonly facets: readonly FacetCounts[]
}

/** A page of a search continued after a sort key (see `OfferIndex.searchAfter`). */
export interface IndexPageAfter extends IndexSearchResult {
  /** How many matches come after the key (all of them without a key); the page holds the first ones. */
  readonly remaining: number
}

/** A computed search: everything but the window, valid while the index version is unchanged. */
interface CachedResult extends OrderedMatches {
  readonly version: number
}

/**
 * The in-memory search index over the active offers: one row of typed-array columns per offer,
 * postings for the words of the searchable fields and for the selective codes, and the offer
 * bodies in a `BodyStore` (all in `IndexData`, which also explains the numbering of documents).
 * A search starts from the most selective postings (`index-planning`), narrows the candidates
 * with one tight pass per criterion (`index-filters`), counts the facets (`index-facets`) and
 * orders the window (`index-ordering`).
 */
export class OfferIndex {
  private readonly data: IndexData
  /** Recent searches; any change to the index makes them stale (see `IndexData.version`). */
  private readonly results: LruCache<CachedResult> | undefined

  /**
   * @param options.cachedSearches how many recent searches to keep (0: none), default 1000 (at most
   *   about 13 MB: the ordered matches of a search are capped by the window limits).
   */
  constructor(referentials: Referentials, bodies: BodyStore, options: { cachedSearches?: number } = {}) {
    this.data = new IndexData(referentials, bodies)
    const cachedSearches = options.cachedSearches ?? 1000
    this.results = cachedSearches > 0 ? new LruCache(cachedSearches) : undefined
  }

  /** Served offers per term, appellation and commune, kept as offers come and go. */
  get vocabulary(): LiveVocabulary {
    return this.data.vocabulary
  }

  /** Changes with every addition or removal: results computed at another version are stale. */
  get stateVersion(): number {
    return this.data.version
  }

  /** Number of offers served. */
  get size(): number {
    return this.data.size
  }

  /** Whether an offer with this id is served. */
  has(id: string): boolean {
    return this.data.has(id)
  }

  /** Adds an offer (or replaces the one with the same id). Returns its document number. */
  add(features: OfferFeatures, body: string | Buffer): number {
    return this.data.add(features, body)
  }

  /**
   * Documents numbered in the natural order (the prefix) and documents appended after them out of
   * that order since the last renumbering (the tail). For diagnostics and tests.
   */
  get numbering(): { readonly prefix: number; readonly tail: number } {
    return this.data.numbering
  }

  /** Stops serving an offer; returns whether it was served. */
  remove(id: string): boolean {
    return this.data.remove(id)
  }

  /**
   * Ends a bulk load: numbers the documents in the natural order if they did not arrive in it
   * (date, origin, id, all descending), then releases the spare capacity of the postings.
   */
  finishLoad(): void {
    this.data.finishLoad()
  }

  /** The id of a document number. */
  idOf(doc: number): string {
    return this.data.idOf(doc)
  }

  /** The document number of a served offer. */
  docOf(id: string): number | undefined {
    return this.data.docOf(id)
  }

  /** Byte length of a document's body. */
  bodyLengthOf(doc: number): number {
    return this.data.bodyLengthOf(doc)
  }

  /** Copies a document's JSON body into `target` at `offset`; returns the offset after it. */
  copyBody(doc: number, target: Buffer, offset: number): number {
    return this.data.copyBody(doc, target, offset)
  }

  /** The JSON body of a served offer, or undefined. */
  body(id: string): Buffer | undefined {
    return this.data.body(id)
  }

  /**
   * Runs a search: the total number of matches, the facets over all of them and the documents of
   * the window in result order. Recent searches are answered from a cache unless `cache: false`.
   */
  search(query: SearchQuery, window: ResultWindow, options: { cache?: boolean } = {}): IndexSearchResult {
    const results = options.cache === false ? undefined : this.results
    const key = results ? JSON.stringify(query) : ''
    let result = results?.get(key)
    if (!result || result.version !== this.data.version || (result.ordered.length <= window.end && result.ordered.length < result.total)) {
      result = this.run(query, window)
      results?.set(key, result)
    }
    const end = Math.min(window.end + 1, result.total)
    return {
      total: result.total,
      docs: window.start >= end ? new Uint32Array(0) : result.ordered.subarray(window.start, end),
      facets: result.facets,
    }
  }

  /**
   * A page of at most `size` matches that come strictly after `after` in the query's order (from
   * the first match without it), with the total, the facets over every match and how many come
   * after the key. Not cached: each key is asked once. Offers added or removed since `after` was
   * read shift nothing: the page starts where the key would stand now.
   */
  searchAfter(query: SearchQuery, after: SortKey | undefined, size: number): IndexPageAfter {
    const data = this.data
    const onFacets = facetOnly(data, query)
    if (onFacets) return pageOnFacets(data, onFacets, query.sort, after, Math.max(0, size))
    const geo = query.geo ? resolveGeo(data, query.geo) : undefined
    const candidates = startingCandidates(data, query, geo)
    if (candidates.count > 0) narrow(data, candidates, query, geo)
    const facets = countFacets(data, candidates)
    const total = candidates.count
    if (after && total > 0) keepAfter(data, candidates, query, geo, after)
    const remaining = candidates.count
    const docs = remaining === 0 || size <= 0 ? new Uint32Array(0) : order(data, candidates, query, geo, Math.min(size, remaining))
    return { total, remaining, docs, facets }
  }

  /** Where a document (one that matches the query) stands in the query's order, for `searchAfter`. */
  sortKeyOf(doc: number, query: SearchQuery): SortKey {
    return sortKeyOf(this.data, doc, query)
  }

  private run(query: SearchQuery, window: ResultWindow): CachedResult {
    const data = this.data
    const version = data.version
    const onFacets = facetOnly(data, query)
    if (onFacets) return { version, ...runOnFacets(data, onFacets, window) }
    const geo = query.geo ? resolveGeo(data, query.geo) : undefined
    const candidates = startingCandidates(data, query, geo)
    if (candidates.count > 0) narrow(data, candidates, query, geo)
    const facets = countFacets(data, candidates)
    const total = candidates.count
    const wanted = orderedDepth(total, window)
    const ordered = total === 0 || window.start >= total ? new Uint32Array(0) : order(data, candidates, query, geo, wanted)
    return { version, total, facets, ordered }
  }
}
