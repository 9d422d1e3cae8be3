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
}

/** A stored active offer as the index loads it. */
export interface StoredOffer {
  readonly id: string
  readonly json: string
  readonly appellations: readonly string[]
  readonly mrs: boolean
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
   * Active offers newest first (then origin, then id), in batches: the order the index numbers
   * its documents in.
   */
  activeInIndexOrder(batchSize: number): AsyncGenerator<StoredOffer[]>
}
