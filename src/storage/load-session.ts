import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { PGliteClient } from './pglite-client.js'
import { storeError, translatingDialect } from './store-errors.js'
import type { Tables } from './tables.js'

/** A piece of COPY input and the rows it holds. */
export interface CopyPiece {
  readonly bytes: Uint8Array
  readonly rows: number
}

/**
 * What a bulk load of a table runs on: `db` for its statements, and COPY … FROM for its rows.
 * On PostgreSQL one pooled connection is the load's until it ends (an advisory lock lives on
 * it); on the embedded store the single session is taken statement by statement, so that the
 * service's own queries run between the pieces of a load.
 */
export interface LoadSession {
  readonly db: Kysely<Tables>
  /**
   * Copies rows in COPY's text format into `table` (`columns`: its quoted column list), piece after
   * piece, each made of whole lines: one COPY FROM STDIN on PostgreSQL, one COPY per piece on the
   * embedded store (the next piece is made while the store copies the last).
   * @param onCopied told after each piece is stored (the rows it held)
   * @returns the rows copied
   */
  copyText(table: string, columns: string, pieces: AsyncIterable<CopyPiece>, onCopied?: (rows: number) => void): Promise<number>
  /**
   * Copies pieces each in PostgreSQL's binary COPY format (header and trailer included): the
   * embedded store's prebuilt rows. Undefined on PostgreSQL.
   */
  readonly copyBinary?: (table: string, pieces: AsyncIterable<CopyPiece>, onCopied?: (rows: number) => void) => Promise<number>
}

/** A pool that hands out one client, never releasing it (Kysely over a connection held by the caller). */
function singleClientPool(client: pg.PoolClient): pg.Pool {
  const held = new Proxy(client, {
    get(target, property) {
      if (property === 'release') return () => undefined
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
  return { connect: () => Promise.resolve(held), end: () => Promise.resolve() } as unknown as pg.Pool
}

/** Runs a load on one connection of the PostgreSQL pool, dropped after a failure of the connection. */
export async function withPostgresLoadSession<T>(pool: pg.Pool, work: (session: LoadSession) => Promise<T>): Promise<T> {
  let client: pg.PoolClient
  try {
    client = await pool.connect()
  } catch (error) {
    throw storeError(error)
  }
  let failure: unknown
  try {
    const db = new Kysely<Tables>({ dialect: translatingDialect(new PostgresDialect({ pool: singleClientPool(client) })) })
    return await work({
      db,
      async copyText(table, columns, pieces, onCopied) {
        let rows = 0
        async function* bytes() {
          for await (const piece of pieces) {
            yield piece.bytes
            rows += piece.rows
            onCopied?.(piece.rows)
          }
        }
        try {
          await pipeline(Readable.from(bytes()), client.query(copyFrom(`copy ${table} (${columns}) from stdin`)))
        } catch (error) {
          throw storeError(error)
        }
        return rows
      },
    })
  } catch (error) {
    failure = error
    throw error
  } finally {
    // A connection the server cut (or left in a COPY) is not given back to the pool.
    client.release(failure instanceof Error && failure.name === 'UnavailableError' ? failure : undefined)
  }
}

/**
 * Runs pieces one COPY at a time on the embedded store, each holding the session only while it
 * runs; the next piece is made meanwhile.
 */
async function copyPieces(run: (bytes: Uint8Array) => Promise<unknown>, pieces: AsyncIterable<CopyPiece>, onCopied?: (rows: number) => void): Promise<number> {
  let rows = 0
  let running: Promise<void> | undefined
  try {
    for await (const piece of pieces) {
      await running
      running = run(piece.bytes).then(() => {
        rows += piece.rows
        onCopied?.(piece.rows)
      })
      // Awaited before the next piece or below: handled meanwhile, while the next piece is made.
      running.catch(() => undefined)
    }
    await running
  } finally {
    // A failure of the maker leaves the last COPY to settle before the caller drops the table.
    await running?.catch(() => undefined)
  }
  return rows
}

/** The bytes as an ArrayBuffer of their own (a Buffer may be a view on a shared pool). */
function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer
  return new Uint8Array(bytes).buffer
}

/** The embedded store's load session: its one Kysely instance, COPY through `/dev/blob`. */
export function pgliteLoadSession(db: Kysely<Tables>, pglite: PGliteClient): LoadSession {
  const copy = (statement: string) => (bytes: Uint8Array) =>
    db.connection().execute(() => pglite.query(statement, [], { blob: arrayBufferOf(bytes) }))
  return {
    db,
    copyText: (table, columns, pieces, onCopied) => copyPieces(copy(`copy ${table} (${columns}) from '/dev/blob'`), pieces, onCopied),
    copyBinary: (table, pieces, onCopied) => copyPieces(copy(`copy ${table} from '/dev/blob' with (format binary)`), pieces, onCopied),
  }
}
