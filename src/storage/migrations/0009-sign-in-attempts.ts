import type { Kysely, Migration } from 'kysely'

/**
 * Counters of portal sign-in attempts (per client address, and per address and account) shared by
 * the nodes of one store when there is no Redis; a row lives until its window ends.
 */
export const signInAttempts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sign_in_attempts')
      .addColumn('key', 'text', (column) => column.primaryKey())
      .addColumn('attempts', 'integer', (column) => column.notNull())
      .addColumn('window_ends', 'timestamptz', (column) => column.notNull())
      .execute()
    await db.schema.createIndex('sign_in_attempts_window_ends').on('sign_in_attempts').column('window_ends').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('sign_in_attempts').execute()
  },
}
