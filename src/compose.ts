import { join, resolve } from 'node:path'
import type { Config } from './config/config.schema.js'
import { OffresService } from './domain/offers/offres.service.js'
import type { Referentials } from './domain/referentials/referentials.js'
import { OfferImportService } from './ingest/offer-import.service.js'
import { FileBodyStore } from './search/body-store.js'
import { loadIndex, refreshSearchDocs, type LoadReport } from './search/index-loader.js'
import { OfferIndex } from './search/offer-index.js'
import { openDatabase, type Database } from './storage/database.js'
import { loadReferentials } from './storage/reference-data.js'
import { SqlOffersRepository } from './storage/sql-offers.repository.js'

/** Every service of the process, built once from the settings. */
export interface Services {
  readonly config: Config
  readonly database: Database
  readonly referentials: Referentials
  readonly offersRepository: SqlOffersRepository
  readonly importer: OfferImportService
  readonly offres: OffresService
  /** Builds the search index from the store and starts serving it. */
  loadIndex(onProgress?: (loaded: number) => void): Promise<LoadReport>
  /** Rewrites the stored search documents that are missing or stale; returns how many. */
  refreshSearchDocs(): Promise<number>
  close(): Promise<void>
}

/** The composition root: the only place that knows every concrete class. */
export async function compose(config: Config): Promise<Services> {
  const referentials = loadReferentials()
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR })
  const offersRepository = new SqlOffersRepository(database.db, database.streamRows)
  const offres = new OffresService()
  const bodyStores: FileBodyStore[] = []
  return {
    config,
    database,
    referentials,
    offersRepository,
    importer: new OfferImportService({ offers: offersRepository, referentials }),
    offres,
    async loadIndex(onProgress) {
      const bodies = new FileBodyStore(join(resolve(config.DATA_DIR), 'cache'))
      bodyStores.push(bodies)
      const index = new OfferIndex(referentials, bodies)
      const report = await loadIndex(index, offersRepository, referentials, onProgress)
      offres.serve(index)
      return report
    },
    refreshSearchDocs: () => refreshSearchDocs(offersRepository, referentials),
    async close() {
      await database.close()
      for (const bodies of bodyStores) bodies.close()
    },
  }
}
