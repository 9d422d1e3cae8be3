import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type {
  CloseReason,
  OfferChange,
  OfferLogRepository,
  OfferRecord,
  OffersRepository,
  OfferState,
  OfferStatus,
  SearchDocUpdate,
  StoredOffer,
  UpsertResult,
} from '../domain/offers/offers.repository.js'
import type { OfferConfirmations } from '../domain/offers/job-posting.service.js'
import type { Database } from './database.js'
import type { Tables } from './tables.js'

type StreamRows = NonNullable<Database['streamRows']>

interface StoredRow {
  id: string
  json: string
  appellation_codes: string[]
  mrs: boolean
  search_doc: string | null
  search_version: string | null
}

function storedOffer(row: StoredRow): StoredOffer {
  return {
    id: row.id,
    json: row.json,
    appellations: row.appellation_codes,
    mrs: row.mrs,
    ...(row.search_doc !== null && row.search_version !== null
      ? { searchDoc: row.search_doc, searchVersion: row.search_version }
      : {}),
  }
}

/**
 * Key of the transaction-wide advisory lock every writer of offers takes before numbering its
 * changes: numbers are then committed in increasing order, so a reader that sees change N has
 * every change before N (with plain sequence numbers a slower transaction could commit a smaller
 * number after a reader has moved past it).
 */
const CHANGE_LOG_LOCK = 7_215_001

/** The channel on which every write to offers is announced, at its commit. */
export const OFFER_CHANGES_CHANNEL = 'openemploi_offer_changes'

interface StateRow extends StoredRow {
  status: OfferStatus
  owner_client_id: string | null
  date_creation: Date
  updated_at: Date
  closed_reason: string | null
  closed_at: Date | null
  seq: string | number
}

const STATE_COLUMNS = sql.raw(`o.id, o.payload::text as json, o.appellation_codes, o.mrs, o.search_doc, o.search_version,
  o.status, o.owner_client_id, o.date_creation, o.updated_at, o.closed_reason, o.closed_at, o.seq`)

function offerState(row: StateRow): OfferState {
  return {
    ...storedOffer(row),
    status: row.status,
    owner: row.owner_client_id,
    dateCreation: row.date_creation,
    updatedAt: row.updated_at,
    closedReason: row.closed_reason as CloseReason | null,
    closedAt: row.closed_at,
    seq: Number(row.seq),
  }
}

/** Appends one change per written offer, numbered as the offer row was. */
async function appendChanges(trx: Transaction<Tables>, kind: 'upsert' | 'close', rows: readonly { id: string; seq: string | number }[]) {
  if (rows.length === 0) return
  await trx
    .insertInto('offer_changes')
    .values(rows.map((row) => ({ seq: Number(row.seq), offer_id: row.id, kind })))
    .execute()
}

const ACTIVE_OFFERS = `select id, payload::text, array_to_string(appellation_codes, ','), mrs, search_doc, search_version
  from offers where status = 'active'`

/** The offers store and its change log on PostgreSQL or PGlite. */
export class SqlOffersRepository implements OffersRepository, OfferLogRepository, OfferConfirmations {
  /**
   * Names this repository's writes in the notifications they send: its node applies its own
   * writes as it answers them, so it can leave their notifications to the other nodes.
   */
  readonly writerId = randomUUID()

