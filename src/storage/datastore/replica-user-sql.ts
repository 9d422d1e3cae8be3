import { sql } from 'kysely'
import { SqlAbandonedError, SqlBusyError } from '../../domain/datastore/datastore-errors.js'
import type { Database, TypedResult } from '../database.js'
import { PGliteClient } from '../pglite-client.js'
import { liveOffersKey, offersChangedBetween } from './sql-datastore.js'
import type { UserSqlExecutor } from './user-sql.js'

/** A running replica: its worker and what it holds of each resource. */
interface Replica {
  readonly client: PGliteClient
  /** Resource → the store's table (its oid: a load makes a new one) and change it is current to. */
  readonly tables: Map<string, { readonly oid: number; readonly asOf: number; readonly view?: true }>
}

/** Rows copied per statement on the store's session (about 20–50 ms of it each). */
const SLICE_ROWS = 5000

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** A text[] literal of values (offer ids), quoted: COPY takes no parameters. */
const textArray = (values: readonly string[]) => `array[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')}]::text[]`

/**
 * Users' SQL on the embedded store: PGlite cannot interrupt a statement (it runs synchronously in
 * WebAssembly; statement_timeout needs a signal it never gets), and the store's one session serves
 * tokens and deposits. So users' SQL never runs there: it runs on a replica in memory, in a worker
 * of its own, holding only the resources' rows (no offers, no access tables). A statement still
 * running at its timeout ends with the worker (terminated at once), and a new replica starts from
 * a dumped empty data folder (no initdb). A resource is copied in (binary COPY through
 * `/dev/blob`) when a statement first reads it and kept current as sync() says.
 */
/**
 * The data folder of a freshly initialised store, dumped by the process's first replica: every
 * replica after it, of this executor or another (a restarted service, a test suite's next app),
 * starts from it instead of running initdb again (seconds of processor time each).
 */
let emptyDataDir: ArrayBuffer | undefined

export class ReplicaUserSql implements UserSqlExecutor {
  readonly concurrency = 1
  private current: Promise<Replica> | undefined
  private closed = false

  /**
   * @param options.background the replica's thread at the lowest priority (the default): users'
   * statements get what the service's own threads leave. Test suites run it at the process's
   * priority: on a loaded machine a lowest-priority thread waits minutes for the processor.
   */
  constructor(
    private readonly source: Database,
    private readonly options: { readonly background?: boolean } = {},
  ) {}

