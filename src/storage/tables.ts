import type { ColumnType, Generated } from 'kysely'
import type { OfferStatus } from '../domain/offers/offers.repository.js'

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
  /** Number of the offer's latest change (see offer_changes). */
  seq: ColumnType<number, number, number>
  /** The client that deposited the offer; null for imported offers. */
  owner_client_id: string | null
  /** Why the offer left the active ones: pourvue, annulee, expiree. */
  closed_reason: string | null
  closed_at: Date | null
}

/** The change log: one row per write to an offer, numbered in commit order. */
export interface OfferChangesTable {
  seq: ColumnType<number, number, never>
  offer_id: string
  kind: 'upsert' | 'close'
  at: Generated<Date>
}

/** One row: how far the change log has been pruned. */
export interface ChangeLogStateTable {
  id: number
  pruned_through: ColumnType<number, number, number>
}

/** Owners of applications; those with a password may sign in to the developer portal. */
export interface AccountsTable {
  id: string
  email: string
  name: string
  kind: string
  organisation: string | null
  password_hash: string | null
  created_at: Generated<Date>
}

/** Applications: the OAuth2 clients. */
export interface ApplicationsTable {
  client_id: string
  account_id: string
  name: string
  secret_hash: string
  status: ColumnType<'active' | 'revoked', 'active' | 'revoked' | undefined, 'active' | 'revoked'>
  /** Calls per second allowed on each API; null: the service's default. */
  rate_per_second: number | null
  created_at: Generated<Date>
  secret_rotated_at: Date | null
  revoked_at: Date | null
}

/** Which application may use which API, under which accepted terms. */
export interface SubscriptionsTable {
  client_id: string
  api: string
  status: 'granted' | 'pending' | 'rejected'
  terms_version: string
  accepted_by: string
  accepted_at: Date
  decided_by: string | null
  decided_at: Date | null
}

/** Issued access tokens, by the SHA-256 of the token (the token itself is never stored). */
export interface AccessTokensTable {
  token_hash: string
  client_id: string
  /** Granted scopes, space-separated as on the wire. */
  scopes: string
  issued_at: Date
  expires_at: Date
  revoked_at: Date | null
}

/** Signed-in portal sessions, by the SHA-256 of the session cookie. */
export interface PortalSessionsTable {
  session_hash: string
  account_id: string
  expires_at: Date
}

/** A portal session's message for one next page, sealed with the session cookie (see domain/access/flash.ts). */
export interface PortalFlashesTable {
  session_hash: string
  /** What page it is for (a client id). */
  subject: string
  sealed: string
  expires_at: Date
}

/** Portal sign-in attempts per key (client address, or address and account) in a fixed window. */
export interface SignInAttemptsTable {
  key: string
  attempts: number
  window_ends: Date
}

/** Calls counted per day, client, API, route and status. */
export interface ApiCallsTable {
  day: ColumnType<string, string, string>
  client_id: string
  api: string
  route: string
  status: number
  calls: ColumnType<number, number, number>
}

/** Packages (CKAN datasets) of the Infotravail datastore. */
export interface DatastorePackagesTable {
  id: string
  name: string
  title: string
  notes: string
  frequency: string
  tags: ColumnType<string[], string, string>
  position: number
  created_at: Generated<Date>
  updated_at: ColumnType<Date, Date | undefined, Date>
}

/** Resources of the datastore; each one's rows are in the table named by its id. */
export interface DatastoreResourcesTable {
  id: string
  package_id: string
  name: string
  description: string
  pe_source: string
  pe_version: string
  pe_type: string
  kind: 'file' | 'view'
  fields: ColumnType<unknown, string, string>
  provenance: ColumnType<unknown, string, string>
  size: number | null
  fingerprint: string
  origin: 'shipped' | 'import'
  position: number
  /** How a live resource is computed (see ViewResource.live); null for the others. */
  live: ColumnType<unknown, string | null, string | null>
  /** The last change of the offers a live table includes. */
  as_of_seq: ColumnType<string | number | null, number | null, number | null>
  created_at: Generated<Date>
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export interface Tables {
  offers: OffersTable
  offer_changes: OfferChangesTable
  change_log_state: ChangeLogStateTable
  accounts: AccountsTable
  applications: ApplicationsTable
  subscriptions: SubscriptionsTable
  access_tokens: AccessTokensTable
  portal_sessions: PortalSessionsTable
  portal_flashes: PortalFlashesTable
  sign_in_attempts: SignInAttemptsTable
  api_calls: ApiCallsTable
  datastore_packages: DatastorePackagesTable
  datastore_resources: DatastoreResourcesTable
}
