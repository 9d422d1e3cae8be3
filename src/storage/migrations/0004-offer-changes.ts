import { sql, type Kysely, type Migration } from 'kysely'

/**
 * The change log: every write to an offer takes the next number of `offer_seq` (under one
 * transaction-wide advisory lock, so numbers are committed in order) and appends a change with it.
 * `offers.seq` is the number of the offer's latest change. Offers also get their owner (the client
 * that deposited them) and the reason and time they were closed.
 */
export const offerChanges: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create sequence offer_seq`.execute(db)
    await db.schema
      .alterTable('offers')
      .addColumn('seq', 'bigint')
      .addColumn('owner_client_id', 'text')
      .addColumn('closed_reason', 'text')
      .addColumn('closed_at', 'timestamptz')
      .execute()
    // Offers stored before the log existed get numbers in their creation order.
    await sql`update offers set seq = numbered.seq
      from (select id, nextval('offer_seq') as seq from (select id from offers order by date_creation, id) as ordered) as numbered
      where offers.id = numbered.id`.execute(db)
    await sql`alter table offers alter column seq set not null`.execute(db)
    await db.schema.createIndex('offers_seq').on('offers').column('seq').unique().execute()
    await db.schema
      .createIndex('offers_owner')
      .on('offers')
      .columns(['owner_client_id', 'status', 'seq'])
      .where(sql.ref('owner_client_id'), 'is not', null)
      .execute()
    await db.schema
      .createIndex('offers_active_updated')
      .on('offers')
      .column('updated_at')
      .where(sql.ref('status'), '=', 'active')
      .execute()
    await db.schema
      .createTable('offer_changes')
      .addColumn('seq', 'bigint', (column) => column.primaryKey())
      .addColumn('offer_id', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull().check(sql`kind in ('upsert', 'close')`))
      .addColumn('at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .execute()
    await sql`insert into offer_changes (seq, offer_id, kind, at)
      select seq, id, case when status = 'active' then 'upsert' else 'close' end, updated_at from offers`.execute(db)
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('offer_changes').execute()
    await db.schema.dropIndex('offers_active_updated').execute()
    await db.schema.dropIndex('offers_owner').execute()
    await db.schema.dropIndex('offers_seq').execute()
    await db.schema
      .alterTable('offers')
      .dropColumn('seq')
      .dropColumn('owner_client_id')
      .dropColumn('closed_reason')
      .dropColumn('closed_at')
      .execute()
    await sql`drop sequence offer_seq`.execute(db)
  },
}
