import type { OfferIndex, IndexSearchResult } from '../../search/offer-index.js'
import type { ResultWindow, SearchQuery } from '../../search/search-query.js'
import { UnavailableError } from '../../shared/errors.js'

/**
 * Search and detail of the active offers, served from the in-memory index once it is loaded.
 */
export class OffresService {
  private index: OfferIndex | undefined

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
    this.index = index
  }

  private loaded(): OfferIndex {
    if (!this.index) throw new UnavailableError('Index en cours de chargement.')
    return this.index
  }

  /**
   * Runs a search and writes the original's `ResultatRecherche` JSON for its window.
   *
   * @throws UnavailableError while the index is loading.
   */
  search(query: SearchQuery, window: ResultWindow): { result: IndexSearchResult; body: Buffer | undefined } {
    const index = this.loaded()
    const result = index.search(query, window)
    if (result.docs.length === 0) return { result, body: undefined }
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
    return { result, body }
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
