import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { migrationProvider } from './migrations/index.js'
import { PGliteClient } from './pglite-client.js'
import { PGliteDialect } from './pglite-dialect.js'
import { lockDataDir } from './data-dir-lock.js'
import { dataRows, type RawRow } from './pg-protocol.js'
import type { Tables } from './tables.js'
import { translatingDialect, withStoreErrors } from './store-errors.js'
import { pgliteLoadSession, withPostgresLoadSession, type LoadSession } from './load-session.js'

/** The store: PostgreSQL (real, or embedded PGlite), always through Kysely. */
export interface Database {
  readonly db: Kysely<Tables>
  readonly kind: 'pglite' | 'postgres'
  /** Where the store lives, for logs: a folder or a URL without its password. */
  readonly location: string
  /**
   * Reads the rows of a SELECT in batches as raw text fields, skipping the driver's value
   * decoding: the bulk path of the embedded store (undefined where the driver is fast enough).
   */
  readonly streamRows?: (select: string, batchRows: number, onRows: (rows: RawRow[]) => void | Promise<void>) => Promise<number>
  /**
   * Runs one statement in a read-only transaction, as `role` when given (and when it exists),
   * cancelled after `timeoutMs` where the engine can: PostgreSQL can, the embedded engine cannot
   * interrupt a statement. Dates, timestamps and numerics come back as text. Reads have
   * connections of their own on PostgreSQL; users' SQL has its own executor (datastore/user-sql.ts).
   */
  readonly readQuery: (text: string, params: readonly unknown[], options: ReadQueryOptions) => Promise<TypedResult>
  /** Each connection pool's use now, for the operator's metrics. */
  readonly connections: () => readonly PoolConnections[]
  /**
   * The rows of a SELECT in PostgreSQL's binary COPY format, in one piece: how the embedded store
   * fills the users' SQL replica (undefined on PostgreSQL).
   */
  readonly copyOut?: (select: string) => Promise<ArrayBuffer>
  /** Runs a bulk load (statements and COPY … FROM) on a session fit for it (see LoadSession). */
  readonly loadSession: <T>(work: (session: LoadSession) => Promise<T>) => Promise<T>
  /**
   * The embedded store's data folder as a tarball, for `template` (undefined on PostgreSQL): a
   * store started from it skips initdb and the migrations already applied.
   */
  readonly dump?: () => Promise<ArrayBuffer>
  close(): Promise<void>
}

/**
 * One pool's connections: PostgreSQL's `main` (the service) and `read` (datastore reads; users'
 * SQL has connections of its own); the embedded store's single session, `embedded`.
 */
export interface PoolConnections {
  readonly pool: 'main' | 'read' | 'embedded'
  readonly inUse: number
  readonly idle: number
  /** Queries waiting for a connection. */
  readonly waiting: number
}

export function poolConnections(pool: 'main' | 'read', counts: pg.Pool): PoolConnections {
  return { pool, inUse: counts.totalCount - counts.idleCount, idle: counts.idleCount, waiting: counts.waitingCount }
}

export interface ReadQueryOptions {
  readonly timeoutMs: number
  readonly role?: string
}

/** Rows of a query with the names and PostgreSQL type OIDs of its columns. */
export interface TypedResult {
  readonly fields: readonly { readonly name: string; readonly dataTypeID: number }[]
  readonly rows: readonly Record<string, unknown>[]
}

const asText = (value: string) => value
/** date, timestamp, timestamptz, numeric: the datastore serves them as the server writes them. */
const TEXT_TYPES = new Set([1082, 1114, 1184, 1700])
export const readTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.has(oid) ? asText : (pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (value: string) => unknown)(oid, format),
}

/**
 * The start of a read-only transaction, as one text (SET statements take no parameters: the
 * values are checked and quoted here), so that it costs one round trip.
 */
