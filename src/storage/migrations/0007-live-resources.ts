import type { Kysely, Migration } from 'kysely'

/**
 * Resources kept current from the offers' change log: how they are computed (`live`) and the
 * last change they include (`as_of_seq`).
 */
export const liveResources: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('datastore_resources').addColumn('live', 'jsonb').execute()
    await db.schema.alterTable('datastore_resources').addColumn('as_of_seq', 'bigint').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('datastore_resources').dropColumn('as_of_seq').execute()
    await db.schema.alterTable('datastore_resources').dropColumn('live').execute()
  },
}
