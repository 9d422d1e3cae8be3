import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Offers' JSON (about 3 KB, past PostgreSQL's 2 KB threshold) compressed with LZ4 rather than
 * pglz: writing 20,000 offers in batches of 2,000 took the server 2.8 s with pglz, 1.8–2.0 s with
 * LZ4, and reading them back at start decompresses faster too. Values written before keep their
 * compression. A server built without LZ4 (the embedded store among them) keeps pglz.
 */
export const offerCompression: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`do $$ begin
      alter table offers alter column payload set compression lz4;
    exception when feature_not_supported then null;
    end $$`.execute(db)
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql`alter table offers alter column payload set compression default`.execute(db)
  },
}