export function readOnlySetup(timeoutMs: number, role: string | undefined): string {
  const statements = ['begin transaction read only', `set local statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`]
  if (role !== undefined) {
    if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`Invalid role name: ${role}`)
    statements.push(`set local role ${role}`)
  }
  return statements.join('; ')
}

/**
 * Whether a role exists (a server where the service may not create roles has none), asked once
 * per role; a failed lookup is asked again next time.
 */
function roleLookup(query: (role: string) => Promise<boolean>): (role: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>()
  return (role) => {
    let found = known.get(role)
    if (!found) {
      found = query(role)
      known.set(role, found)
      found.catch(() => known.delete(role))
    }
    return found
  }
}

const ROLE_EXISTS = 'select exists (select from pg_roles where rolname = $1) as found'

/** The role a read runs as: the one asked for if it exists, else the session's own. */
async function readRole(options: ReadQueryOptions, exists: (role: string) => Promise<boolean>): Promise<string | undefined> {
  return options.role !== undefined && (await exists(options.role)) ? options.role : undefined
}

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server; otherwise the embedded store in `dataDir`. */
  readonly url?: string | undefined
  /** Folder of the embedded store (created if missing); `memory://` keeps it in memory. */
  readonly dataDir: string
  /**
   * A store that does not exist yet (in memory, or a data folder that holds none) starts from this
   * data folder (Database.dump) instead of being initialised and migrated (seconds): test suites.
   */
  readonly template?: ArrayBuffer | undefined
  /**
   * Told when the server ends an idle pooled connection (restart, failover, idle timeout): the
   * pool drops it and opens another when needed; without a listener the process would exit.
   */
  readonly onIdleError?: (error: Error) => void
}

// int8 (counts, sums) as JavaScript numbers: the values here stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value))

function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://…'
  }
}

/**
 * A pool of connections to a PostgreSQL server that the server may end at any time (restart,
 * failover, pg_terminate_backend) without ending the process. Every connection carries the URL's
 * parameters, `application_name` included (pg reads them from the connection string).
 */
export function openPool(config: pg.PoolConfig, onIdleError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionTimeoutMillis: 10_000, keepAlive: true, ...config })
  // An idle connection that fails: the pool drops it and tells this listener.
  pool.on('error', onIdleError)
  // A connection checked out of the pool has no listener of the pool's: the server ending it would
  // be an unhandled 'error' event, which ends the process. The statement running on it fails (and
  // the next ones, with "not queryable"), and the pool drops it when it is released: nothing is
  // left to do here.
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}

