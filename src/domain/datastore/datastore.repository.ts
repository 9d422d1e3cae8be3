import type { PackageDefinition, ResourceMetadata } from '../../datasets/definition.js'
import type { SearchRequest } from './search-request.js'

/** A package of the catalogue as stored. */
export interface PackageRecord extends Omit<PackageDefinition, 'resources'> {
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly resources: readonly ResourceRecord[]
}

/** A resource of the catalogue as stored: its rows are in the table (or view) named by its id. */
export interface ResourceRecord extends Omit<ResourceMetadata, 'peType'> {
  readonly packageId: string
  readonly peType: string
  readonly kind: 'file' | 'view'
  /** Rows of a loaded table; undefined for a view (counted when asked). */
  readonly size: number | undefined
  readonly origin: 'shipped' | 'import'
  readonly position: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** The rows of one page of a datastore_search, with what the result needs besides them. */
export interface SearchPage {
  readonly rows: readonly Record<string, unknown>[]
  readonly total?: number
  readonly totalWasEstimated: boolean
  /** Keyset position after the last row, when the page can be resumed from it. */
  readonly after?: readonly unknown[]
}

/** Rows of users' SQL, with each column's PostgreSQL type name. */
export interface SqlRows {
  readonly fields: readonly { readonly id: string; readonly type: string }[]
  readonly rows: readonly Record<string, unknown>[]
}

/** How users' SQL is run: its time limit, its byte bound, and what it reads. */
export interface SqlRunOptions {
  /** The statement timeout: the executor stops the statement by a bounded margin after it. */
  readonly timeoutMs: number
  /** Bytes of row text an answer may hold: rows past it are left out (`truncated`). */
  readonly maxBytes: number
  /** The resources the statement reads (the SQL guard's list), for executors that copy them. */
  readonly resources: readonly string[]
}

/** What the Infotravail service needs of the datastore's storage. */
export interface DatastoreRepository {
  packages(): Promise<PackageRecord[]>
  resource(id: string): Promise<ResourceRecord | undefined>
  search(resource: ResourceRecord, request: SearchRequest): Promise<SearchPage>
  /** Rows of a view (tables know their size). */
  count(resource: ResourceRecord): Promise<number>
  /** The planner's total cost of users' SQL, where it runs (nothing executed). */
  costOf(sql: string, resources: readonly string[]): Promise<number>
  /**
   * Users' SQL, already checked, read-only, as the reader role, bounded in time and bytes.
   * @throws SqlAbandonedError past the wall-time bound, SqlBusyError, or the engine's error.
   */
  runSql(sql: string, options: SqlRunOptions): Promise<SqlRows & { readonly truncated: boolean }>
  /** Every row of a resource in `_id` order, in batches, without OFFSET. */
  dump(resource: ResourceRecord, onRows: (rows: readonly Record<string, unknown>[]) => Promise<void> | void): Promise<number>
  /** Brings the resources kept from the offers' change log up to its latest change. */
  refreshLive(): Promise<void>
  /**
   * Whether the engine cancels a statement at its timeout (PostgreSQL). The embedded store's
   * executor can only be stopped whole (and restarted): users' SQL planned too costly is refused
   * there before it runs.
   */
  readonly cancellable: boolean
}
