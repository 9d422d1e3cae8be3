import type { Kysely, Migration } from 'kysely'

/** Search documents stored beside each offer (see src/search/search-doc.ts); null until computed. */
export const searchDocs: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('offers').addColumn('search_doc', 'text').addColumn('search_version', 'text').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('offers').dropColumn('search_doc').dropColumn('search_version').execute()
  },
}
