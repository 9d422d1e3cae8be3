import type pg from 'pg'
import { SqlAbandonedError, SqlBusyError } from '../../domain/datastore/datastore-errors.js'
import { openPool, readOnlySetup, readTypes, type TypedResult } from '../database.js'
import { storeError } from '../store-errors.js'
import { DATASTORE_READER_ROLE } from '../migrations/0006-datastore.js'
import { WATCHDOG_GRACE_MS, type UserSqlExecutor } from './user-sql.js'

/** Connections of users' SQL: the statements running at once. */
const CONNECTIONS = 2
/** How long a statement waits for a connection before the caller is told to come back. */
const CONNECT_TIMEOUT_MS = 2000
/** How often a given-up backend is asked to end, until it has. */
const STOP_POLL_MS = 250
/** After this, a backend that would not end is no longer waited for (its client is free again). */
const STOP_GIVE_UP_MS = 10 * 60_000

/** A statement on the service's own connections (cancel, terminate, look backends up). */
export type ControlQuery = (text: string, params: readonly unknown[]) => Promise<readonly Record<string, unknown>[]>

/** A pause that does not keep the process alive. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref())

/**
 * Users' SQL on PostgreSQL: connections of their own (so that they never hold those the service
 * needs), a read-only transaction as the reader role with the statement timeout, and a watchdog
 * for what the timeout does not stop (functions such as `repeat` or `array_fill` that never look
 * for interrupts while they work): at the timeout the backend is asked to cancel; at timeout +
 * WATCHDOG_GRACE_MS the connection is dropped, the caller answered, and the backend terminated
 * from a service connection, asked again until it has really ended (SqlAbandonedError.stopped).
 */
export class PgUserSql implements UserSqlExecutor {
  readonly concurrency = CONNECTIONS
  private readonly pool: pg.Pool
  private role: Promise<string | undefined> | undefined
  private closed = false

  constructor(
    url: string,
    private readonly control: ControlQuery,
    onIdleError: (error: Error) => void,
  ) {
    this.pool = openPool({ connectionString: url, max: CONNECTIONS, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types: readTypes }, onIdleError)
  }

  /** The reader role where it exists (a server where the service may not create roles has none). */
  private readerRole(): Promise<string | undefined> {
    this.role ??= this.control('select exists (select from pg_roles where rolname = $1) as found', [DATASTORE_READER_ROLE]).then(
      (rows) => (rows[0]?.found === true ? DATASTORE_READER_ROLE : undefined),
      (error: unknown) => {
        this.role = undefined
        throw error
      },
    )
    return this.role
  }

  async query(text: string, options: { readonly timeoutMs: number }): Promise<TypedResult> {
    const role = await this.readerRole()
    let client: pg.PoolClient
    try {
      client = await this.pool.connect()
    } catch (error) {
      // Every connection taken for longer than the wait (they end within the bound): come back.
      if (error instanceof Error && /timeout/i.test(error.message)) throw new SqlBusyError('No connection free for SQL statements: retry later', 503, 1)
      throw storeError(error)
    }
    const pid = (client as unknown as { processID: number }).processID
    return new Promise<TypedResult>((resolve, reject) => {
      let settled = false
      const cancel = setTimeout(() => void this.control('select pg_cancel_backend($1)', [pid]).catch(() => undefined), options.timeoutMs)
      const abandon = setTimeout(() => {
        if (settled) return
        settled = true
        clearTimeout(cancel)
        // The socket is closed at once; the statement's own promise then fails, unheard.
        client.on('error', () => undefined)
        client.release(new Error('users’ SQL statement given up by the watchdog'))
        reject(new SqlAbandonedError(this.stop(pid)))
      }, options.timeoutMs + WATCHDOG_GRACE_MS)
      const finish = (broken: boolean) => {
        clearTimeout(cancel)
        clearTimeout(abandon)
        client.release(broken)
      }
      run(client, text, options.timeoutMs, role).then(
        (result) => {
          if (settled) return
          settled = true
          finish(false)
          resolve(result)
        },
        (error: unknown) => {
          if (settled) return
          settled = true
          clearTimeout(cancel)
          clearTimeout(abandon)
          client
            .query('rollback')
            .then(
              () => finish(false),
              () => finish(true),
            )
            // A connection the server ended is the store's absence, not the statement's fault.
            .finally(() => reject(storeError(error instanceof Error ? error : new Error(String(error)))))
        },
      )
    })
  }

  /**
   * Terminates a given-up backend and waits until it is gone: a backend busy in a function that
   * never looks for interrupts ends only when that function returns.
   */
  private async stop(pid: number): Promise<void> {
    const giveUp = Date.now() + STOP_GIVE_UP_MS
    // Closing: the service's connections go too; the server ends what is left of the backend.
    while (Date.now() < giveUp && !this.closed) {
      try {
        const rows = await this.control('select pg_terminate_backend(pid) as signalled from pg_stat_activity where pid = $1', [pid])
        if (rows.length === 0) return
      } catch {
        // The server unreachable: its backends are being ended with it; look again.
      }
      await sleep(STOP_POLL_MS)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    await this.pool.end()
  }
}

async function run(client: pg.PoolClient, text: string, timeoutMs: number, role: string | undefined): Promise<TypedResult> {
  await client.query(readOnlySetup(timeoutMs, role))
  const result = await client.query({ text })
  await client.query('commit')
  return { fields: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })), rows: result.rows as Record<string, unknown>[] }
}
