import type { Kysely, Migration } from 'kysely'

/**
 * Flashes of portal sessions: a message for one next page (a new client secret, sealed with a key
 * only the session's cookie gives), kept a few minutes at most and deleted as it is read. A
 * session's end takes its flashes with it.
 */
export const portalFlashes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('portal_flashes')
      .addColumn('session_hash', 'text', (column) => column.notNull().references('portal_sessions.session_hash').onDelete('cascade'))
      .addColumn('subject', 'text', (column) => column.notNull())
      .addColumn('sealed', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
      .addPrimaryKeyConstraint('portal_flashes_pk', ['session_hash', 'subject'])
      .execute()
    await db.schema.createIndex('portal_flashes_expiry').on('portal_flashes').column('expires_at').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('portal_flashes').execute()
  },
}
