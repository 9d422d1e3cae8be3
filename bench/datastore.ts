/**
 * `npm run bench:datastore`: the Infotravail datastore. Loads the shipped datasets (DATASETS,
 * default all) into a fresh store and times each load, then measures datastore_search on the
 * largest resource (offers by commune × ROME, 324,997 rows): a filtered query, a full-text query,
 * page 1, page 3,000 by offset and by keyset cursor, an offset of 300,000, exact totals over every
 * row (an equality and a range that match them all, so that no stored size answers); then dumps of
 * it, whole (CSV, JSON, XML) and filtered (`q` + `fields`, `filters`, `sort`): rows per second, time
 * to the first byte, and the growth of the process's RSS while each streams (sampled every 20 ms and
 * at each chunk). In-process calls of the service (parameters, SQL, total, the dump's writer), no
 * HTTP. Every loop is bounded.
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
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { importGeneratedOffers } from './demo-offers.js'
import { createBenchSchema } from './pg-schema.js'
import { selectPackages } from '../src/datasets/packages/index.js'
import { InfotravailService } from '../src/domain/datastore/infotravail.service.js'
import { encodeCursor } from '../src/domain/datastore/search-request.js'
import { DATA_DIR } from '../src/shared/data-dir.js'
import { openDatabase } from '../src/storage/database.js'
import { SqlDatastore } from '../src/storage/datastore/sql-datastore.js'
import { openUserSql } from '../src/storage/datastore/open-user-sql.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { offresPackage } from '../src/datasets/packages/offres.js'
import { latencySummary } from './stats.js'
import { dumpText } from '../src/http/infotravail/datastore-dump.js'

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

/**
 * One dump streamed into a consumer that drops what it reads (a fast client), through the same
 * stream as the route: rows per second, time to the first byte, peak RSS and its growth.
 */
async function measureDump(service: InfotravailService, id: string, query: Record<string, string>) {
  global.gc?.()
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss))
  const timer = setInterval(sample, 20)
  const started = performance.now()
  let firstByteMs: number | undefined
  let rows = 0
  let bytes = 0
  try {
    const plan = await service.dump(id, query)
    await pipeline(
      Readable.from(dumpText(plan, (count) => (rows += count)), { objectMode: false }),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          firstByteMs ??= performance.now() - started
          bytes += chunk.length
          sample()
          done()
        },
      }),
    )
  } finally {
    clearInterval(timer)
  }
  const seconds = (performance.now() - started) / 1000
  log(`dump ${JSON.stringify(query)}: ${rows} rows in ${seconds.toFixed(2)} s`)
  return {
    query,
    rows,
    seconds: +seconds.toFixed(2),
    rowsPerSecond: Math.round(rows / seconds),
    firstByteMs: Math.round(firstByteMs ?? 0),
    megabytes: +(bytes / 2 ** 20).toFixed(1),
    peakRssMB: Math.round(peak / 2 ** 20),
    rssGrowthMB: Math.round((peak - baseline) / 2 ** 20),
  }
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
  // Totals are exact (CKAN's count): filters matching every row make the count scan them all.
  const everyRowFilter = { EXTRACTION_DATE: '2021-12-21' }
  const matching = (await search({ filters: JSON.stringify(everyRowFilter), limit: 1 })).page.total
  const exactTotalEquality = await timed(rounds, () => search({ filters: JSON.stringify(everyRowFilter), limit: 1 }))
  const exactTotalRange = await timed(rounds, () => search({ filters: JSON.stringify({ NB_OFFERS: { gte: 0 } }), limit: 1 }))
  log(`exact totals over ${matching} rows: equality p50 ${exactTotalEquality.p50} ms, range p50 ${exactTotalRange.p50} ms`)
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
  log('measuring the dumps')
  const resource = (await service.resource(LARGEST)).resource
  // Every ROME code starts with a letter from A to N, every commune code with a digit (or 2A/2B):
  // a prefix query (plain=false) that nearly every row matches.
  const everyRowQuery = [...'abcdefghijklmn0123456789'].map((start) => `${start}:*`).join(' | ')
  const dumps = {
    whole: await measureDump(service, LARGEST, {}),
    wholeJson: await measureDump(service, LARGEST, { format: 'json' }),
    wholeXml: await measureDump(service, LARGEST, { format: 'xml' }),
    qAndFields: await measureDump(service, LARGEST, { q: everyRowQuery, plain: 'false', fields: 'CITY_CODE,ROME_PROFESSION_CARD_CODE' }),
    qOneRome: await measureDump(service, LARGEST, { q: code(0) ?? '', fields: '_id,CITY_CODE,NB_OFFERS' }),
    filters50Romes: await measureDump(service, LARGEST, { filters: JSON.stringify({ ROME_PROFESSION_CARD_CODE: codes.slice(0, 50) }) }),
    filtersSorted: await measureDump(service, LARGEST, { filters: JSON.stringify({ ROME_PROFESSION_CARD_CODE: code(1) }), sort: 'NB_OFFERS desc' }),
  }

  const offerCount = Number(process.env.BENCH_OFFERS ?? 20_000)
  log(`importing ${offerCount} generated offers for the live views`)
  await importGeneratedOffers(database, loadReferentials(), offerCount, 'bench-datastore')
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
        msPerQuery: { filtered, fullText, page1, page3000Offset, page3000Keyset, offset300k, exactTotalEquality, exactTotalRange },
        exactTotal: { matchingRows: matching },
        keysetWalk: { pages: 3000, seconds: +walkSeconds.toFixed(1) },
        liveViews: { offers: offerCount, filteredOffers: liveOffers, filteredCounts: liveCounts },
        dumps,
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
