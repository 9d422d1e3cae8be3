/**
 * Building a resource's table: its rows copied into a staging table (COPY, never row by row),
 * checked (cells, count), then swapped with the served one in one short transaction; its
 * secondary indexes (a B-tree per column of the larger tables, the full text's GIN) and its
 * statistics are built afterwards, on the served table, so that a resource is served as soon as
 * its rows are in.
 */
import { sql, type Kysely } from 'kysely'
import type { CellValue, DatasetField, ResourceMetadata, ViewResource } from '../../datasets/definition.js'
import type { Database } from '../database.js'
import type { CopyPiece, LoadSession } from '../load-session.js'
import { DATASTORE_READER_ROLE } from '../migrations/0006-datastore.js'
import type { Tables } from '../tables.js'
import { copyTextPieces } from './copy-text.js'
import { createTableSql, DatasetLoadError, fullTextExpression, hiddenKeyOf, quoteIdent, rowColumns } from './resource-table.js'

/** Tables from this many rows get an index on each column (filters stay fast on the larger ones). */
const INDEX_FROM_ROWS = 5000
/** Columns indexed at most per table (the widest tables are small). */
const MAX_INDEXED_COLUMNS = 32

/**
 * How a load reads its rows: a definition's rows (checked, then copied as COPY text), rows
 * prebuilt in the embedded store's binary COPY format (`_full_text` included, checked when they
 * were built), or a SELECT computed by the database.
 */
export type RowSource =
  | { readonly kind: 'rows'; readonly rows: AsyncIterable<readonly CellValue[]> | Iterable<readonly CellValue[]>; readonly expectedRows?: number }
  | { readonly kind: 'prebuilt'; readonly pieces: () => AsyncIterable<CopyPiece>; readonly expectedRows: number }
  | { readonly kind: 'select'; readonly select: string; readonly live?: ViewResource['live'] }

/** Who stored a resource, and the fingerprint of what it was loaded from. */
export interface LoadOrigin {
  readonly origin: 'shipped' | 'import'
  readonly fingerprint: string
}

/** A view's SELECT with its references resolved: `{{id}}` to the resource's table, `{{offers}}` to the offers. */
export function resolveSelect(select: string): string {
  return select.replace(/\{\{([^}]+)\}\}/g, (_, name: string) => (name.trim() === 'offers' ? 'offers' : quoteIdent(name.trim())))
}

/** The index names of a table's secondary indexes: fixed, so that building them again is a no-op. */
function indexName(resourceId: string, suffix: string): string {
  return quoteIdent(`${resourceId.slice(0, 36)}_${suffix}`)
}

/** Loads resources into tables of their own, on either store. */
export class ResourceLoader {
  constructor(private readonly database: Database) {}