  async query(text: string, options: { readonly timeoutMs: number; readonly resources: readonly string[] }): Promise<TypedResult> {
    const replica = await this.replica()
    let timer: NodeJS.Timeout | undefined
    try {
      await this.sync(replica, options.resources)
      const watchdog = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SqlAbandonedError(this.kill(replica))), options.timeoutMs)
      })
      return await Promise.race([run(replica.client, text), watchdog])
    } catch (error) {
      if (error instanceof SqlAbandonedError || typeof (error as { code?: unknown }).code === 'string') throw error
      // Not an error of the statement (no SQLSTATE): the replica itself failed; start another.
      await this.kill(replica)
      throw new SqlBusyError('The SQL executor is restarting: retry later', 503, 2, { cause: error })
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
    // Its tables already live in memory: a small buffer cache saves about 130 MB.
    const client = await PGliteClient.openInMemory({
      ...(emptyDataDir ? { loadDataDir: emptyDataDir } : {}),
      background: this.options.background ?? true,
      settings: 'shared_buffers = 16MB',
    })
    try {
      // The engine starts in the worker after the worker answers: a statement's timeout must not
      // count that start (seconds on a loaded machine), so the replica is ready once it answers.
      await client.exec('select 1')
      emptyDataDir ??= await client.dumpDataDir()
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

  /**
   * Brings into the replica the resources a statement reads: a table is copied whole when the
   * replica lacks it or the store's table was replaced (a load or an import creates a new table);
   * a live table brought up to the change log since is updated with the offers changed in
   * between only (deposits must not make every statement copy every offer again); a SQL view is
   * created again over its tables, brought in first.
   */
  private async sync(replica: Replica, resources: readonly string[]): Promise<void> {
    if (resources.length === 0) return
    const { rows } = await sql<{ id: string; oid: number; kind: string; live: unknown; asOf: string | number | null }>`select r.id, c.oid::int as oid,
        c.relkind as kind, r.live, r.as_of_seq as "asOf"
      from datastore_resources r join pg_class c on c.relname = r.id and c.relnamespace = current_schema()::regnamespace
      where r.id = any(${[...resources]}::text[])`.execute(this.source.db)
    for (const row of rows) {
      if (row.kind === 'v') await this.syncView(replica, row.id, row.oid)
      else await this.syncTable(replica, row.id, row.oid, liveOffersKey(row.live), Number(row.asOf ?? 0))
    }
  }

  private async syncTable(replica: Replica, id: string, oid: number, key: string | undefined, asOf: number, attempt = 0): Promise<void> {
    const held = replica.tables.get(id)
    if (held?.oid === oid && held.asOf >= asOf) return
    const columns = await this.columns(id)
    const select = `select ${columns.map((column) => quote(column.name)).join(', ')} from ${quote(id)}`
    const ids = held?.oid === oid && key !== undefined ? await offersChangedBetween(this.source.db, held.asOf, asOf) : undefined
    if (key !== undefined && ids !== undefined) {
      if (ids.length <= SLICE_ROWS) {
        const changed = await this.copyOut(`${select} where ${quote(key)} = any(${textArray(ids)})`)
        await replica.client.query(`delete from ${quote(id)} where ${quote(key)} = any($1::text[])`, [ids])
        await replica.client.query(`copy ${quote(id)} from '/dev/blob' with (format binary)`, [], { blob: changed })
        replica.tables.set(id, { oid, asOf })
        return
      }
    }
    replica.tables.delete(id)
    // Views over the table go with it (cascade): they are created again when next read.
    for (const [name, item] of replica.tables) if (item.view) replica.tables.delete(name)
    await replica.client.exec(`drop table if exists ${quote(id)} cascade; create table ${quote(id)} (${columns.map((column) => `${quote(column.name)} ${column.type}`).join(', ')})`)
    // In slices of `_id`: the store's one session serves tokens and deposits between them.
    const { rows: bounds } = await sql<{ low: number | null; high: number | null }>`select min("_id")::int as low, max("_id")::int as high from ${sql.id(id)}`.execute(this.source.db)
    const { low, high } = bounds[0] ?? { low: null, high: null }
    for (let from = low ?? 0; low !== null && high !== null && from <= high; from += SLICE_ROWS) {
      const rows = await this.copyOut(`${select} where "_id" >= ${from} and "_id" < ${from + SLICE_ROWS}`)
      await replica.client.query(`copy ${quote(id)} from '/dev/blob' with (format binary)`, [], { blob: rows })
    }
    await replica.client.exec(`analyze ${quote(id)}`)
    // The slices were read at different moments: what changed meanwhile is caught up now (a
    // live table), or the copy done again (a table replaced), so that no statement sees a mix.
    const { rows: now } = await sql<{ oid: number; asOf: string | number | null }>`select c.oid::int as oid, r.as_of_seq as "asOf"
      from datastore_resources r join pg_class c on c.relname = r.id and c.relnamespace = current_schema()::regnamespace where r.id = ${id}`.execute(this.source.db)
    const current = now[0]
    if (current === undefined || attempt >= 3) throw new Error(`The resource ${id} changed while it was copied`)
    if (current.oid !== oid) return this.syncTable(replica, id, current.oid, key, Number(current.asOf ?? 0), attempt + 1)
    replica.tables.set(id, { oid, asOf })
    if (Number(current.asOf ?? 0) > asOf) await this.syncTable(replica, id, oid, key, Number(current.asOf ?? 0), attempt + 1)
  }

  private async syncView(replica: Replica, id: string, oid: number): Promise<void> {
    const { rows: reads } = await sql<{ id: string }>`select distinct dependency.relname as id
      from pg_rewrite rule join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = rule.oid and d.refclassid = 'pg_class'::regclass
      join pg_class dependency on dependency.oid = d.refobjid
      where rule.ev_class = ${oid} and d.refobjid <> ${oid}`.execute(this.source.db)
    await this.sync(replica, reads.map((row) => row.id))
    if (replica.tables.get(id)?.oid === oid) return
    const { rows } = await sql<{ definition: string }>`select pg_get_viewdef(${oid}::oid) as definition`.execute(this.source.db)
    await replica.client.exec(`drop view if exists ${quote(id)}; create view ${quote(id)} as ${rows[0]?.definition ?? ''}`)
    replica.tables.set(id, { oid, asOf: 0, view: true })
  }

  private async columns(id: string): Promise<{ name: string; type: string }[]> {
    const { rows } = await sql<{ name: string; type: string }>`select attname as name, format_type(atttypid, atttypmod) as type
      from pg_attribute where attrelid = ${quote(id)}::regclass and attnum > 0 and not attisdropped order by attnum`.execute(this.source.db)
    return rows
  }

  private copyOut(select: string): Promise<ArrayBuffer> {
    if (!this.source.copyOut) return Promise.reject(new Error('The embedded store cannot copy rows out'))
    return this.source.copyOut(select)
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