  /**
   * @param streamRows the store's raw bulk reader, when it has one (the embedded store): the
   *   index load then reads bytes instead of decoded rows.
   */
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly streamRows?: StreamRows,
  ) {}

  /** Runs a write under the change log's lock (see CHANGE_LOG_LOCK). */
  private logged<T>(work: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`.execute(trx)
      const result = await work(trx)
      // Delivered at commit, to every node listening (each then reads the log after its last change).
      await sql`select pg_notify(${OFFER_CHANGES_CHANNEL}, ${this.writerId})`.execute(trx)
      return result
    })
  }

  async upsert(records: readonly OfferRecord[]): Promise<UpsertResult> {
    if (records.length === 0) return { created: 0, updated: 0, unchanged: 0, changed: [] }
    // The same id twice in one statement would make ON CONFLICT fail: the last one wins.
    const unique = [...new Map(records.map((record) => [record.offer.id, record])).values()]
    const rows = await this.logged(async (trx) => {
      const written = await trx
        .insertInto('offers')
        .values(
          unique.map((record) => ({
            id: record.offer.id,
            payload: record.json,
            origine: record.offer.origineOffre.origine,
            date_creation: new Date(record.offer.dateCreation),
            appellation_codes: [...record.appellations],
            mrs: record.mrs,
            source: record.source,
            search_doc: record.searchDoc,
            search_version: record.searchVersion,
            owner_client_id: record.owner ?? null,
            seq: sql<number>`nextval('offer_seq')`,
          })),
        )
        .onConflict((conflict) =>
          conflict
            .column('id')
            .doUpdateSet({
              payload: sql`excluded.payload`,
              origine: sql`excluded.origine`,
              date_creation: sql`excluded.date_creation`,
              appellation_codes: sql`array(select distinct unnest(offers.appellation_codes || excluded.appellation_codes) order by 1)`,
              mrs: sql`excluded.mrs`,
              status: 'active',
              source: sql`excluded.source`,
              search_doc: sql`excluded.search_doc`,
              search_version: sql`excluded.search_version`,
              owner_client_id: sql`coalesce(excluded.owner_client_id, offers.owner_client_id)`,
              closed_reason: null,
              closed_at: null,
              seq: sql<number>`nextval('offer_seq')`,
              updated_at: sql`now()`,
            })
            .where(
              sql<boolean>`offers.payload::text <> excluded.payload::text
                or not (offers.appellation_codes @> excluded.appellation_codes)
                or offers.mrs <> excluded.mrs
                or offers.status <> 'active'
                or offers.search_version is distinct from excluded.search_version`,
            ),
        )
        .returning(['id', 'seq', sql<boolean>`xmax = 0`.as('inserted')])
        .execute()
      await appendChanges(trx, 'upsert', written)
      // An offer sent again unchanged is still alive at its source: it must not expire (no change is logged).
      const writtenIds = new Set(written.map((row) => row.id))
      const unchanged = unique.map((record) => record.offer.id).filter((id) => !writtenIds.has(id))
      if (unchanged.length > 0) {
        await trx.updateTable('offers').set({ updated_at: sql`now()` }).where('id', 'in', unchanged).where('status', '=', 'active').execute()
      }
      return written
    })
    const created = rows.filter((row) => row.inserted).length
    return {
      created,
      updated: rows.length - created,
      unchanged: records.length - rows.length,
      changed: rows.map((row) => ({ id: row.id, created: row.inserted, seq: Number(row.seq) })),
    }
  }

  async close(ids: readonly string[], reason: CloseReason, owner?: string): Promise<string[]> {
    if (ids.length === 0) return []
    const rows = await this.logged(async (trx) => {
      let update = trx
        .updateTable('offers')
        .set({ status: 'closed', closed_reason: reason, closed_at: sql`now()`, updated_at: sql`now()`, seq: sql<number>`nextval('offer_seq')` })
        .where('id', 'in', [...ids])
        .where('status', '=', 'active')
      if (owner !== undefined) update = update.where('owner_client_id', '=', owner)
      const closed = await update.returning(['id', 'seq']).execute()
      await appendChanges(trx, 'close', closed)
      return closed
    })
    return rows.map((row) => row.id)
  }

  async expireNotUpdatedSince(before: Date, limit: number): Promise<number> {
    const rows = await this.logged(async (trx) => {
      const expired = await trx
        .updateTable('offers')
        .set({ status: 'expired', closed_reason: 'expiree', closed_at: sql`now()`, updated_at: sql`now()`, seq: sql<number>`nextval('offer_seq')` })
        .where('id', 'in', (eb) =>
          eb.selectFrom('offers').select('id').where('status', '=', 'active').where('updated_at', '<', before).limit(limit),
        )
        .returning(['id', 'seq'])
        .execute()
      await appendChanges(trx, 'close', expired)
      return expired
    })
    return rows.length
  }

  async lastSeq(): Promise<number> {
    const { rows } = await sql<{ seq: string | number | null }>`select max(seq) as seq from offer_changes`.execute(this.db)
    return Number(rows[0]?.seq ?? 0)
  }

  async pruneChanges(before: Date): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ seq: string | number }>`delete from offer_changes c using offers o
        where c.offer_id = o.id and c.at < ${before} and (c.seq < o.seq or o.status <> 'active')
        returning c.seq`.execute(trx)
      if (rows.length === 0) return 0
      const highest = rows.reduce((max, row) => Math.max(max, Number(row.seq)), 0)
      await sql`update change_log_state set pruned_through = greatest(pruned_through, ${highest}) where id = 1`.execute(trx)
      return rows.length
    })
  }

  async prunedThrough(): Promise<number> {
    const row = await this.db.selectFrom('change_log_state').select('pruned_through').where('id', '=', 1).executeTakeFirst()
    return Number(row?.pruned_through ?? 0)
  }

  async changesAfter(seq: number, limit: number): Promise<OfferChange[]> {
    const { rows } = await sql<StateRow & { change_seq: string | number; kind: 'upsert' | 'close'; at: Date }>`
      select c.seq as change_seq, c.kind, c.at, ${STATE_COLUMNS}
      from offer_changes c join offers o on o.id = c.offer_id
      where c.seq > ${seq}
      order by c.seq
      limit ${limit}`.execute(this.db)
    return rows.map((row) => {
      const changeSeq = Number(row.change_seq)
      return {
        seq: changeSeq,
        id: row.id,
        kind: row.kind,
        at: row.at,
        current: Number(row.seq) === changeSeq ? offerState(row) : undefined,
      }
    })
  }

  async get(id: string): Promise<OfferState | undefined> {
    const { rows } = await sql<StateRow>`select ${STATE_COLUMNS} from offers o where o.id = ${id}`.execute(this.db)
    return rows[0] && offerState(rows[0])
  }

  /** When the offer was last written or sent again unchanged; undefined unless it is active. */
  async confirmedAt(id: string): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('offers')
      .select('updated_at')
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst()
    return row?.updated_at
  }

  async getMany(ids: readonly string[]): Promise<Map<string, OfferState>> {
    if (ids.length === 0) return new Map()
    const { rows } = await sql<StateRow>`select ${STATE_COLUMNS} from offers o where o.id = any(${[...ids]}::text[])`.execute(this.db)
    return new Map(rows.map((row) => [row.id, offerState(row)]))
  }

  async activeAfter(afterId: string, limit: number): Promise<StoredOffer[]> {
    const { rows } = await sql<StoredRow>`select id, payload::text as json, appellation_codes, mrs, search_doc, search_version
      from offers where status = 'active' and id > ${afterId} order by id limit ${limit}`.execute(this.db)
    return rows.map(storedOffer)
  }

  async ownedBy(owner: string, status: 'active' | 'closed', limit: number, beforeSeq?: number): Promise<OfferState[]> {
    const { rows } = await sql<StateRow>`select ${STATE_COLUMNS} from offers o
      where o.owner_client_id = ${owner}
        and ${status === 'active' ? sql`o.status = 'active'` : sql`o.status <> 'active'`}
        and o.seq < ${beforeSeq ?? Number.MAX_SAFE_INTEGER}
      order by o.seq desc
      limit ${limit}`.execute(this.db)
    return rows.map(offerState)
  }

  async countActive(): Promise<number> {
    const row = await this.db
      .selectFrom('offers')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async staleSearchDocs(version: string, limit: number, afterId = ''): Promise<StoredOffer[]> {
    const { rows } = await sql<StoredRow>`select id, payload::text as json, appellation_codes, mrs, search_doc, search_version
      from offers
      where id > ${afterId} and status = 'active' and search_version is distinct from ${version}
      order by id
      limit ${limit}`.execute(this.db)
    return rows.map(storedOffer)
  }

  async updateSearchDocs(updates: readonly SearchDocUpdate[]): Promise<void> {
    if (updates.length === 0) return
    await sql`update offers set search_doc = u.doc, search_version = u.version
      from (select unnest(${updates.map((update) => update.id)}::text[]) as id,
                   unnest(${updates.map((update) => update.searchDoc)}::text[]) as doc,
                   unnest(${updates.map((update) => update.searchVersion)}::text[]) as version) as u
      where offers.id = u.id`.execute(this.db)
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.db.selectFrom('offers').select('id').limit(1).executeTakeFirst()
    return row === undefined
  }

  async forEachActive(batchSize: number, onBatch: (batch: StoredOffer[]) => void | Promise<void>): Promise<number> {
    if (this.streamRows) {
      return this.streamRows(ACTIVE_OFFERS, batchSize, (rows) =>
        onBatch(
          rows.map(([id, payload, appellations, mrs, searchDoc, searchVersion]) => ({
            id: id?.toString('latin1') ?? '',
            json: payload ?? '{}',
            appellations: appellations && appellations.length > 0 ? appellations.toString('latin1').split(',') : [],
            mrs: mrs?.[0] === 0x74,
            ...(searchDoc && searchVersion ? { searchDoc, searchVersion: searchVersion.toString('latin1') } : {}),
          })),
        ),
      )
    }
    let total = 0
    await this.db.connection().execute(async (connection) => {
      await sql`begin transaction isolation level repeatable read read only`.execute(connection)
      try {
        // A sequential scan: reading in storage order is several times faster than in date order.
        await sql`declare active_offers no scroll cursor for
          select id, payload::text as json, appellation_codes, mrs, search_doc, search_version
          from offers where status = 'active'`.execute(connection)
        const fetch = () =>
          sql<StoredRow>`fetch ${sql.raw(String(batchSize))} from active_offers`.execute(connection)
        let next = fetch()
        for (;;) {
          const { rows } = await next
          if (rows.length === 0) break
          next = fetch()
          total += rows.length
          await onBatch(rows.map(storedOffer))
        }
        await sql`close active_offers`.execute(connection)
        await sql`commit`.execute(connection)
      } catch (error) {
        await sql`rollback`.execute(connection)
        throw error
      }
    })
    return total
  }
}
