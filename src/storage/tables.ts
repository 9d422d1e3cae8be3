import type { ColumnType, Generated } from 'kysely'

/** Lifecycle of a stored offer; only active offers are searchable. */
export type OfferStatus = 'active' | 'closed' | 'expired'

/** Stored offers: the served JSON exactly as served, and provenance beside it. */
export interface OffersTable {
  id: string
  /** The `Offre` JSON, in the original's key order (a `json` column keeps the text as written). */
  payload: ColumnType<unknown, string, string>
  origine: string
  date_creation: ColumnType<Date, Date, Date>
  /** Appellation codes the offer is classified under; the original keeps them out of the JSON. */
  appellation_codes: ColumnType<string[], string[] | undefined, string[]>
  mrs: ColumnType<boolean, boolean | undefined, boolean>
  status: ColumnType<OfferStatus, OfferStatus | undefined, OfferStatus>
  /** Where the offer came from: import, demo, deposit. */
  source: string
  /** The offer's search features, encoded (src/search/search-doc.ts); null until computed. */
  search_doc: string | null
  /** Version of `search_doc`; another version means it must be recomputed. */
  search_version: string | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface Tables {
  offers: OffersTable
}
