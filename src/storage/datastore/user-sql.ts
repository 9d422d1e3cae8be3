import type { TypedResult } from '../database.js'

/**
 * Where users' SQL runs (datastore_search_sql), apart from the service's own statements: on
 * PostgreSQL, connections of its own under a watchdog (PgUserSql); on the embedded store, a
 * replica of the resources in a worker that can be stopped (ReplicaUserSql).
 */
export interface UserSqlExecutor {
  /** Statements it runs at once (the gate in front of it admits no more). */
  readonly concurrency: number
  /**
   * Runs one statement read-only, as the datastore's reader. A statement still running after
   * `timeoutMs` is stopped; the answer never comes later than the executor's wall-time bound.
   * @param resources the resources the statement reads (the SQL guard's list).
   * @throws SqlAbandonedError when the watchdog gave the statement up, SqlBusyError when there is
   * no connection to run it on, or the engine's error.
   */
  query(text: string, options: { readonly timeoutMs: number; readonly resources: readonly string[] }): Promise<TypedResult>
  close(): Promise<void>
}

/** The watchdog's margin over the statement timeout: the wall-time bound is timeout + this. */
export const WATCHDOG_GRACE_MS = 500

const ROWS = '"openemploi:rows"'
const BYTES = 'openemploi:bytes'
const OVER = 'openemploi:over'

/**
 * Bounds an answer in bytes on the engine's side, so that no more than `maxBytes` of row text
 * ever travels or is buffered: rows are kept while the running total of their text stays within
 * the bound, and a last column says whether rows were left out (`records_truncated`, as the row
 * cap). A single row over the bound leaves an answer without rows, truncated. The statement's
 * own columns cannot fool the count: the whole row is taken with `alias.*`, which no column name
 * can replace, and a statement with a column named as ours fails (an ambiguous reference).
 */
export function boundBytes(statement: string, maxBytes: number): string {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`)
  return [
    `with ${ROWS} as materialized (select "openemploi:row".*, sum(octet_length(row("openemploi:row".*)::text)) over (rows between unbounded preceding and current row) as "${BYTES}" from (`,
    statement,
    `) as "openemploi:row")`,
    `select "openemploi:kept".*, "openemploi:flag"."${OVER}" from (select exists (select from ${ROWS} where "${BYTES}" > ${maxBytes}) as "${OVER}") as "openemploi:flag"`,
    `left join lateral (select * from ${ROWS} where "${BYTES}" <= ${maxBytes}) as "openemploi:kept" on true`,
  ].join('\n')
}

/** The answer of a statement wrapped by boundBytes(): its own columns and rows, and whether rows were left out. */
export function unboundBytes(result: TypedResult): TypedResult & { readonly truncated: boolean } {
  const truncated = result.rows[0]?.[OVER] === true
  const fields = result.fields.filter((field) => field.name !== BYTES && field.name !== OVER)
  // The one row of an answer left empty carries no total: it stands for no row at all.
  const rows = result.rows.filter((row) => row[BYTES] !== null && row[BYTES] !== undefined)
  for (const row of rows) {
    delete row[BYTES]
    delete row[OVER]
  }
  return { fields, rows, truncated }
}