/**
 * Opens the store and brings its schema up to date. Migrations run under Kysely's migration lock,
 * so several nodes starting together on one PostgreSQL do not race.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let database: Database
  if (options.url) {
    const onIdleError = (error: Error) => options.onIdleError?.(error)
    const pool = openPool({ connectionString: options.url, max: 10 }, onIdleError)
    // Reads of the datastore apart: they may not starve the service's own pool.
    const readPool = openPool({ connectionString: options.url, max: 4, types: readTypes }, onIdleError)
    const roleExists = roleLookup(async (role) => (await pool.query<{ found: boolean }>(ROLE_EXISTS, [role])).rows[0]?.found === true)
    database = {
      db: new Kysely<Tables>({ dialect: translatingDialect(new PostgresDialect({ pool })) }),
      kind: 'postgres',
      location: redact(options.url),
      connections: () => [poolConnections('main', pool), poolConnections('read', readPool)],
      loadSession: (work) => withPostgresLoadSession(pool, work),
      readQuery: withStoreErrors(async (text, params, queryOptions) => {
        const role = await readRole(queryOptions, roleExists)
        const client = await readPool.connect()
        let broken = false
        try {
          await client.query(readOnlySetup(queryOptions.timeoutMs, role))
          const result = await client.query({ text, values: [...params] })
          await client.query('commit')
          return { fields: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })), rows: result.rows as Record<string, unknown>[] }
        } catch (error) {
          await client.query('rollback').catch(() => {
            broken = true
          })
          throw error
        } finally {
          client.release(broken)
        }
      }),
      close: async () => {
        await readPool.end()
        await database.db.destroy()
      },
    }
  } else {
    const inMemory = options.dataDir === 'memory://'
    const folder = inMemory ? options.dataDir : resolve(options.dataDir, 'pglite')
    if (!inMemory) mkdirSync(folder, { recursive: true })
    const unlock = inMemory ? () => undefined : lockDataDir(folder)
    let pglite: PGliteClient
    try {
      const template = inMemory || !existsSync(join(folder, 'PG_VERSION')) ? options.template : undefined
      pglite = inMemory && template ? await PGliteClient.openInMemory({ loadDataDir: template }) : await PGliteClient.open(inMemory ? undefined : folder, { loadDataDir: template })
    } catch (error) {
      unlock()
      throw error
    }
    const dialect = new PGliteDialect(pglite)
    const db = new Kysely<Tables>({ dialect })
    const roleExists = roleLookup(async (role) => (await pglite.query<{ found: boolean }>(ROLE_EXISTS, [role])).rows[0]?.found === true)
    database = {
      db,
      kind: 'pglite',
      location: folder,
      connections: () => [{ pool: 'embedded', inUse: dialect.session.inUse, idle: 1 - dialect.session.inUse, waiting: dialect.session.waiting }],
      loadSession: (work) => work(pgliteLoadSession(db, pglite)),
      // One session: the statements are run through Kysely's connection so that nothing else interleaves.
      readQuery: (text, params, queryOptions) =>
        db.connection().execute(async () => {
          const role = await readRole(queryOptions, roleExists)
          try {
            await pglite.exec(readOnlySetup(queryOptions.timeoutMs, role))
            const result = await pglite.query<Record<string, unknown>>(text, params, { textTypes: true })
            await pglite.exec('commit')
            return { fields: result.fields, rows: result.rows }
          } catch (error) {
            await pglite.exec('rollback').catch(() => undefined)
            throw error
          }
        }),
      copyOut: (select) =>
        db.connection().execute(async () => {
          const result = await pglite.query(`copy (${select}) to '/dev/blob' with (format binary)`, [], {})
          if (!result.blob) throw new Error('COPY TO /dev/blob wrote nothing')
          return result.blob
        }),
      // The session is taken through Kysely so that no other statement runs inside the stream's transaction.
      streamRows: (select, batchRows, onRows) =>
        db.connection().execute(async () => {
          let count = 0
          await pglite.stream(
            {
              setup: ['begin transaction isolation level repeatable read read only', `declare bulk_rows no scroll cursor for ${select}`],
              repeat: `fetch ${batchRows} from bulk_rows`,
              teardown: ['close bulk_rows', 'commit'],
            },
            async (bytes) => {
              const rows = dataRows(bytes)
              count += rows.length
              await onRows(rows)
            },
          )
          return count
        }),
      dump: () => pglite.dumpDataDir(),
      close: async () => {
        try {
          await database.db.destroy()
        } finally {
          unlock()
        }
      },
    }
  }
  try {
    await migrate(database.db)
  } catch (error) {
    await database.close()
    throw error
  }
  return database
}

async function migrate(db: Kysely<Tables>): Promise<void> {
  // Kysely looks for its migration tables in any schema unless told which: name the current one,
  // so that stores in other schemas of the same database (tests, other tenants) never mislead it.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: rows[0]?.schema ?? 'public' })
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest()
    const failed = results?.find((result) => result.status === 'Error')
    if (!error && !failed) return
    // Kysely first lists every table of the database to find its own; a table another node or
    // schema renames or drops meanwhile (a dataset's staging table swapped in) fails that listing
    // with undefined_table before any migration ran: it is listed again.
    if (!failed && (error as { code?: unknown } | undefined)?.code === '42P01' && attempt < MIGRATION_ATTEMPTS) continue
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error })
  }
}

/** Listings of the database's tables that a concurrent rename may fail, before the migration gives up. */
const MIGRATION_ATTEMPTS = 5
