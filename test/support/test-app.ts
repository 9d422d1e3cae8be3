import type { FastifyInstance } from 'fastify'
import { OffresService } from '../../src/domain/offers/offres.service.js'
import type { Referentials } from '../../src/domain/referentials/referentials.js'
import { buildApp } from '../../src/http/build-app.js'
import type { RawRecord } from '../../src/ingest/offer-file.js'
import { OfferImportService, type ImportReport } from '../../src/ingest/offer-import.service.js'
import { MemoryBodyStore } from '../../src/search/body-store.js'
import { loadIndex, type LoadReport } from '../../src/search/index-loader.js'
import { OfferIndex } from '../../src/search/offer-index.js'
import { openDatabase, type Database } from '../../src/storage/database.js'
import { loadReferentials } from '../../src/storage/reference-data.js'
import { SqlOffersRepository } from '../../src/storage/sql-offers.repository.js'

let referentials: Referentials | undefined

/** The referentials, loaded once per test file. */
export function testReferentials(): Referentials {
  referentials ??= loadReferentials()
  return referentials
}

export interface TestApp {
  readonly app: FastifyInstance
  readonly database: Database
  readonly importer: OfferImportService
  readonly repository: SqlOffersRepository
  readonly offres: OffresService
  readonly referentials: Referentials
  /** Rebuilds the index from the store. */
  reload(): Promise<LoadReport>
  /** Imports records, then rebuilds the index from the store. */
  importAndReload(records: Iterable<RawRecord> | AsyncIterable<RawRecord>, appellations?: string[]): Promise<ImportReport>
  close(): Promise<void>
}

/** The real application over an in-memory embedded store, called through `inject`. */
export async function createTestApp(options: { now?: () => number } = {}): Promise<TestApp> {
  const refs = testReferentials()
  const database = await openDatabase({ dataDir: 'memory://' })
  const repository = new SqlOffersRepository(database.db, database.streamRows)
  const importer = new OfferImportService({ offers: repository, referentials: refs })
  const offres = new OffresService()
  const app = await buildApp({ offres, referentials: refs, logLevel: 'silent', ...(options.now ? { now: options.now } : {}) })
  const reload = async () => {
    const index = new OfferIndex(refs, new MemoryBodyStore())
    const report = await loadIndex(index, repository, refs)
    offres.serve(index)
    return report
  }
  return {
    app,
    database,
    importer,
    repository,
    offres,
    referentials: refs,
    reload,
    async importAndReload(records, appellations = []) {
      const report = await importer.importRecords(records, { source: 'import', appellations })
      await reload()
      return report
    },
    async close() {
      await app.close()
      await database.close()
    },
  }
}

/** Records of a list of values, numbered from 1. */
export function recordsOf(values: readonly unknown[]): RawRecord[] {
  return values.map((value, index) => ({ position: index + 1, value }))
}
