import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { migrationProvider } from './migrations/index.js'
import { PGliteClient } from './pglite-client.js'
import { PGliteDialect } from './pglite-dialect.js'
import { lockDataDir } from './data-dir-lock.js'
import { dataRows, type RawRow } from './pg-protocol.js'
import type { Tables } from './tables.js'

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
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server; otherwise the embedded store in `dataDir`. */
  readonly url?: string | undefined
  /** Folder of the embedded store (created if missing); `memory://` keeps it in memory. */
  readonly dataDir: string
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
 * Opens the store and brings its schema up to date. Migrations run under Kysely's migration lock,
 * so several nodes starting together on one PostgreSQL do not race.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let database: Database
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: 10,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    })
    pool.on('error', (error) => options.onIdleError?.(error))
    database = {
      db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }),
      kind: 'postgres',
      location: redact(options.url),
      close: async () => {
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
      pglite = await PGliteClient.open(inMemory ? undefined : folder)
    } catch (error) {
      unlock()
      throw error
    }
    const db = new Kysely<Tables>({ dialect: new PGliteDialect(pglite) })
    database = {
      db,
      kind: 'pglite',
      location: folder,
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
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error })
  }
}
