/**
 * `npm run bench:datastore`: the Infotravail datastore. Loads the shipped datasets (DATASETS,
 * default all) into a fresh store and times each load, then measures datastore_search on the
 * largest resource (offers by commune × ROME, 324,997 rows): a filtered query, a full-text query,
 * page 1, page 3,000 by offset and by keyset cursor, an offset of 300,000; then a full dump.
 * In-process calls of the service (parameters, SQL, total), no HTTP. Every loop is bounded.
 *
 * Then the live `offres` views over BENCH_OFFERS generated offers (default 20,000).
 *
 * Options (environment): BENCH_DATABASE_URL (PostgreSQL; a schema of its own is created and
 * dropped), BENCH_ROUNDS (queries per measure, default 200), BENCH_OFFERS, DATASETS.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createBenchSchema } from './pg-schema.js'
import { selectPackages } from '../src/datasets/packages/index.js'
import { InfotravailService } from '../src/domain/datastore/infotravail.service.js'
import { encodeCursor } from '../src/domain/datastore/search-request.js'
import { DATA_DIR } from '../src/shared/data-dir.js'
import { openDatabase } from '../src/storage/database.js'
import { SqlDatastore } from '../src/storage/datastore/sql-datastore.js'
import { openUserSql } from '../src/storage/datastore/open-user-sql.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'
import { OfferImportService } from '../src/ingest/offer-import.service.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { SqlOffersRepository } from '../src/storage/sql-offers.repository.js'
import { offresPackage } from '../src/datasets/packages/offres.js'
import { latencySummary } from './stats.js'

const LARGEST = 'd1836fe8-1a22-43a1-ab0c-fc622f00e626'
const rounds = Number(process.env.BENCH_ROUNDS ?? 200)
const databaseUrl = process.env.BENCH_DATABASE_URL
const log = (message: string) => process.stderr.write(`[bench:datastore] ${message}\n`)

async function timed(count: number, query: (round: number) => Promise<unknown>) {
  for (let round = 0; round < Math.min(10, count); round++) await query(round)
  const times: number[] = []
  for (let round = 0; round < count; round++) {
    const started = performance.now()
    await query(round)
    times.push(performance.now() - started)
  }
  return latencySummary(times)
}

const folder = mkdtempSync(join(tmpdir(), 'openemploi-bench-datastore-'))
const schema = databaseUrl ? await createBenchSchema(databaseUrl, `bench_datastore_${process.pid}`) : undefined
const url = schema?.url
const database = await openDatabase(url ? { url, dataDir: folder } : { dataDir: join(folder, 'store') })
try {
  const store = new SqlDatastore(database, openUserSql(database, url))
  const service = new InfotravailService(store)
  const loads: { name: string; version: string; rows: number | undefined; ms: number }[] = []
  let last = performance.now()
  const loadStarted = last
  let servedSeconds = 0
  await store.syncShipped(selectPackages(process.env.DATASETS ?? 'all'), DATA_DIR, {
    loaded: (resource, rows) => {
      const now = performance.now()
      loads.push({ name: resource.name, version: resource.peVersion, rows, ms: Math.round(now - last) })
      log(`loaded ${resource.name} v${resource.peVersion}: ${rows ?? 'live'} rows in ${Math.round(now - last)} ms`)
      last = now
    },
    served: () => {
      servedSeconds = (performance.now() - loadStarted) / 1000
      log(`every dataset served in ${servedSeconds.toFixed(1)} s; building the indexes`)
    },
  })
  const loadSeconds = (performance.now() - loadStarted) / 1000
  const loadedRows = loads.reduce((sum, item) => sum + (item.rows ?? 0), 0)

  const codes = (await store.read(`select distinct "ROME_PROFESSION_CARD_CODE" as code from "${LARGEST}" order by 1 limit 200`, [], 10_000)).rows.map((row) => String(row.code))
  const search = (params: Record<string, unknown>) => service.search({ resource_id: LARGEST, ...params })
  const code = (round: number) => codes[round % codes.length]
  log('measuring datastore_search')
  const filtered = await timed(rounds, (round) => search({ filters: JSON.stringify({ ROME_PROFESSION_CARD_CODE: code(round) }) }))
  const fullText = await timed(rounds, (round) => search({ q: code(round) }))
  const page1 = await timed(rounds, () => search({ limit: 100 }))
  const page3000Offset = await timed(rounds, () => search({ limit: 100, offset: 299_900 }))
  const offset300k = await timed(rounds, () => search({ limit: 100, offset: 300_000 }))
  // The cursor of page 3,000, reached by following `next` as a client would.
  let cursor: string | undefined
  const walkStarted = performance.now()
  for (let page = 1; page < 3000; page++) {
    const { request, page: result } = await search({ limit: 100, include_total: false, ...(cursor ? { cursor } : {}) })
    if (!result.after) throw new Error(`no cursor after page ${page}`)
    cursor = encodeCursor(request, result.after)
  }
  const walkSeconds = (performance.now() - walkStarted) / 1000
  const page3000Keyset = await timed(rounds, () => search({ limit: 100, cursor }))
  log('measuring the dump')
  const resource = (await service.resource(LARGEST)).resource
  const dumpStarted = performance.now()
  let bytes = 0
  const dumped = await service.dump(resource, (rows) => {
    for (const row of rows) bytes += `${Object.values(row).map((value) => (value === null ? '' : String(value as string))).join(',')}\n`.length
  })
  const dumpSeconds = (performance.now() - dumpStarted) / 1000

  const offerCount = Number(process.env.BENCH_OFFERS ?? 20_000)
  log(`importing ${offerCount} generated offers for the live views`)
  const referentials = loadReferentials()
  const importer = new OfferImportService({ offers: new SqlOffersRepository(database.db, database.streamRows), referentials })
  let position = 0
  const records = (function* () {
    for (const value of generateOffers(referentials, { count: offerCount, seed: 'bench-datastore', now: new Date() })) yield { position: ++position, value }
  })()
  await importer.importRecords(records, { source: 'demo' })
  service.invalidate()
  // The compact table (OFFER_ID…) and the counts over it; the original's layout is measured by bench:offers-layout.
  const sourced = (peSource: string) => offresPackage.resources.find((item) => item.peSource === peSource)?.id ?? ''
  const anonymised = sourced('OFFRES_EMPLOI_ANONYMISEES')
  const counts = sourced('OFFRES_EMPLOI_COMPTAGES')
  const romes = (await store.read(`select distinct "ROME_PROFESSION_CARD_CODE" as code from "${anonymised}" limit 100`, [], 30_000)).rows.map((row) => String(row.code))
  const liveOffers = await timed(Math.min(rounds, 50), (round) =>
    service.search({ resource_id: anonymised, filters: JSON.stringify({ ROME_PROFESSION_CARD_CODE: romes[round % romes.length] }) }),
  )
  const liveCounts = await timed(Math.min(rounds, 50), (round) =>
    service.search({ resource_id: counts, filters: JSON.stringify({ ROME_PROFESSION_CARD_CODE: romes[round % romes.length] }) }),
  )

  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
        store: database.kind,
        load: { servedSeconds: +servedSeconds.toFixed(1), seconds: +loadSeconds.toFixed(1), rows: loadedRows, rowsPerSecond: Math.round(loadedRows / servedSeconds), resources: loads.length },
        largestResource: { id: LARGEST, rows: resource.size },
        msPerQuery: { filtered, fullText, page1, page3000Offset, page3000Keyset, offset300k },
        keysetWalk: { pages: 3000, seconds: +walkSeconds.toFixed(1) },
        liveViews: { offers: offerCount, filteredOffers: liveOffers, filteredCounts: liveCounts },
        dump: { rows: dumped, seconds: +dumpSeconds.toFixed(2), rowsPerSecond: Math.round(dumped / dumpSeconds), csvBytes: bytes },
        rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      },
      null,
      2,
    )}\n`,
  )
} finally {
  await database.close()
  rmSync(folder, { recursive: true, force: true })
  await schema?.drop()
}
