import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import type { PGliteClient } from './pglite-client.js'

/**
 * Kysely dialect for PGlite, the embedded PostgreSQL (running in a worker thread): the SQL is
 * PostgreSQL's, so the adapter, compiler and introspector are Kysely's own; only the driver differs.
 */
export class PGliteDialect implements Dialect {
  /** The single session: whether a query or transaction holds it, and how many wait for it. */
  readonly session: SessionUsage = { inUse: 0, waiting: 0 }

  constructor(private readonly pglite: PGliteClient) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter()
  }

  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.session)
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db)
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler()
  }
}

/** Counters of the embedded store's session, read by the operator's metrics. */
export interface SessionUsage {
  inUse: number
  waiting: number
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGliteClient) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, compiled.parameters)
    return {
      rows: result.rows,
      ...(result.affectedRows === undefined ? {} : { numAffectedRows: BigInt(result.affectedRows) }),
    }
  }

  // eslint-disable-next-line require-yield, @typescript-eslint/require-await
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported on PGlite; page with keyset queries instead.')
  }
}

/**
 * PGlite has a single session, so the driver hands out one connection at a time: a transaction
 * owns the session until it ends, and other queries wait for their turn.
 */
class PGliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve()
  private release: (() => void) | undefined
  private readonly connection: PGliteConnection

  constructor(
    private readonly pglite: PGliteClient,
    private readonly usage: SessionUsage,
  ) {
    this.connection = new PGliteConnection(pglite)
  }

  async init(): Promise<void> {
    await this.pglite.ready
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue
    let release!: () => void
    this.queue = new Promise((resolve) => (release = resolve))
    this.usage.waiting++
    await previous
    this.usage.waiting--
    this.usage.inUse = 1
    this.release = release
    return this.connection
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const mode = [
      settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '',
      settings.accessMode ?? '',
    ]
      .filter(Boolean)
      .join(' ')
    await connection.executeQuery(CompiledQuery.raw(mode ? `begin transaction ${mode}` : 'begin'))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async releaseConnection(): Promise<void> {
    const release = this.release
    this.release = undefined
    this.usage.inUse = 0
    release?.()
  }

  async destroy(): Promise<void> {
    await this.pglite.close()
  }
}
