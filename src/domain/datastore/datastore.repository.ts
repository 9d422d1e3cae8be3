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
  /** CKAN's `next_page`: the filter that continues after this page (pages in `_id` order). */
  readonly nextPage?: { readonly _id: { readonly gt?: number; readonly lt?: number } }
}

/** A column of a resource's relation as PostgreSQL describes it (datastore_info's `schema`). */
export interface ColumnSchema {
  /** `pg_catalog.format_type`: `integer`, `text`, `timestamp without time zone`… */
  readonly nativeType: string
  readonly notNull: boolean
  /** An index on the column (the first by name), or null. */
  readonly indexName: string | null
  readonly unique: boolean
}

/** A resource's relation: its sizes in bytes (table, its indexes, the whole database) and columns. */
export interface RelationInfo {
  readonly size: number
  readonly indexesSize: number
  readonly databaseSize: number
  readonly columns: ReadonlyMap<string, ColumnSchema>
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
  /** What PostgreSQL says of a resource's table or view (datastore_info). */
  relationInfo(resource: ResourceRecord): Promise<RelationInfo>
  /** The planner's total cost of users' SQL, where it runs (nothing executed). */
  costOf(sql: string, resources: readonly string[]): Promise<number>
  /**
   * Users' SQL, already checked, read-only, as the reader role, bounded in time and bytes.
   * @throws SqlAbandonedError past the wall-time bound, SqlBusyError, or the engine's error.
   */
  runSql(sql: string, options: SqlRunOptions): Promise<SqlRows & { readonly truncated: boolean }>
  /** Brings the resources kept from the offers' change log up to its latest change. */
  refreshLive(): Promise<void>
  /**
   * Whether the engine cancels a statement at its timeout (PostgreSQL). The embedded store's
   * executor can only be stopped whole (and restarted): users' SQL planned too costly is refused
   * there before it runs.
   */
  readonly cancellable: boolean
}