  /**
   * Loads (or replaces) one resource atomically: rows go to a new table, checked against the
   * declared fields and count, then swapped with the old one in one short transaction. Readers
   * see the old rows until the swap. Live views are (re)created instead; a live table of offers
   * gets the unique index of its key before the swap. Tables are served without their secondary
   * indexes until {@link buildIndexes}.
   * @param onCopied told as rows are stored (progress)
   * @returns the rows loaded (undefined for a live view).
   */
  load(packageId: string, resource: ResourceMetadata, position: number, source: RowSource, origin: LoadOrigin, onCopied?: (rows: number) => void): Promise<number | undefined> {
    return this.withLoadLock(resource.id, async (session) => {
      const { db } = session
      if (source.kind === 'select' && source.live?.kind === 'view') {
        await db.transaction().execute(async (trx) => {
          await this.dropRelation(trx, resource.id)
          await sql
            .raw(`create view ${quoteIdent(resource.id)} as select ${rowColumns(resource.fields)}, ${fullTextExpression(resource.fields, (field) => `s.${quoteIdent(field.id)}`)} as "_full_text" from (${resolveSelect(source.select)}) s`)
            .execute(trx)
          await this.grantRead(trx, resource.id)
          await this.saveResource(trx, packageId, resource, position, undefined, origin, source.live)
        })
        return undefined
      }
      const offersLive = source.kind === 'select' && source.live?.kind === 'offers' ? source.live : undefined
      // What a live table includes: every change up to here (later ones are applied by refreshLive).
      const asOf = offersLive ? await this.lastChange(db) : undefined
      const staging = `${resource.id}__new`
      await sql.raw(`drop table if exists ${quoteIdent(staging)}`).execute(db)
      // Prebuilt rows carry their full text, computed when they were built by the same engine.
      const hiddenKey = hiddenKeyOf(resource.fields, offersLive?.key)
      await sql.raw(createTableSql(staging, resource.fields, source.kind === 'prebuilt' ? 'given' : 'computed', hiddenKey)).execute(db)
      try {
        const count = await this.fill(session, staging, resource.fields, source, offersLive !== undefined, onCopied, hiddenKey)
        const expected = source.kind === 'select' ? undefined : source.expectedRows
        if (expected !== undefined && count !== expected) {
          throw new DatasetLoadError(`${resource.name} (${resource.id}): ${count} rows read, ${expected} expected.`)
        }
        // A live table is read by its key at once (refreshLive): that index comes with it.
        if (offersLive) await sql.raw(`create unique index ${quoteIdent(`${resource.id.slice(0, 36)}_key_${Date.now().toString(36)}`)} on ${quoteIdent(staging)} (${quoteIdent(offersLive.key)})`).execute(db)
        await db.transaction().execute(async (trx) => {
          await this.dropRelation(trx, resource.id)
          await sql.raw(`alter table ${quoteIdent(staging)} rename to ${quoteIdent(resource.id)}`).execute(trx)
          await this.grantRead(trx, resource.id)
          await this.saveResource(trx, packageId, resource, position, offersLive ? undefined : count, origin, offersLive && source.kind === 'select' ? { ...offersLive, select: source.select } : undefined, asOf)
        })
        return count
      } catch (error) {
        await sql.raw(`drop table if exists ${quoteIdent(staging)}`).execute(db)
        throw error
      }
    })
  }

  private async fill(session: LoadSession, staging: string, fields: readonly DatasetField[], source: RowSource, ownIds: boolean, onCopied?: (rows: number) => void, hiddenKey?: string): Promise<number> {
    const table = quoteIdent(staging)
    switch (source.kind) {
      case 'rows':
        return session.copyText(table, rowColumns(fields), copyTextPieces(fields, source.rows), onCopied)
      case 'prebuilt':
        if (!session.copyBinary) throw new Error('Prebuilt rows are for the embedded store only')
        return session.copyBinary(table, source.pieces(), onCopied)
      case 'select': {
        const count = await this.insertSelect(session.db, staging, fields, source.select, ownIds, undefined, hiddenKey)
        onCopied?.(count)
        return count
      }
    }
  }

