import type { TypedWord } from '../../search/analyzer.js'
import { refineKeywords, type KeywordCorrection, type KeywordMode } from '../../search/keyword-refiner.js'
import type { OfferIndex, IndexPageAfter, IndexSearchResult } from '../../search/offer-index.js'
import type { SearchLexicon } from '../../search/search-lexicon.js'
import type { ResultWindow, SearchQuery, SortKey } from '../../search/search-query.js'
import { suggest, type Suggestion, type SuggestionKind } from '../../search/suggest.js'
import { UnavailableError } from '../../shared/errors.js'

interface CachedPage {
  readonly version: number
  readonly result: IndexSearchResult
  readonly body: Buffer | undefined
}

/** Default memory for recently served pages (a 150-offer page is about 450 KB). */
const PAGE_CACHE_BYTES = 128 * 2 ** 20

/** The typed keywords of a search and how to read them (see `refineKeywords`). */
export interface AskedKeywords {
  readonly typed: readonly (readonly TypedWord[])[]
  readonly mode: KeywordMode
}

/** The sort key of the last document of a page, to continue after it. */
function lastKey(index: OfferIndex, docs: Uint32Array, query: SearchQuery): SortKey | undefined {
  const last = docs.at(-1)
  return last === undefined ? undefined : index.sortKeyOf(last, query)
}

/**
 * Search and detail of the active offers, served from the in-memory index once it is loaded.
 * Recently served pages are kept, within a memory budget, until the index changes: the same
 * search page asked again (a client's first page, a popular query) costs nothing to assemble.
 */
export class OffresService {
  private index: OfferIndex | undefined
  private readonly pages = new Map<string, CachedPage>()
  private pageBytes = 0

  private builtLexicon: SearchLexicon | undefined

  /**
   * @param options.pageCacheBytes memory for recently served pages (0: none)
   * @param options.searchCache whether the index may answer from its cache of recent searches
   * @param options.lexicon the reference words and names that keyword correction, ROME synonyms
   *   and suggestions read, built at its first use (without it, keywords are read as typed and
   *   there are no suggestions)
   * @param options.prepareLexicon build the lexicon in `serve`, with the index's words folded in,
   *   so that the first corrections and suggestions cost no more than the next ones
   */
  constructor(
    private readonly options: {
      pageCacheBytes?: number
      searchCache?: boolean
      lexicon?: () => SearchLexicon
      prepareLexicon?: boolean
    } = {},
  ) {}

  private lexicon(): SearchLexicon | undefined {
    this.builtLexicon ??= this.options.lexicon?.()
    return this.builtLexicon
  }

  /** Whether the index is loaded and searches can be answered. */
  get isReady(): boolean {
    return this.index !== undefined
  }

  /** Number of offers served (0 while loading). */
  get size(): number {
    return this.index?.size ?? 0
  }

  /** Starts serving from a loaded index. */
  serve(index: OfferIndex): void {
    const lexicon = this.options.prepareLexicon ? this.lexicon() : undefined
    if (lexicon) {
      lexicon.words.absorb(index.vocabulary)
      lexicon.words.compact()
    }
    this.index = index
    this.pages.clear()
    this.pageBytes = 0
  }

  private loaded(): OfferIndex {
    if (!this.index) throw new UnavailableError('Index en cours de chargement.')
    return this.index
  }

  /**
   * Runs a search and writes the original's `ResultatRecherche` JSON for its window. With the
   * typed keywords, they are read as `mode` says (see `refineKeywords`); the corrections made are
   * returned. Caches are keyed by the search actually run, so a corrected search and the search
   * as typed are never mixed up. `last` is the sort key of the window's last offer, to continue
   * after it with `searchAfter`.
   *
   * @throws UnavailableError while the index is loading.
   */
  search(
    asked: SearchQuery,
    window: ResultWindow,
    keywords?: AskedKeywords,
  ): { result: IndexSearchResult; body: Buffer | undefined; corrections: readonly KeywordCorrection[]; last: SortKey | undefined } {
    const index = this.loaded()
    const { query, corrections } = this.refine(index, asked, keywords)
    const page = this.page(index, query, window)
    return { ...page, corrections, last: lastKey(index, page.result.docs, query) }
  }

