import type { Offre } from './offer.schema.js'

/** An offer ready to be stored: its validated JSON and what the store keeps beside it. */
export interface OfferRecord {
  readonly offer: Offre
  /** The JSON as it will be served (canonical key order). */
  readonly json: string
  /** Appellation codes given by the producer (the JSON has only the label). */
  readonly appellations: readonly string[]
  readonly mrs: boolean
  readonly source: string
  /** The offer's search document and its version. */
  readonly searchDoc: string
  readonly searchVersion: string
}

/** A stored active offer as the index loads it. */
export interface StoredOffer {
  readonly id: string
  /** The JSON as served: text, or UTF-8 bytes when the store hands them over as such. */
  readonly json: string | Buffer
  readonly appellations: readonly string[]
  readonly mrs: boolean
  /** The stored search document and its version, when there is one. */
  readonly searchDoc?: string | Buffer
  readonly searchVersion?: string
}

/** A search document to store for an offer whose document is missing or stale. */
export interface SearchDocUpdate {
  readonly id: string
  readonly searchDoc: string
  readonly searchVersion: string
}

export interface UpsertCounts {
  created: number
  updated: number
  unchanged: number
}

/** The offers store (port). */
export interface OffersRepository {
  /** Creates or replaces offers in one transaction; appellation codes accumulate. */
  upsert(records: readonly OfferRecord[]): Promise<UpsertCounts>
  /** Number of active offers. */
  countActive(): Promise<number>
  /** Whether no offer was ever stored (active or not). */
  isEmpty(): Promise<boolean>
  /**
   * Up to `limit` active offers whose search document is missing or of another version, by
   * increasing id after `afterId` (so that a caller walks the table once).
   */
  staleSearchDocs(version: string, limit: number, afterId?: string): Promise<StoredOffer[]>
  /** Stores recomputed search documents (the offer itself is unchanged). */
  updateSearchDocs(updates: readonly SearchDocUpdate[]): Promise<void>
  /**
   * Hands every active offer over in batches, in storage order (the fastest to read), from one
   * consistent snapshot. The next batch is read while `onBatch` handles the current one.
   * `onBatch` must not use the store: the embedded store has a single session, held meanwhile.
   */
  forEachActive(batchSize: number, onBatch: (batch: StoredOffer[]) => void | Promise<void>): Promise<number>
}
