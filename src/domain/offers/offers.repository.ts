import type { OfferFeatures } from '../../search/offer-features.js'
import type { Offre } from './offer.schema.js'

/** Lifecycle of a stored offer; only active offers are searchable. */
export type OfferStatus = 'active' | 'closed' | 'expired'

/** Why an offer left the active ones. */
export type CloseReason = 'pourvue' | 'annulee' | 'expiree'

/** An offer ready to be stored: its validated JSON and what the store keeps beside it. */
export interface OfferRecord {
  readonly offer: Offre
  /** The JSON as it will be served (canonical key order). */
  readonly json: string
  /** Appellation codes given by the producer (the JSON has only the label). */
  readonly appellations: readonly string[]
  readonly mrs: boolean
  readonly source: string
  /** The client that deposited the offer (none for imports). */
  readonly owner?: string
  /** The offer's search document and its version. */
  readonly searchDoc: string
  readonly searchVersion: string
  /** The features the search document encodes (without the store's metadata): the writing node's index takes them as they are. */
  readonly features: OfferFeatures
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

/** The JSON text of a stored offer, whichever form the store handed it over in. */
export function jsonText(offer: Pick<StoredOffer, 'json'>): string {
  return typeof offer.json === 'string' ? offer.json : offer.json.toString('utf8')
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

/** Offers written by an upsert, with whether each was created (others were updated). */
export interface UpsertResult extends UpsertCounts {
  readonly changed: readonly { readonly id: string; readonly created: boolean; readonly seq: number }[]
}

/** A stored offer with its lifecycle, as deposits and the change feed see it. */
export interface OfferState extends StoredOffer {
  readonly status: OfferStatus
  readonly owner: string | null
  readonly dateCreation: Date
  readonly updatedAt: Date
  readonly closedReason: CloseReason | null
  readonly closedAt: Date | null
  /** Number of the offer's latest change. */
  readonly seq: number
}

/** One entry of the change log. */
export interface OfferChange {
  readonly seq: number
  readonly id: string
  readonly kind: 'upsert' | 'close'
  readonly at: Date
  /** The offer now; undefined when a later change supersedes this one (readers skip it). */
  readonly current: OfferState | undefined
}

/**
 * The change log of the offers store (port). Every write takes the next change number, in commit
 * order: a reader that has seen number N has seen every change before N.
 */
export interface OfferLogRepository {
  /** Creates or replaces offers in one transaction, appending one change per offer that changed. */
  upsert(records: readonly OfferRecord[]): Promise<UpsertResult>
  /** Closes active offers (of `owner` only, when given); @returns the ids closed. */
  close(ids: readonly string[], reason: CloseReason, owner?: string): Promise<string[]>
  /** Expires up to `limit` active offers not updated since `before`; @returns how many. */
  expireNotUpdatedSince(before: Date, limit: number): Promise<number>
  /** Number of the latest change (0 before any). */
  lastSeq(): Promise<number>
  /**
   * Forgets changes older than `before` that nobody replaying the log needs any more: those a
   * later change supersedes, and those of offers that are no longer active. @returns how many.
   */
  pruneChanges(before: Date): Promise<number>
  /** Changes up to this number may have been forgotten (0: none). */
  prunedThrough(): Promise<number>
  /** Up to `limit` changes after `seq`, in order. */
  changesAfter(seq: number, limit: number): Promise<OfferChange[]>
  get(id: string): Promise<OfferState | undefined>
  /** The offers with these ids that exist, by id (one read for a whole batch). */
  getMany(ids: readonly string[]): Promise<Map<string, OfferState>>
  /** Active offers by increasing id after `afterId` (short reads: a snapshot pages through them). */
  activeAfter(afterId: string, limit: number): Promise<StoredOffer[]>
  /** The offers of one owner in one state, by decreasing change number before `beforeSeq`. */
  ownedBy(owner: string, status: 'active' | 'closed', limit: number, beforeSeq?: number): Promise<OfferState[]>
}

/** Offers a node has just written, with the numbers of their changes: what it can apply without reading them back. */
export type WrittenOffers = readonly { readonly seq: number; readonly created: boolean; readonly record: OfferRecord }[]