  /**
   * The page of at most `size` offers that follow `after` in the search's order (from the first
   * without it), whatever their position: keyset paging, not bounded by the original's window.
   * Keywords are read as in `search`; `last` is the sort key of the page's last offer.
   *
   * @throws UnavailableError while the index is loading.
   */
  searchAfter(
    asked: SearchQuery,
    after: SortKey | undefined,
    size: number,
    keywords?: AskedKeywords,
  ): { result: IndexPageAfter; body: Buffer | undefined; corrections: readonly KeywordCorrection[]; last: SortKey | undefined } {
    const index = this.loaded()
    const { query, corrections } = this.refine(index, asked, keywords)
    const result = index.searchAfter(query, after, size)
    return { result, body: this.bodyOf(index, result), corrections, last: lastKey(index, result.docs, query) }
  }

  private refine(index: OfferIndex, asked: SearchQuery, keywords: AskedKeywords | undefined): { query: SearchQuery; corrections: readonly KeywordCorrection[] } {
    const lexicon = this.lexicon()
    return keywords && lexicon ? refineKeywords(asked, keywords.typed, keywords.mode, lexicon, index.vocabulary) : { query: asked, corrections: [] }
  }

  /**
   * Suggestions for what a user is typing (see `suggest`), counted on the offers served now.
   *
   * @throws UnavailableError while the index is loading or when the service has no lexicon.
   */
  suggest(query: string, kinds: readonly SuggestionKind[], limit: number): Suggestion[] {
    const index = this.loaded()
    const lexicon = this.lexicon()
    if (!lexicon) throw new UnavailableError('Suggestions indisponibles.')
    return suggest(lexicon, index.vocabulary, query, kinds, limit)
  }

  private page(index: OfferIndex, query: SearchQuery, window: ResultWindow): { result: IndexSearchResult; body: Buffer | undefined } {
    const budget = this.options.pageCacheBytes ?? PAGE_CACHE_BYTES
    const key = budget > 0 ? `${window.start}-${window.end} ${JSON.stringify(query)}` : ''
    const cached = budget > 0 ? this.pages.get(key) : undefined
    if (cached && cached.version === index.stateVersion) {
      this.pages.delete(key)
      this.pages.set(key, cached)
      return cached
    }
    const page = this.assemble(index, query, window)
    if (budget > 0) this.keep(key, { version: index.stateVersion, ...page }, budget)
    return page
  }

  private keep(key: string, page: CachedPage, budget: number): void {
    const size = (page.body?.length ?? 0) + key.length * 2 + 200
    if (size > budget / 4) return
    const previous = this.pages.get(key)
    if (previous) {
      this.pages.delete(key)
      this.pageBytes -= (previous.body?.length ?? 0) + key.length * 2 + 200
    }
    this.pages.set(key, page)
    this.pageBytes += size
    for (const [oldest, entry] of this.pages) {
      if (this.pageBytes <= budget) break
      this.pages.delete(oldest)
      this.pageBytes -= (entry.body?.length ?? 0) + oldest.length * 2 + 200
    }
  }

  private assemble(index: OfferIndex, query: SearchQuery, window: ResultWindow): { result: IndexSearchResult; body: Buffer | undefined } {
    const result = index.search(query, window, { cache: this.options.searchCache !== false })
    return { result, body: this.bodyOf(index, result) }
  }

  /** The original's `ResultatRecherche` JSON of a page (undefined when it is empty). */
  private bodyOf(index: OfferIndex, result: IndexSearchResult): Buffer | undefined {
    if (result.docs.length === 0) return undefined
    const head = Buffer.from('{"resultats":[')
    const tail = Buffer.from(`],"filtresPossibles":${JSON.stringify(result.facets)}}`)
    let size = head.length + tail.length + result.docs.length - 1
    for (const doc of result.docs) size += index.bodyLengthOf(doc)
    const body = Buffer.allocUnsafe(size)
    let offset = head.copy(body, 0)
    result.docs.forEach((doc, position) => {
      if (position > 0) body[offset++] = 0x2c
      offset = index.copyBody(doc, body, offset)
    })
    tail.copy(body, offset)
    return body
  }

  /**
   * The JSON of one active offer, or undefined when it is unknown or no longer active.
   *
   * @throws UnavailableError while the index is loading.
   */
  detail(id: string): Buffer | undefined {
    return this.loaded().body(id)
  }
}
