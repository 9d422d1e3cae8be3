import { sql, type Kysely } from 'kysely'
import type {
  OfferRecord,
  OffersRepository,
  SearchDocUpdate,
  StoredOffer,
  UpsertCounts,
} from '../domain/offers/offers.repository.js'
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

const ACTIVE_OFFERS = `select id, payload::text, array_to_string(appellation_codes, ','), mrs, search_doc, search_version
  from offers where status = 'active'`

/** The offers store on PostgreSQL or PGlite. */
export class SqlOffersRepository implements OffersRepository {
  /**
   * @param streamRows the store's raw bulk reader, when it has one (the embedded store): the
   *   index load then reads bytes instead of decoded rows.
   */
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly streamRows?: StreamRows,
  ) {}

  async upsert(records: readonly OfferRecord[]): Promise<UpsertCounts> {
    const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 }
    if (records.length === 0) return counts
    // The same id twice in one statement would make ON CONFLICT fail: the last one wins.
    const unique = [...new Map(records.map((record) => [record.offer.id, record])).values()]
    const rows = await this.db
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
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .execute()
    for (const row of rows) {
      if (row.inserted) counts.created++
      else counts.updated++
    }
    counts.unchanged = records.length - counts.created - counts.updated
    return counts
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
