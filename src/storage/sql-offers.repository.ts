import { sql, type Kysely } from 'kysely'
import type { OfferRecord, OffersRepository, StoredOffer, UpsertCounts } from '../domain/offers/offers.repository.js'
import type { Tables } from './tables.js'

interface Cursor {
  dateCreation: Date
  origine: string
  id: string
}

/** The offers store on PostgreSQL or PGlite. */
export class SqlOffersRepository implements OffersRepository {
  constructor(private readonly db: Kysely<Tables>) {}

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
            updated_at: sql`now()`,
          })
          .where(
            sql<boolean>`offers.payload::text <> excluded.payload::text
              or not (offers.appellation_codes @> excluded.appellation_codes)
              or offers.mrs <> excluded.mrs
              or offers.status <> 'active'`,
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

  async isEmpty(): Promise<boolean> {
    const row = await this.db.selectFrom('offers').select('id').limit(1).executeTakeFirst()
    return row === undefined
  }

  async *activeInIndexOrder(batchSize: number): AsyncGenerator<StoredOffer[]> {
    let cursor: Cursor | undefined
    for (;;) {
      const after = cursor
        ? sql`and (date_creation < ${cursor.dateCreation}
              or (date_creation = ${cursor.dateCreation} and (origine > ${cursor.origine}
              or (origine = ${cursor.origine} and id collate "C" > ${cursor.id}))))`
        : sql``
      const { rows } = await sql<{
        id: string
        json: string
        appellation_codes: string[]
        mrs: boolean
        date_creation: Date
        origine: string
      }>`select id, payload::text as json, appellation_codes, mrs, date_creation, origine
         from offers
         where status = 'active' ${after}
         order by date_creation desc, origine, id collate "C"
         limit ${batchSize}`.execute(this.db)
      if (rows.length === 0) return
      yield rows.map((row) => ({ id: row.id, json: row.json, appellations: row.appellation_codes, mrs: row.mrs }))
      const last = rows.at(-1)
      if (!last || rows.length < batchSize) return
      cursor = { dateCreation: last.date_creation, origine: last.origine, id: last.id }
    }
  }
}
