import { createHash, randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { sql, type Kysely, type Selectable } from 'kysely'
import type { CellValue, DatasetField, PackageDefinition, Provenance, ResourceDefinition, ResourceMetadata, ViewResource } from '../../datasets/definition.js'
import type { ColumnSchema, DatastoreRepository, PackageRecord, RelationInfo, ResourceRecord, SearchPage, SqlRows, SqlRunOptions } from '../../domain/datastore/datastore.repository.js'
import { servedValue, type SearchRequest } from '../../domain/datastore/search-request.js'
import { searchResource } from './datastore-search.js'
import { Coalesced } from '../../shared/coalesced.js'
import { retryWhileUnavailable } from '../../shared/retry.js'
import type { Database, TypedResult } from '../database.js'
import type { DatastoreResourcesTable, Tables } from '../tables.js'
import { boundBytes, unboundBytes, type UserSqlExecutor } from './user-sql.js'
import { DatasetLoadError, hiddenKeyOf, quoteIdent, TEXT_SEARCH_CONFIGS } from './resource-table.js'
import { ResourceLoader, type LoadOrigin, type RowSource } from './resource-loader.js'
import { viewSources, type PrebuiltRows } from './prebuilt.js'
import type { LoadPlan } from '../../domain/datastore/load-progress.js'

export { DatasetLoadError, PG_TYPES, quoteIdent, TEXT_SEARCH_CONFIGS } from './resource-table.js'
export type { RowSource } from './resource-loader.js'

/** PostgreSQL type names of the OIDs users' SQL may return (CKAN reports pg type names there). */
const PG_TYPE_NAMES: Record<number, string> = {
  16: 'bool', 18: 'char', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 25: 'text', 26: 'oid', 114: 'json', 700: 'float4', 701: 'float8',
  1042: 'bpchar', 1043: 'varchar', 1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1186: 'interval', 1700: 'numeric', 3614: 'tsvector', 3802: 'jsonb',
  1000: '_bool', 1007: '_int4', 1009: '_text', 1016: '_int8',
}

/** Changes when the way tables are built changes: every shipped resource is then loaded again. */
const LOADER_VERSION = '2'

function fingerprintOf(resource: ResourceDefinition, dataDir: URL): string {
  const files = resource.provenance.files.map((file) => {
    try {
      return [file, statSync(new URL(file, dataDir)).size]
    } catch {
      return [file, -1]
    }
  })
  const shape = {
    loader: LOADER_VERSION,
    // The full text's configurations: a table built with others is loaded again.
    textSearch: TEXT_SEARCH_CONFIGS,
    kind: resource.kind,
    fields: resource.fields,
    version: resource.peVersion,
    ...(resource.kind === 'file' ? { rows: resource.expectedRows, files } : { select: resource.select, live: resource.live }),
  }
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex')
}

/**
 * Whether a stored resource is current: an operator's import always is (it wins over the shipped
 * files), a shipped one when it was loaded from the same definition and files. A SQL view is
 * created again every time: reloading a table it reads drops it.
 */
function isCurrent(resource: ResourceDefinition, stored: { fingerprint: string; origin: string } | undefined, fingerprint: string): boolean {
  if (!stored || (resource.kind === 'view' && resource.live?.kind === 'view')) return false
  return stored.origin === 'import' || stored.fingerprint === fingerprint
}

/** What the loading of the shipped datasets tells as it goes (progress, log). */
export interface SyncListener {
  /** The store was checked: the resources current, and those to load (with their rows when known). */
  planned?(plan: LoadPlan): void
  /** A resource's load begins. */
  started?(resource: ResourceDefinition): void
  /** Rows stored by the load under way (negative when a load cut by the store starts again). */
  copied?(rows: number): void
  /** A resource is served in its new version. */
  loaded?(resource: ResourceDefinition, rows: number | undefined): void
  /** Every resource is served. */
  served?(): void
  /** Every table has its indexes and statistics. */
  indexed?(): void
}

type ResourceRow = Selectable<DatastoreResourcesTable>

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

/**
 * The offers changed after change `after` up to `through`, each once; undefined when the log no
 * longer holds them all (pruned past `after`): a live table is then filled again whole.
 */
export async function offersChangedBetween(db: Kysely<Tables>, after: number, through: number): Promise<string[] | undefined> {
  const state = await db.selectFrom('change_log_state').select('pruned_through').where('id', '=', 1).executeTakeFirst()
  if (after < Number(state?.pruned_through ?? 0)) return undefined
  const { rows } = await sql<{ id: string }>`select distinct offer_id as id from offer_changes where seq > ${after} and seq <= ${through}`.execute(db)
  return rows.map((row) => row.id)
}

/** The key column of a live table of offers (see ViewResource.live), if the resource is one. */
export function liveOffersKey(live: unknown): string | undefined {
  const parsed = parseJson<ViewResource['live'] | null>(live)
  return parsed?.kind === 'offers' ? parsed.key : undefined
}

function resourceRecord(row: ResourceRow): ResourceRecord {
  return {
    id: row.id,
    packageId: row.package_id,
    name: row.name,
    description: row.description,
    peSource: row.pe_source,
    peVersion: row.pe_version,
    peType: row.pe_type,
    kind: row.kind,
    fields: parseJson<DatasetField[]>(row.fields),
    provenance: parseJson<Provenance>(row.provenance),
    size: row.size === null ? undefined : Number(row.size),
    origin: row.origin,
    position: row.position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}


/**
 * The Infotravail datastore on PostgreSQL or PGlite: the catalogue (packages, resources), the
 * loading of resources into tables of their own, and the reads.
 */
export class SqlDatastore implements DatastoreRepository {
  private readonly db: Kysely<Tables>
  private readonly loader: ResourceLoader
  readonly cancellable: boolean

  /**
   * @param userSql where users' SQL runs (datastore_search_sql).
   * @param options.onRetry told when the load of a package or resource (its id) is cut by the
   *   store (restart, failover) and is to be done again once it answers.
   * @param options.prebuilt the shipped rows prebuilt for this store (embedded store only), read
   *   instead of `data/` for the resources whose prebuilt rows are current.
   */
  constructor(
    readonly database: Database,
    private readonly userSql: UserSqlExecutor,
    private readonly options: { onRetry?: (id: string, error: unknown, delayMs: number) => void; prebuilt?: PrebuiltRows } = {},
  ) {
    this.db = database.db
    this.loader = new ResourceLoader(database)
    this.cancellable = database.kind === 'postgres'
  }

  search(resource: ResourceRecord, request: SearchRequest): Promise<SearchPage> {
    return searchResource(this, resource, request)
  }

  async costOf(text: string, resources: readonly string[]): Promise<number> {
    const result = await this.userSql.query(`explain (format json) ${text}`, { timeoutMs: 5000, resources })
    return planCost(result)
  }

  async runSql(text: string, options: SqlRunOptions): Promise<SqlRows & { truncated: boolean }> {
    const result = unboundBytes(await this.userSql.query(boundBytes(text, options.maxBytes), { timeoutMs: options.timeoutMs, resources: options.resources }))
    const fields = result.fields.map((field) => ({ id: field.name, type: PG_TYPE_NAMES[field.dataTypeID] ?? 'text' }))
    const rows = result.rows.map((row) => {
      const served: Record<string, unknown> = {}
      for (const field of fields) served[field.id] = servedValue(field.type, row[field.id])
      return served
    })
    return { fields, rows, truncated: result.truncated }
  }

  /** Every package with its resources, in catalogue order. */
  async packages(): Promise<PackageRecord[]> {
    const [packages, resources] = await Promise.all([
      this.db.selectFrom('datastore_packages').selectAll().orderBy('position').orderBy('name').execute(),
      this.db.selectFrom('datastore_resources').selectAll().orderBy('position').orderBy('pe_version', 'desc').execute(),
    ])
    const byPackage = new Map<string, ResourceRecord[]>()
    for (const row of resources) {
      const record = resourceRecord(row)
      byPackage.set(record.packageId, [...(byPackage.get(record.packageId) ?? []), record])
    }
    return packages.map((row) => ({
      id: row.id,
      name: row.name,
      title: row.title,
      notes: row.notes,
      frequency: row.frequency,
      tags: parseJson<string[]>(row.tags),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      resources: byPackage.get(row.id) ?? [],
    }))
  }

  /** One resource, by id. */
  async resource(id: string): Promise<ResourceRecord | undefined> {
    const row = await this.db.selectFrom('datastore_resources').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? resourceRecord(row) : undefined
  }

  /** Upserts a package's metadata (not its resources). */
  async savePackage(definition: PackageDefinition, position: number): Promise<void> {
    const values = {
      id: definition.id,
      name: definition.name,
      title: definition.title,
      notes: definition.notes,
      frequency: definition.frequency,
      tags: JSON.stringify(definition.tags),
      position,
    }
    await this.db
      .insertInto('datastore_packages')
      .values(values)
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet({ ...values, updated_at: sql<Date>`case when (datastore_packages.title, datastore_packages.notes, datastore_packages.frequency, datastore_packages.tags::text) is distinct from (excluded.title, excluded.notes, excluded.frequency, excluded.tags::text) then now() else datastore_packages.updated_at end` }),
      )
      .execute()
  }

  /**
   * Loads the shipped definitions: each resource whose data is missing, or whose shipped files or
   * definition changed (unless an operator replaced it since), is loaded again, and served as
   * soon as its rows are in. Views come after the tables they read. Then the secondary indexes
   * and statistics of every table are built (those already built are kept).
   * @returns the ids of the resources loaded.
   */
  async syncShipped(packages: readonly PackageDefinition[], dataDir: URL, listener: SyncListener = {}): Promise<string[]> {
    const loaded: string[] = []
    for (const [position, definition] of packages.entries()) {
      await retryWhileUnavailable(() => this.savePackage(definition, position), { onRetry: (error, delayMs) => this.options.onRetry?.(definition.id, error, delayMs) })
    }
    const ordered = packages.flatMap((definition) => definition.resources.map((resource, position) => ({ definition, resource, position, fingerprint: fingerprintOf(resource, dataDir) })))
    // Tables first, then what is computed from them: views read them, live views read the live tables.
    const rank = (resource: ResourceDefinition) => (resource.kind === 'file' ? 0 : !resource.live ? 1 : resource.live.kind === 'offers' ? 2 : 3)
    ordered.sort((a, b) => rank(a.resource) - rank(b.resource))
    const stored = await retryWhileUnavailable(() => this.storedFingerprints(), { onRetry: (error, delayMs) => this.options.onRetry?.('datasets', error, delayMs) })
    const pending = ordered.filter(({ resource, fingerprint }) => !isCurrent(resource, stored.get(resource.id), fingerprint))
    const all = new Map(ordered.map(({ resource, fingerprint }) => [resource.id, { resource, fingerprint }]))
    const definitions = new Map(ordered.map(({ resource }) => [resource.id, resource]))
    listener.planned?.({
      current: ordered.filter((item) => !pending.includes(item)).map((item) => item.resource.id),
      pending: await Promise.all(
        pending.map(async ({ resource }) => ({
          id: resource.id,
          rows: resource.kind === 'file' ? resource.expectedRows : (await this.options.prebuilt?.find(resource, definitions, dataDir))?.rows,
        })),
      ),
    })
    for (const { definition, resource, position, fingerprint } of pending) {
      listener.started?.(resource)
      // A load the store cuts (restart, failover) is done again from its start once the store
      // answers, with its rows read again; the table served meanwhile is the previous one.
      let copied = 0
      const done = await retryWhileUnavailable(
        async () => {
          // Another node may have loaded it meanwhile.
          const now = await this.db.selectFrom('datastore_resources').select(['fingerprint', 'origin']).where('id', '=', resource.id).executeTakeFirst()
          if (isCurrent(resource, now, fingerprint)) return undefined
          if (copied !== 0) listener.copied?.(-copied)
          copied = 0
          const onCopied = (rows: number) => {
            copied += rows
            listener.copied?.(rows)
          }
          const source = await this.sourceOf(resource, dataDir, all, definitions)
          return { rows: await this.loader.load(definition.id, resource, position, source, { origin: 'shipped', fingerprint }, onCopied) }
        },
        { onRetry: (error, delayMs) => this.options.onRetry?.(resource.id, error, delayMs) },
      )
      if (!done) continue
      loaded.push(resource.id)
      listener.loaded?.(resource, done.rows)
    }
    listener.served?.()
    for (const { resource } of ordered) {
      if (resource.kind === 'view' && resource.live?.kind === 'view') continue
      await retryWhileUnavailable(
        async () => {
          const row = await this.db.selectFrom('datastore_resources').select(['fields', 'size', 'live']).where('id', '=', resource.id).executeTakeFirst()
          if (!row) return
          const rows = liveOffersKey(row.live) !== undefined ? 'live' : row.size === null ? undefined : Number(row.size)
          const fields = parseJson<DatasetField[]>(row.fields)
          const indexed = parseJson<{ indexed?: readonly string[] } | null>(row.live)?.indexed
          if (rows !== undefined) await this.loader.buildIndexes(resource.id, indexed ? fields.filter((field) => indexed.includes(field.id)) : fields, rows)
        },
        { onRetry: (error, delayMs) => this.options.onRetry?.(resource.id, error, delayMs) },
      )
    }
    listener.indexed?.()
    return loaded
  }

  private async storedFingerprints(): Promise<Map<string, { fingerprint: string; origin: string }>> {
    const rows = await this.db.selectFrom('datastore_resources').select(['id', 'fingerprint', 'origin']).execute()
    return new Map(rows.map((row) => [row.id, row]))
  }

  /**
   * Where a shipped resource's rows come from: its prebuilt rows when they are current (for a
   * view, when the tables it reads are the shipped ones too, not an operator's), else `data/`
   * or the view's SELECT.
   */
  private async sourceOf(
    resource: ResourceDefinition,
    dataDir: URL,
    all: ReadonlyMap<string, { resource: ResourceDefinition; fingerprint: string }>,
    definitions: ReadonlyMap<string, ResourceDefinition>,
  ): Promise<RowSource> {
    const prebuilt = this.options.prebuilt
    if (prebuilt && !(resource.kind === 'view' && resource.live)) {
      const shipped = resource.kind === 'file' || (await this.readsShippedTables(resource.select, all))
      const found = shipped ? await prebuilt.find(resource, definitions, dataDir) : undefined
      if (found) return { kind: 'prebuilt', pieces: found.pieces, expectedRows: found.rows }
    }
    if (resource.kind === 'view') return { kind: 'select', select: resource.select, ...(resource.live ? { live: resource.live } : {}) }
    return { kind: 'rows', rows: resource.rows(dataDir), expectedRows: resource.expectedRows }
  }

  /** Whether every table a view reads holds the shipped rows of its current definition. */
  private async readsShippedTables(select: string, all: ReadonlyMap<string, { resource: ResourceDefinition; fingerprint: string }>): Promise<boolean> {
    const sources = viewSources(select)
    if (sources.length === 0) return false
    const rows = await this.db.selectFrom('datastore_resources').select(['id', 'fingerprint', 'origin']).where('id', 'in', sources).execute()
    return sources.every((id) => rows.some((row) => row.id === id && row.origin === 'shipped' && row.fingerprint === all.get(id)?.fingerprint))
  }

  /**
   * Loads (or replaces) one resource atomically, then builds its indexes (see ResourceLoader):
   * what an operator's import does.
   * @returns the rows loaded (undefined for a live view).
   */
  async load(packageId: string, resource: ResourceMetadata, position: number, source: RowSource, origin: LoadOrigin): Promise<number | undefined> {
    const rows = await this.loader.load(packageId, resource, position, source, origin)
    if (rows !== undefined) await this.loader.buildIndexes(resource.id, resource.fields, rows)
    return rows
  }

  private readonly refreshes = new Coalesced(() => this.refreshAll())

  /**
   * Brings the live tables up to the offers' latest change: the offers changed since a table's
   * last update are deleted from it and those still active inserted again, in one transaction
   * under the table's lock (several nodes may ask at once). A table whose changes were pruned
   * from the log is rebuilt whole. On one node, calls made while a pass runs share the one pass
   * that follows it.
   */
  refreshLive(): Promise<void> {
    return this.refreshes.run()
  }

  private async refreshAll(): Promise<void> {
    const live = await this.db.selectFrom('datastore_resources').select(['id', 'live', 'as_of_seq', 'fields']).where('live', 'is not', null).execute()
    const tables = live.filter((row) => liveOffersKey(row.live) !== undefined)
    if (tables.length === 0) return
    const last = await this.loader.lastChange(this.db)
    for (const row of tables) {
      if (Number(row.as_of_seq ?? 0) >= last) continue
      const { key, select } = parseJson<{ key: string; select: string }>(row.live)
      const fields = parseJson<DatasetField[]>(row.fields)
      await this.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`datastore:${row.id}`}))`.execute(trx)
        const current = await trx.selectFrom('datastore_resources').select('as_of_seq').where('id', '=', row.id).executeTakeFirst()
        const asOf = Number(current?.as_of_seq ?? 0)
        if (asOf >= last) return
        const table = quoteIdent(row.id)
        const ids = await offersChangedBetween(trx, asOf, last)
        const hiddenKey = hiddenKeyOf(fields, key)
        if (ids === undefined) {
          await sql.raw(`delete from ${table}`).execute(trx)
          await this.loader.insertSelect(trx, row.id, fields, select, true, undefined, hiddenKey)
        } else {
          await sql`delete from ${sql.raw(table)} where ${sql.raw(quoteIdent(key))} = any(${ids}::text[])`.execute(trx)
          await this.loader.insertSelect(trx, row.id, fields, select, true, { key, ids }, hiddenKey)
        }
        await trx.updateTable('datastore_resources').set({ as_of_seq: last, updated_at: new Date() }).where('id', '=', row.id).execute()
      })
    }
  }

  /**
   * An operator's refresh of a resource from a file: replaces the rows of the resource (by id, or
   * by name when it has one version), or adds a new version of it when `version` is new (same
   * name and fields, a new id). Atomic, as every load. Live views cannot be imported.
   * @throws DatasetLoadError naming what is wrong; nothing is replaced then.
   */
  async importVersion(
    target: { readonly pkg: string; readonly resource: string; readonly version?: string | undefined; readonly file: string },
    rows: (fields: readonly DatasetField[]) => AsyncIterable<readonly CellValue[]>,
  ): Promise<{ resource: ResourceRecord; rows: number; added: boolean }> {
    const packages = await this.packages()
    const pkg = packages.find((item) => item.id === target.pkg || item.name === target.pkg)
    if (!pkg) throw new DatasetLoadError(`unknown package ${target.pkg} (known: ${packages.map((item) => item.name).join(', ')})`)
    const named = pkg.resources.filter((item) => item.id === target.resource || item.name === target.resource)
    if (named.length === 0) throw new DatasetLoadError(`unknown resource ${target.resource} in package ${pkg.name} (known: ${pkg.resources.map((item) => `${item.id} "${item.name}" v${item.peVersion}`).join(', ')})`)
    let base = named.find((item) => target.version === undefined || item.peVersion === target.version)
    const added = base === undefined
    if (!base) base = [...named].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0]
    if (!base) throw new DatasetLoadError(`unknown resource ${target.resource}`)
    if (target.version === undefined && named.length > 1) {
      throw new DatasetLoadError(`${target.resource} has several versions (${named.map((item) => item.peVersion).join(', ')}): give --version.`)
    }
    if (base.size === undefined) throw new DatasetLoadError(`${base.name} is computed live from the offers: it cannot be imported.`)
    const today = new Date().toISOString().slice(0, 10)
    const meta: ResourceMetadata = {
      id: added ? randomUUID() : base.id,
      name: base.name,
      description: base.description,
      peSource: base.peSource,
      peVersion: target.version ?? base.peVersion,
      peType: base.peType as ResourceMetadata['peType'],
      fields: base.fields,
      provenance: { files: [basename(target.file)], attribution: `${base.provenance.attribution} — données remplacées par l’opérateur le ${today} (fichier ${basename(target.file)}).`, date: base.provenance.date },
    }
    const count = await this.load(pkg.id, meta, base.position, { kind: 'rows', rows: rows(base.fields) }, { origin: 'import', fingerprint: `import:${new Date().toISOString()}` })
    const resource = await this.resource(meta.id)
    if (!resource || count === undefined) throw new DatasetLoadError(`${meta.id} : chargement incomplet.`)
    return { resource, rows: count, added }
  }

  /** Rows of a view, counted (tables know theirs). */
  async count(resource: ResourceRecord): Promise<number> {
    if (resource.size !== undefined) return resource.size
    const result = await this.read(`select count(*)::int as count from ${quoteIdent(resource.id)}`, [], 10_000)
    return Number(result.rows[0]?.count ?? 0)
  }

  /**
   * Sizes and columns of a resource's relation from PostgreSQL's catalogue, as CKAN's
   * datastore_info reads them (a view's columns too: CKAN's query only sees tables).
   */
  async relationInfo(resource: ResourceRecord): Promise<RelationInfo> {
    const name = quoteIdent(resource.id)
    const [sizes, columns] = await Promise.all([
      this.read(
        'select pg_relation_size(to_regclass($1)) as size, pg_indexes_size(to_regclass($1)) as indexes, pg_database_size(current_database()) as database',
        [name],
        5000,
      ),
      this.read(
        `select f.attname as name, pg_catalog.format_type(f.atttypid, f.atttypmod) as native_type, f.attnotnull as not_null,
           (select i.relname from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = f.attrelid and f.attnum = any(x.indkey) order by i.relname limit 1) as index_name,
           exists (select 1 from pg_constraint p where p.conrelid = f.attrelid and p.contype in ('p', 'u') and f.attnum = any(p.conkey)) as is_unique
         from pg_attribute f where f.attrelid = to_regclass($1) and f.attnum > 0 and not f.attisdropped order by f.attnum`,
        [name],
        5000,
      ),
    ])
    const row = sizes.rows[0] ?? {}
    const schema = (column: Record<string, unknown>): ColumnSchema => ({
      nativeType: String(column.native_type),
      notNull: column.not_null === true,
      indexName: typeof column.index_name === 'string' ? column.index_name : null,
      unique: column.is_unique === true,
    })
    return {
      size: Number(row.size ?? 0),
      indexesSize: Number(row.indexes ?? 0),
      databaseSize: Number(row.database ?? 0),
      columns: new Map(columns.rows.map((column) => [String(column.name), schema(column)])),
    }
  }

  /** A read of the datastore's tables in a read-only transaction. */
  read(text: string, params: readonly unknown[], timeoutMs: number): Promise<TypedResult> {
    return this.database.readQuery(text, params, { timeoutMs })
  }

  /** Users' SQL (checked by the SQL guard first), as is, on its executor: read-only, as the reader role. */
  readSql(text: string, timeoutMs: number, resources: readonly string[] = []): Promise<TypedResult> {
    return this.userSql.query(text, { timeoutMs, resources })
  }

  /**
   * A table's rows as its statistics estimate them (`pg_class.reltuples`, what CKAN's
   * total_estimation_threshold reads); undefined before the table was ever analysed.
   */
  async estimatedRows(id: string): Promise<number | undefined> {
    const result = await this.read('select reltuples::float8 as rows from pg_class where oid = to_regclass($1)', [quoteIdent(id)], 5000)
    const rows = Number(result.rows[0]?.rows ?? -1)
    return rows >= 0 ? Math.round(rows) : undefined
  }
}

/** The total cost of an `EXPLAIN (FORMAT JSON)` answer. */
function planCost(result: TypedResult): number {
  const plan = parseJson<{ Plan: { 'Total Cost': number } }[]>(Object.values(result.rows[0] ?? {})[0])
  return plan[0]?.Plan['Total Cost'] ?? 0
}

/** The engine's `version()`: prebuilt full text is used only on the engine that computed it. */
export async function engineVersion(database: Database): Promise<string> {
  const { rows } = await sql<{ version: string }>`select version() as version`.execute(database.db)
  return String(rows[0]?.version)
}
