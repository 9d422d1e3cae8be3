/**
 * `npm run bench`: the benchmark of the Offres search on a generated corpus (default 1,000,000
 * offers). Generates the corpus once (cached in var/bench), imports it into a store once, then in
 * a fresh process measures index build time, memory, in-process latency, and HTTP throughput of
 * /offres/search against a fixed pre-serialised page (the ceiling), both with 10 connections.
 * Traffic goes to 127.0.0.1 only; every step is bounded in time.
 *
 * Options (environment): BENCH_OFFERS, BENCH_DURATION (s per load test), BENCH_DATABASE_URL
 * (measure on PostgreSQL instead of the embedded store), BENCH_DIR.
 */
import { fork } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { serializeOffer } from '../src/domain/offers/offer-json.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'
import { readOfferFile } from '../src/ingest/offer-file.js'
import { OfferImportService } from '../src/ingest/offer-import.service.js'
import { openDatabase } from '../src/storage/database.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { SqlOffersRepository } from '../src/storage/sql-offers.repository.js'
import { parseSearchParams } from '../src/http/offres/search-params.js'
import { QUERY_MIX } from './queries.js'

const offers = Number(process.env.BENCH_OFFERS ?? 1_000_000)
const duration = Number(process.env.BENCH_DURATION ?? 20)
const databaseUrl = process.env.BENCH_DATABASE_URL
const root = process.env.BENCH_DIR ?? join('var', 'bench')
const seed = 'bench'
const now = new Date('2026-11-28T00:00:00.000Z')
const dir = join(root, `${offers}${databaseUrl ? '-pg' : ''}`)
mkdirSync(dir, { recursive: true })
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`)

const referentials = loadReferentials()
for (const { query } of QUERY_MIX) parseSearchParams(query, referentials, now.getTime())

const corpus = join(root, `offers-${offers}.ndjson`)
if (!existsSync(corpus)) {
  const t0 = Date.now()
  const out = createWriteStream(`${corpus}.part`)
  for (const offer of generateOffers(referentials, { count: offers, seed, now })) {
    if (!out.write(`${serializeOffer(offer)}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  const { renameSync } = await import('node:fs')
  renameSync(`${corpus}.part`, corpus)
  log(`generated ${offers} offers in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
}

const imported = join(dir, 'imported.json')
if (!existsSync(imported)) {
  const t0 = Date.now()
  const database = await openDatabase({ url: databaseUrl, dataDir: join(dir, 'store') })
  const importer = new OfferImportService({ offers: new SqlOffersRepository(database.db), referentials })
  let last = Date.now()
  const report = await importer.importRecords(readOfferFile(corpus), {
    source: 'demo',
    batchSize: 2000,
    onProgress: (progress) => {
      if (Date.now() - last > 10_000) {
        last = Date.now()
        log(`imported ${progress.created + progress.updated + progress.unchanged}`)
      }
    },
  })
  await database.close()
  const importSeconds = (Date.now() - t0) / 1000
  writeFileSync(imported, JSON.stringify({ ...report, rejections: report.rejections.slice(0, 5), importSeconds }))
  log(`imported ${report.created} offers in ${importSeconds.toFixed(1)} s (${report.rejected} rejected)`)
}

interface Ready {
  type: 'ready'
  port: number
  cachedPort: number
  openPort: number
  credentials: { client_id: string; client_secret: string }
  token: string
  store: string
  offers: number
  staleSearchDocs: number
  openMs: number
  buildMs: number
  memory: { rssMB: number; heapMB: number; externalMB: number }
  bodyFileMB: number
  pageBytes: number
  latency: unknown
}

log('starting the measured process')
// `npm run bench` runs the compiled benchmark (dist-bench), measuring the code as `npm start` runs it.
const fromSources = import.meta.url.endsWith('.ts')
const child = fork(join(import.meta.dirname, fromSources ? 'server.ts' : 'server.js'), [], {
  execArgv: [...(fromSources ? ['--import', 'tsx'] : []), '--expose-gc', '--max-old-space-size=4096'],
  env: { ...process.env, BENCH_DATA_DIR: dir, ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}) },
})
const timeout = setTimeout(() => {
  log('measured process did not get ready in 15 minutes: stopping')
  child.kill('SIGKILL')
  process.exit(1)
}, 15 * 60_000)
const [ready] = (await once(child, 'message')) as [Ready]
clearTimeout(timeout)
log(`index of ${ready.offers} offers built in ${(ready.buildMs / 1000).toFixed(1)} s, RSS ${ready.memory.rssMB} MB`)

const bearer = { authorization: `Bearer ${ready.token}` }

async function load(
  path: string,
  port: number,
  seconds: number,
  request: { headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string } = { headers: bearer },
) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 10, duration: seconds, ...request })
  return {
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    throughputMBps: +(result.throughput.average / 2 ** 20).toFixed(1),
    errors: result.errors + result.timeouts,
  }
}

/**
 * Throughput of the query mix: each query is loaded on its own (autocannon's request sequences
 * miscount mixed response sizes), then combined as for a mix asking each query equally often —
 * the time per request of the mix is the mean of the queries' times per request.
 */
async function loadMix(title: string, port: number) {
  const perQuery: { query: string; requestsPerSecond: number; latencyP50: number; latencyP99: number }[] = []
  for (const { query } of QUERY_MIX) {
    const path = `/partenaire/offresdemploi/v2/offres/search${query ? `?${query}` : ''}`
    await fetch(`http://127.0.0.1:${port}${path}`, { headers: bearer }).then((response) => response.arrayBuffer())
    const result = await load(path, port, Math.max(2, Math.round(duration / 5)))
    perQuery.push({ query, requestsPerSecond: Math.round(result.requestsPerSecond), latencyP50: result.latencyP50, latencyP99: result.latencyP99 })
  }
  const secondsPerRequest = perQuery.reduce((sum, item) => sum + 1 / Math.max(item.requestsPerSecond, 1), 0) / perQuery.length
  const requestsPerSecond = Math.round(1 / secondsPerRequest)
  log(`${title}: ${requestsPerSecond} req/s`)
  return { requestsPerSecond, perQuery }
}

