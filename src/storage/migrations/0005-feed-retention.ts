import { sql, type Kysely, type Migration } from 'kysely'

/** What the change log has forgotten: changes up to `pruned_through` may be gone. */
export const feedRetention: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('change_log_state')
      .addColumn('id', 'integer', (column) => column.primaryKey())
      .addColumn('pruned_through', 'bigint', (column) => column.notNull().defaultTo(0))
      .execute()
    await sql`insert into change_log_state (id, pruned_through) values (1, 0)`.execute(db)
    await db.schema.createIndex('offer_changes_at').on('offer_changes').column('at').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('offer_changes_at').execute()
    await db.schema.dropTable('change_log_state').execute()
  },
}
