import type { Referentials } from '../src/domain/referentials/referentials.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'
import { OfferImportService } from '../src/ingest/offer-import.service.js'
import type { Database } from '../src/storage/database.js'
import { SqlOffersRepository } from '../src/storage/sql-offers.repository.js'

/** Imports `count` generated offers (seeded) into a bench's store, as the demo offers are. */
export async function importGeneratedOffers(database: Database, referentials: Referentials, count: number, seed: string): Promise<void> {
  const importer = new OfferImportService({ offers: new SqlOffersRepository(database.db, database.streamRows), referentials })
  let position = 0
  const records = (function* () {
    for (const value of generateOffers(referentials, { count, seed, now: new Date() })) yield { position: ++position, value }
  })()
  await importer.importRecords(records, { source: 'demo' })
}
