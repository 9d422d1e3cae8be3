import { sql, type Kysely } from 'kysely'
import { SqlAbandonedError, SqlBusyError } from '../../domain/datastore/datastore-errors.js'
import type { Database, TypedResult } from '../database.js'
import { PGliteClient } from '../pglite-client.js'
import type { Tables } from '../tables.js'
import type { UserSqlExecutor } from './user-sql.js'

/** A running replica: its worker and the version of each resource copied into it. */
interface Replica {
  readonly client: PGliteClient
  readonly tables: Map<string, string>
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/**
 * Users' SQL on the embedded store: PGlite cannot interrupt a statement (it runs synchronously in
 * WebAssembly; statement_timeout needs a signal it never gets), and the store's one session serves
 * tokens and deposits. So users' SQL never runs there: it runs on a replica in memory, in a worker
 * of its own, holding only the resources' rows (no offers, no access tables). A statement still
 * running at its timeout ends with the worker (terminated at once), and a new replica starts from
 * a dumped empty data folder (no initdb). A resource is copied in (binary COPY through
 * `/dev/blob`) when a statement first reads it and again when its version changed (a load, an
 * import, or the change log applied to a live table).
 */
export class ReplicaUserSql implements UserSqlExecutor {
  readonly concurrency = 1
  private current: Promise<Replica> | undefined
  /** The data folder of a freshly initialised store: replicas after the first start from it. */
  private template: ArrayBuffer | undefined
  private closed = false

  constructor(private readonly source: Database) {}

  async query(text: string, options: { readonly timeoutMs: number; readonly resources: readonly string[] }): Promise<TypedResult> {
    const replica = await this.replica()
    await this.sync(replica, options.resources)
    let timer: NodeJS.Timeout | undefined
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SqlAbandonedError(this.kill(replica))), options.timeoutMs)
    })
    try {
      return await Promise.race([run(replica.client, text), watchdog])
    } finally {
      clearTimeout(timer)
    }
  }

  /** The running replica, started when there is none. @throws SqlBusyError (503) when it cannot start. */
  private replica(): Promise<Replica> {
    if (this.closed) return Promise.reject(new SqlBusyError('The SQL executor is stopping', 503, 5))
    this.current ??= this.start()
    return this.current.catch((error: unknown) => {
      this.current = undefined
      throw new SqlBusyError('The SQL executor is restarting: retry later', 503, 2, { cause: error })
    })
  }

  private async start(): Promise<Replica> {
    const client = await PGliteClient.openInMemory(this.template)
    try {
      this.template ??= await client.dumpDataDir()
    } catch (error) {
      await client.terminate()
      throw error
    }
    return { client, tables: new Map() }
  }

  /** Stops a replica at once and starts the next; settles when its worker has stopped. */
  private kill(replica: Replica): Promise<void> {
    const stopped = replica.client.terminate()
    void this.current?.then((running) => {
      if (running !== replica || this.closed) return
      this.current = this.start()
      // A failed start is told to the statement that needs the replica next.
      this.current.catch(() => undefined)
    })
    return stopped
  }

  /** Copies into the replica the resources it lacks, or holds in an older version. */
  private async sync(replica: Replica, resources: readonly string[]): Promise<void> {
    if (resources.length === 0) return
    const db: Kysely<Tables> = this.source.db
    // Live resources change with the offers, SQL views with what they read: the versions of all
    // resources count for them.
    const { rows } = await sql<{ id: string; version: string }>`select id, concat_ws('/', updated_at, as_of_seq,
        case when live is not null then (select concat_ws('/', max(updated_at), max(as_of_seq)) from datastore_resources) end) as version
      from datastore_resources where id = any(${[...resources]}::text[])`.execute(db)
    for (const { id, version } of rows) {
      if (replica.tables.get(id) === version) continue
      const { rows: columns } = await sql<{ name: string; type: string }>`select attname as name, format_type(atttypid, atttypmod) as type
        from pg_attribute where attrelid = ${quote(id)}::regclass and attnum > 0 and not attisdropped order by attnum`.execute(db)
      if (!this.source.copyOut) throw new Error('The embedded store cannot copy rows out')
      const rows = await this.source.copyOut(`select ${columns.map((column) => quote(column.name)).join(', ')} from ${quote(id)}`)
      replica.tables.delete(id)
      await replica.client.exec(`drop table if exists ${quote(id)}; create table ${quote(id)} (${columns.map((column) => `${quote(column.name)} ${column.type}`).join(', ')})`)
      await replica.client.query(`copy ${quote(id)} from '/dev/blob' with (format binary)`, [], { blob: rows })
      await replica.client.exec(`analyze ${quote(id)}`)
      replica.tables.set(id, version)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    const running = this.current
    this.current = undefined
    const replica = await running?.catch(() => undefined)
    await replica?.client.terminate()
  }
}

/** One statement in a read-only transaction; the columns' types are given with the rows. */
async function run(client: PGliteClient, text: string): Promise<TypedResult> {
  await client.exec('begin transaction read only')
  try {
    const result = await client.query<Record<string, unknown>>(text, [], { textTypes: true })
    await client.exec('commit')
    return { fields: result.fields, rows: result.rows }
  } catch (error) {
    await client.exec('rollback').catch(() => undefined)
    throw error
  }
}
