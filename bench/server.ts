/**
 * The measured process of the benchmark: builds the index from a store, reports build time and
 * memory, times searches in-process, then serves HTTP for the load test. Started by bench/run.ts.
 */
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { AccessService } from '../src/domain/access/access.service.js'
import { MemoryRateLimiter } from '../src/domain/access/rate-limiter.js'
import { OffresService } from '../src/domain/offers/offres.service.js'
import { UsageRecorder } from '../src/domain/usage/usage.js'
import { buildApp, type AccessDependencies } from '../src/http/build-app.js'
import { LocalAccessEvents } from '../src/storage/access-events.js'
import { loadApiCatalogue } from '../src/storage/api-catalogue.js'
import { SqlAccessRepository } from '../src/storage/sql-access.repository.js'
import { SqlAttemptCounter } from '../src/storage/sql-attempt-counter.js'
import { SqlUsageRepository } from '../src/storage/sql-usage.repository.js'
import { parseSearchParams } from '../src/http/offres/search-params.js'
import { FileBodyStore } from '../src/search/body-store.js'
import { loadIndex } from '../src/search/index-loader.js'
import { OfferIndex } from '../src/search/offer-index.js'
import { SearchLexicon } from '../src/search/search-lexicon.js'
import { loadRomeVocabulary } from '../src/storage/rome-vocabulary.js'
import { openDatabase } from '../src/storage/database.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { SqlOffersRepository } from '../src/storage/sql-offers.repository.js'
import { QUERY_MIX } from './queries.js'
import { latencySummary } from './stats.js'

const send = (message: unknown) => process.send?.(message)
const dataDir = process.env.BENCH_DATA_DIR ?? 'var/bench'
const databaseUrl = process.env.BENCH_DATABASE_URL
const rounds = Number(process.env.BENCH_ROUNDS ?? 30)

function memory() {
  globalThis.gc?.()
  const usage = process.memoryUsage()
  return { rssMB: Math.round(usage.rss / 2 ** 20), heapMB: Math.round(usage.heapUsed / 2 ** 20), externalMB: Math.round(usage.external / 2 ** 20) }
}

const started = performance.now()
const referentials = loadReferentials()
const database = await openDatabase({ url: databaseUrl, dataDir: join(dataDir, 'store') })
const repository = new SqlOffersRepository(database.db, database.streamRows)
const opened = performance.now()
const bodies = new FileBodyStore(join(dataDir, 'cache'))
// Latency and the first load test run without caches, the second load test with them.
const index = new OfferIndex(referentials, bodies)
const { loaded, stale } = await loadIndex(index, repository, referentials)
const built = performance.now()
const afterBuild = memory()

// Two services over the one index: without caches (latency, first load test), then with them;
// both correct keywords as `serve` does (the lexicon built once, before the timings).
const lexicon = new SearchLexicon(referentials, loadRomeVocabulary())
const offres = new OffresService({ pageCacheBytes: 0, searchCache: false, lexicon: () => lexicon })
offres.serve(index)
const cachedOffres = new OffresService({ lexicon: () => lexicon })
cachedOffres.serve(index)
const now = Date.now()
for (const { query } of QUERY_MIX) parseSearchParams(query, referentials, now)

// In-process latency: parse, search, facets and the serialised page, as a request does.
const timings: Record<string, number[]> = {}
const all: number[] = []
for (let round = 0; round < rounds + 3; round++) {
  for (const { kind, query } of QUERY_MIX) {
    const t0 = performance.now()
    const { query: parsed, window, typedKeywords, keywordMode } = parseSearchParams(query, referentials, now)
    offres.search(parsed, window, { typed: typedKeywords, mode: keywordMode })
    const elapsed = performance.now() - t0
    if (round < 3) continue
    ;(timings[kind] ??= []).push(elapsed)
    all.push(elapsed)
  }
}
const summary = (values: number[]) => latencySummary(values)
const latency = {
  all: summary(all),
  byKind: Object.fromEntries(Object.entries(timings).map(([kind, values]) => [kind, summary(values)])),
  samples: all.length,
}

// Access under contract as `serve` sets it up (the bench store is embedded, hence local invalidations).
const accessService = new AccessService({
  repository: new SqlAccessRepository(database.db),
  events: new LocalAccessEvents(),
  catalogue: loadApiCatalogue(),
  tokenTtlSeconds: 1499,
  defaultRatePerSecond: 10,
  signInAttempts: new SqlAttemptCounter(database.db),
})
const usage = new SqlUsageRepository(database.db)
const recorder = new UsageRecorder(usage)
recorder.start()
const access: AccessDependencies = {
  service: accessService,
  limiter: new MemoryRateLimiter(),
  recorder,
  usage,
  defaultRatePerSecond: 10,
}
const { credentials } = await accessService.createClient({
  name: 'Benchmark',
  ownerEmail: 'bench@openemploi.example',
  kind: 'entreprise',
  apis: ['offresdemploiv2'],
})
// The load tests measure the service, not the limit: the benchmark client may call as fast as it can.
await accessService.setRateLimit(credentials.client_id, 100_000)
const { access_token: token } = await accessService.issueToken(credentials.client_id, credentials.client_secret, undefined)

const app = await buildApp({ offres, referentials, access, logLevel: 'warn' })
const cachedApp = await buildApp({ offres: cachedOffres, referentials, access, logLevel: 'warn' })
// The same service with the Offres API open: what authentication, limits and counting cost.
const openApp = await buildApp({
  offres: cachedOffres,
  referentials,
  access: { ...access, publicApis: new Set(['offresdemploiv2']) },
  logLevel: 'warn',
})
// The ceiling: one fixed, pre-serialised 150-offer page with the search route's headers.
const page = offres.search(parseSearchParams('', referentials, now).query, { start: 0, end: 149 }).body ?? Buffer.from('{}')
app.get('/bench/ceiling', (_request, reply) =>
  reply
    .code(206)
    .headers({
      'Content-Type': 'application/json;charset=UTF-8',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      'Content-Range': `offres 0-149/${index.size}`,
      'Accept-Range': '150',
    })
    .send(page),
)
await app.listen({ host: '127.0.0.1', port: 0 })
await cachedApp.listen({ host: '127.0.0.1', port: 0 })
await openApp.listen({ host: '127.0.0.1', port: 0 })
const portOf = (server: typeof app.server) => {
  const address = server.address()
  return typeof address === 'object' && address ? address.port : 0
}
send({
  type: 'ready',
  port: portOf(app.server),
  cachedPort: portOf(cachedApp.server),
  openPort: portOf(openApp.server),
  credentials,
  token,
  store: database.kind,
  offers: loaded,
  staleSearchDocs: stale,
  openMs: Math.round(opened - started),
  buildMs: Math.round(built - opened),
  memory: afterBuild,
  bodyFileMB: Math.round(bodies.size / 2 ** 20),
  pageBytes: page.length,
  latency,
})
process.on('message', (message: { type?: string }) => {
  if (message.type === 'memory') send({ type: 'memory', memory: memory() })
  if (message.type === 'stop') {
    void Promise.all([app.close(), cachedApp.close(), openApp.close()])
      .then(() => recorder.close())
      .then(() => database.close())
      .then(() => process.exit(0))
  }
})
