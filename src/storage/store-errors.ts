import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely'
import { UnavailableError } from '../shared/errors.js'

/**
 * SQLSTATEs of a server that cannot be reached or is going away: class 08 (connection
 * exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, and 53300
 * too_many_connections (a server full of connections answers again once some are closed).
 */
const UNAVAILABLE_STATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/
/** System errors of a socket to the server that failed or was cut. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'])
/** What the driver (pg, pg-pool) says when it loses or cannot get a connection; these errors have no code. */
const DRIVER_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Connection ended unexpectedly)/

/** The message of the 503 that a store failure becomes (the surfaces that show messages are French). */
export const STORE_UNAVAILABLE_MESSAGE = 'Service momentanément indisponible : la base de données ne répond pas. Réessayez dans quelques secondes.'

/**
 * Whether an error means that the store cannot be reached (connection refused, cut, timed out,
 * server shutting down), as opposed to a statement that failed: the first passes by itself, the
 * second does not. Looks through `cause` and AggregateError (one error per address tried).
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown }
  if (typeof code === 'string' && (UNAVAILABLE_STATE.test(code) || NETWORK_CODES.has(code))) return true
  if (typeof message === 'string' && DRIVER_MESSAGE.test(message)) return true
  if (error instanceof AggregateError && error.errors.some((inner) => isConnectionFailure(inner, depth + 1))) return true
  return isConnectionFailure(cause, depth + 1)
}

/**
 * The error a caller of the store sees: a connection failure becomes UnavailableError (each API
 * renders it as 503 with Retry-After), anything else is left as it is.
 */
export function storeError(error: Error): Error
export function storeError(error: unknown): unknown
export function storeError(error: unknown): unknown {
  if (error instanceof UnavailableError || !isConnectionFailure(error)) return error
  return new UnavailableError(STORE_UNAVAILABLE_MESSAGE, { cause: error })
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw storeError(error)
  }
}

/** `work` with its failures passed through `storeError`. */
export function withStoreErrors<A extends unknown[], R>(work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => translated(() => work(...args))
}

/** A connection whose failures reach Kysely's callers as `storeError` says. */
class TranslatedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return translated(() => this.inner.executeQuery<R>(compiledQuery))
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize)
    } catch (error) {
      throw storeError(error)
    }
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof TranslatedConnection ? connection.inner : connection
}

/**
 * The driver's own transaction handling gets its own connections back (it keeps private state on
 * them, such as "discard this connection after a failed rollback").
 */
class TranslatingDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, TranslatedConnection>()

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return translated(() => this.inner.init())
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await translated(() => this.inner.acquireConnection())
    let wrapped = this.wrapped.get(connection)
    if (!wrapped) {
      wrapped = new TranslatedConnection(connection)
      this.wrapped.set(connection, wrapped)
    }
    return wrapped
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return translated(() => this.inner.beginTransaction(innerOf(connection), settings))
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(() => this.inner.commitTransaction(innerOf(connection)))
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(() => this.inner.rollbackTransaction(innerOf(connection)))
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection))
  }

  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}

/**
 * A dialect whose connection failures (acquiring a connection, any statement, begin, commit,
 * rollback) are thrown as UnavailableError: the storage boundary where the driver's errors stop.
 * Savepoints are not offered (nothing here uses them).
 */
export function translatingDialect(dialect: Dialect): Dialect {
  return {
    createDriver: () => new TranslatingDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  }
}
