import { sql, type Kysely, type Migration } from 'kysely'

/** Offers and their provenance. */
export const offers: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('offers')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('payload', 'json', (column) => column.notNull())
      .addColumn('origine', 'text', (column) => column.notNull().check(sql`origine in ('1', '2')`))
      .addColumn('date_creation', 'timestamptz', (column) => column.notNull())
      .addColumn('appellation_codes', sql`text[]`, (column) => column.notNull().defaultTo(sql`'{}'`))
      .addColumn('mrs', 'boolean', (column) => column.notNull().defaultTo(false))
      .addColumn('status', 'text', (column) =>
        column.notNull().defaultTo('active').check(sql`status in ('active', 'closed', 'expired')`),
      )
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('offers').execute()
  },
}