const search = await loadMix('search mix, caches off', ready.port)
const searchCached = await loadMix('search mix, caches on', ready.cachedPort)
const ceilingResult = await load('/bench/ceiling', ready.port, duration)
const ceiling = { ...ceilingResult, requestsPerSecond: Math.round(ceilingResult.requestsPerSecond) }
log(`ceiling: ${ceiling.requestsPerSecond} req/s`)
/**
 * Cost of access under contract (token check, rate limit, call counting): the same cached
 * searches on the same index, once with a token on the protected app, once on an app where the
 * API is open; alternated so that drift of the machine touches both alike.
 */
async function accessOverhead() {
  const queries = ['', 'motsCles=infirmier', 'typeContrat=CDI&departement=33']
  let protectedSeconds = 0
  let openSeconds = 0
  const perQuery = []
  for (const query of queries) {
    const path = `/partenaire/offresdemploi/v2/offres/search${query ? `?${query}` : ''}`
    await fetch(`http://127.0.0.1:${ready.cachedPort}${path}`, { headers: bearer }).then((response) => response.arrayBuffer())
    const seconds = Math.max(2, Math.round(duration / 4))
    const open1 = await load(path, ready.openPort, seconds, {})
    const protected1 = await load(path, ready.cachedPort, seconds)
    const protected2 = await load(path, ready.cachedPort, seconds)
    const open2 = await load(path, ready.openPort, seconds, {})
    const withAccess = (protected1.requestsPerSecond + protected2.requestsPerSecond) / 2
    const without = (open1.requestsPerSecond + open2.requestsPerSecond) / 2
    protectedSeconds += 1 / withAccess
    openSeconds += 1 / without
    perQuery.push({ query, withAccess: Math.round(withAccess), without: Math.round(without), errors: protected1.errors + protected2.errors })
  }
  const withAccess = Math.round(queries.length / protectedSeconds)
  const without = Math.round(queries.length / openSeconds)
  const overhead = +(1 - withAccess / without).toFixed(3)
  log(`access overhead: ${withAccess} req/s with, ${without} without (${(overhead * 100).toFixed(1)} %)`)
  return { withAccess, without, overhead, perQuery }
}

async function tokenIssuance() {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: ready.credentials.client_id,
    client_secret: ready.credentials.client_secret,
    scope: 'api_offresdemploiv2 o2dsoffre',
  }).toString()
  const result = await load('/connexion/oauth2/access_token?realm=%2Fpartenaire', ready.port, Math.max(2, Math.round(duration / 2)), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
  log(`token issuance: ${Math.round(result.requestsPerSecond)} tokens/s`)
  return { ...result, requestsPerSecond: Math.round(result.requestsPerSecond) }
}

const access = await accessOverhead()
const tokens = await tokenIssuance()
child.send({ type: 'memory' })
const [afterLoad] = (await once(child, 'message')) as [{ memory: Ready['memory'] }]
child.send({ type: 'stop' })
await once(child, 'exit')

const results = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  corpus: { offers, seed },
  store: ready.store,
  staleSearchDocs: ready.staleSearchDocs,
  openMs: ready.openMs,
  buildSeconds: +(ready.buildMs / 1000).toFixed(1),
  memoryAfterBuild: ready.memory,
  memoryAfterLoad: afterLoad.memory,
  bodyFileMB: ready.bodyFileMB,
  pageBytes: ready.pageBytes,
  latencyMs: ready.latency,
  http: {
    search,
    searchCached,
    ceiling,
    searchShareOfCeiling: +(search.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2),
    searchCachedShareOfCeiling: +(searchCached.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2),
  },
  access: { overhead: access, tokenIssuance: tokens },
}
const file = join(dir, `results-${Date.now()}.json`)
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
log(`results written to ${file}`)