  /**
   * Builds what a served table lacks of its secondary indexes (a B-tree per column from
   * INDEX_FROM_ROWS rows, or always for a live table, whose rows change; the full text's GIN,
   * built last), its statistics and visibility map. A table that has
   * its GIN index is complete: nothing is done. Not for views.
   * @returns whether anything was built.
   */
  buildIndexes(resourceId: string, fields: readonly DatasetField[], rows: number | 'live'): Promise<boolean> {
    return this.withLoadLock(resourceId, async ({ db }) => {
      const table = quoteIdent(resourceId)
      const { rows: relation } = await sql<{ relkind: string }>`select relkind from pg_class where relname = ${resourceId} and relnamespace = current_schema()::regnamespace`.execute(db)
      if (relation[0]?.relkind !== 'r') return false
      const { rows: indexes } = await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes where schemaname = current_schema() and tablename = ${resourceId}`.execute(db)
      if (indexes.some((index) => /\busing gin\b/i.test(index.definition))) return false
      const existing = new Set(indexes.map((index) => quoteIdent(index.name)))
      if (rows === 'live' || rows >= INDEX_FROM_ROWS) {
        for (const [at, field] of fields.slice(0, MAX_INDEXED_COLUMNS).entries()) {
          const name = indexName(resourceId, String(at))
          if (!existing.has(name)) await sql.raw(`create index ${name} on ${table} (${quoteIdent(field.id)})`).execute(db)
        }
      }
      // VACUUM sets the visibility map too: an exact count of a filter can then read an index alone.
      await sql.raw(`vacuum (analyze) ${table}`).execute(db)
      await sql.raw(`create index ${indexName(resourceId, 'ft')} on ${table} using gin ("_full_text")`).execute(db)
      return true
    })
  }

  /**
   * Serialises loads of one resource across nodes (PostgreSQL advisory lock on the load's
   * connection). The embedded store has one process: its statements are not pinned, so that the
   * service's other queries run between the load's statements.
   */
  private withLoadLock<T>(resourceId: string, work: (session: LoadSession) => Promise<T>): Promise<T> {
    return this.database.loadSession(async (session) => {
      if (this.database.kind !== 'postgres') return work(session)
      await sql`select pg_advisory_lock(hashtext(${`datastore:${resourceId}`}))`.execute(session.db)
      try {
        return await work(session)
      } finally {
        await sql`select pg_advisory_unlock(hashtext(${`datastore:${resourceId}`}))`.execute(session.db)
      }
    })
  }

  /** Drops a resource's table or view, whichever it is (DROP VIEW fails on a table, and back). */
  private async dropRelation(db: Kysely<Tables>, name: string): Promise<void> {
    const { rows } = await sql<{ relkind: string }>`select relkind from pg_class where relname = ${name} and relnamespace = current_schema()::regnamespace`.execute(db)
    const kind = rows[0]?.relkind
    // Cascade: a SQL view reading this table goes too, and is created again after it (syncShipped).
    if (kind === 'v') await sql.raw(`drop view ${quoteIdent(name)} cascade`).execute(db)
    else if (kind === 'r') await sql.raw(`drop table ${quoteIdent(name)} cascade`).execute(db)
  }

  private async grantRead(db: Kysely<Tables>, table: string): Promise<void> {
    // Only where the role exists and the user may grant (see migration 0006).
    await sql
      .raw(
        `do $$ begin
          if exists (select from pg_roles where rolname = '${DATASTORE_READER_ROLE}') then
            execute 'grant select on ${quoteIdent(table).replaceAll("'", "''")} to ${DATASTORE_READER_ROLE}';
          end if;
        exception when insufficient_privilege then null;
        end $$`,
      )
      .execute(db)
  }

  private async saveResource(
    db: Kysely<Tables>,
    packageId: string,
    resource: ResourceMetadata,
    position: number,
    size: number | undefined,
    origin: LoadOrigin,
    live?: Readonly<Record<string, unknown>>,
    asOf?: number,
  ): Promise<void> {
    const values = {
      id: resource.id,
      package_id: packageId,
      name: resource.name,
      description: resource.description,
      pe_source: resource.peSource,
      pe_version: resource.peVersion,
      pe_type: resource.peType,
      kind: size === undefined ? ('view' as const) : ('file' as const),
      live: live ? JSON.stringify(live) : null,
      as_of_seq: asOf ?? null,
      fields: JSON.stringify(resource.fields),
      provenance: JSON.stringify(resource.provenance),
      size: size ?? null,
      fingerprint: origin.fingerprint,
      origin: origin.origin,
      position,
    }
    await db
      .insertInto('datastore_resources')
      .values(values)
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...values, updated_at: new Date() }))
      .execute()
  }

  /**
   * Rows of a SELECT into a table: numbered in order, or with the `_id` the SELECT gives (live
   * tables), with the hidden key column of a live table whose key is not a field.
   */
  async insertSelect(
    db: Kysely<Tables>,
    table: string,
    fields: readonly DatasetField[],
    select: string,
    ownIds: boolean,
    where?: { key: string; ids: readonly string[] },
    hiddenKey?: string,
  ): Promise<number> {
    const columns = [...fields.map((field) => field.id), ...(hiddenKey === undefined ? [] : [hiddenKey])].map(quoteIdent).join(', ')
    const filter = where ? sql` where s.${sql.raw(quoteIdent(where.key))} = any(${[...where.ids]}::text[])` : sql``
    const result = await sql`insert into ${sql.raw(quoteIdent(table))} ("_id", ${sql.raw(columns)}) select ${sql.raw(ownIds ? 's."_id"' : 'row_number() over ()')}, ${sql.raw(columns)} from (${sql.raw(resolveSelect(select))}) s${filter}`.execute(db)
    return Number(result.numAffectedRows ?? 0)
  }

  /** The number of the offers' latest committed change (pruning may have removed it from the log). */
  async lastChange(db: Kysely<Tables>): Promise<number> {
    const { rows } = await sql<{ seq: string | number | null }>`select greatest(
        coalesce((select max(seq) from offer_changes), 0),
        coalesce((select pruned_through from change_log_state where id = 1), 0)) as seq`.execute(db)
    return Number(rows[0]?.seq ?? 0)
  }
}
