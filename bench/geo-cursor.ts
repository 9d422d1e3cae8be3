/**
 * `npm run bench:geo-cursor`: searches around a point and deep paging by cursor (issue 14,
 * points 4 and 5) on a generated corpus (default 1,000,000 offers), indexed in-process straight
 * from the generator (no store: what is measured is the search, as `npm run bench` measures it
 * in-process once the index is built). Every timing includes what a request does: parsing the
 * query string (and the cursor), the search, the facets and the serialised page.
 *
 * 1. Points: POINT_QUERIES and the commune searches they stand for, BENCH_ROUNDS rounds.
 * 2. Cursors: each of CURSOR_QUERIES paged by 150 from its first page to BENCH_CURSOR_DEPTH offers
 *    deep (default 150,000), each page by the previous page's cursor; the deepest ranges (3000-3149)
 *    for comparison; then `sort=1` and `sort=0&motsCles=vendeur` again while 100 offers are added
 *    and 50 removed between pages (a live index: tail, renumbering).
 *
 * Options (environment): BENCH_OFFERS, BENCH_CURSOR_DEPTH, BENCH_ROUNDS, BENCH_DIR.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { serializeOffer } from '../src/domain/offers/offer-json.js'
import { OffresService } from '../src/domain/offers/offres.service.js'
import { encodeCursor, queryFingerprint } from '../src/domain/offers/search-cursor.js'
import { parseSearchParams } from '../src/http/offres/search-params.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'
import { FileBodyStore } from '../src/search/body-store.js'
import { extractFeatures } from '../src/search/offer-features.js'
import { OfferIndex } from '../src/search/offer-index.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { CURSOR_QUERIES, POINT_QUERIES, QUERY_MIX } from './queries.js'
import { latencySummary } from './stats.js'

const offers = Number(process.env.BENCH_OFFERS ?? 1_000_000)
const depth = Number(process.env.BENCH_CURSOR_DEPTH ?? 150_000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 30)
const root = process.env.BENCH_DIR ?? join('var', 'bench')
const dir = join(root, `geo-cursor-${offers}`)
mkdirSync(dir, { recursive: true })
const now = new Date('2026-11-28T00:00:00.000Z')
const log = (message: string) => process.stderr.write(`[bench:geo-cursor] ${message}\n`)
const PAGE = 150

function memory() {
  globalThis.gc?.()
  const usage = process.memoryUsage()
  return { rssMB: Math.round(usage.rss / 2 ** 20), heapMB: Math.round(usage.heapUsed / 2 ** 20) }
}

const referentials = loadReferentials()
for (const { query } of POINT_QUERIES) parseSearchParams(query, referentials, now.getTime())

const t0 = performance.now()
const index = new OfferIndex(referentials, new FileBodyStore(join(dir, 'cache')), { cachedSearches: 0 })
let added = 0
for (const offer of generateOffers(referentials, { count: offers, seed: 'bench', now })) {
  index.add(extractFeatures(offer, referentials), serializeOffer(offer))
  if (++added % 100_000 === 0) log(`indexed ${added}`)
}
index.finishLoad()
const buildSeconds = +((performance.now() - t0) / 1000).toFixed(1)
const afterBuild = memory()
log(`index of ${index.size} offers built in ${buildSeconds} s, RSS ${afterBuild.rssMB} MB`)

const offres = new OffresService({ pageCacheBytes: 0, searchCache: false })
offres.serve(index)
const clock = now.getTime()

/** One request's work for a range page: parse, search, facets, page. */
function rangePage(queryString: string) {
  const { query, window } = parseSearchParams(queryString, referentials, clock)
  return offres.search(query, window)
}

// 1. Points, and the commune searches of the mix that five of them stand for.
const communeEquivalents = QUERY_MIX.filter(({ kind }) => kind === 'place').slice(0, 5)
const pointTimings = new Map<string, number[]>()
for (let round = 0; round < rounds + 3; round++) {
  for (const { kind, query } of [...POINT_QUERIES, ...communeEquivalents.map((item) => ({ kind: 'commune (mix)', query: item.query }))]) {
    const start = performance.now()
    rangePage(query)
    const elapsed = performance.now() - start
    if (round >= 3) pointTimings.set(kind, [...(pointTimings.get(kind) ?? []), elapsed])
  }
}
const totals = Object.fromEntries(
  [...POINT_QUERIES, ...communeEquivalents].map(({ query }) => [query, rangePage(query).result.total] as const),
)
const points = {
  byKind: Object.fromEntries([...pointTimings].map(([kind, values]) => [kind, latencySummary(values)])),
  totals,
}
log(`points: ${JSON.stringify(points.byKind)}`)

/**
 * Pages a search by cursor from its first page down to `maxDepth` offers, as clients do; `between`
 * runs between pages (outside the timings). Returns the per-page timings and what was seen.
 */
function traverse(queryString: string, maxDepth: number, between?: (page: number) => void) {
  const first = performance.now()
  const parsed = parseSearchParams(`${queryString}&range=0-${PAGE - 1}`, referentials, clock)
  let page = offres.search(parsed.query, parsed.window)
  const fingerprint = queryFingerprint(parsed.query)
  let cursor = page.last && encodeCursor({ after: page.last, fingerprint, minute: parsed.minute })
  const timings = [performance.now() - first]
  let seen = page.result.docs.length
  const total = page.result.total
  for (let number = 1; cursor !== undefined && seen < Math.min(maxDepth, total); number++) {
    between?.(number)
    const start = performance.now()
    const next = parseSearchParams(`${queryString}&range=0-${PAGE - 1}&curseur=${cursor}`, referentials, clock)
    page = offres.searchAfter(next.query, next.cursor?.after, PAGE)
    cursor = page.last && encodeCursor({ after: page.last, fingerprint, minute: next.minute })
    timings.push(performance.now() - start)
    seen += page.result.docs.length
  }
  return { total, seen, pages: timings.length, timings }
}

/** Per-page latency summary of a traversal, with its first page and its deepest tenth apart. */
function summarise({ total, seen, pages, timings }: ReturnType<typeof traverse>) {
  const deepest = timings.slice(Math.floor(timings.length * 0.9))
  const seconds = +(timings.reduce((sum, value) => sum + value, 0) / 1000).toFixed(2)
  return {
    total,
    seen,
    pages,
    seconds,
    firstPageMs: +(timings[0] ?? 0).toFixed(2),
    perPage: latencySummary(timings.slice(1)),
    deepestTenth: latencySummary(deepest),
  }
}

// 2. Cursors.
const cursors: Record<string, ReturnType<typeof summarise>> = {}
const deepestRanges: Record<string, ReturnType<typeof latencySummary>> = {}
for (const query of CURSOR_QUERIES) {
  cursors[query] = summarise(traverse(query, depth))
  const ranges: number[] = []
  for (let round = 0; round < 10; round++) {
    const start = performance.now()
    rangePage(`${query}&range=3000-3149`)
    ranges.push(performance.now() - start)
  }
  deepestRanges[query] = latencySummary(ranges)
  log(`cursor ${query}: ${JSON.stringify(cursors[query])}; range 3000-3149: ${JSON.stringify(deepestRanges[query])}`)
}

// 3. Paging while the index changes: 100 additions and 50 removals between pages.
const extra = generateOffers(referentials, { count: 2_000_000, seed: 'bench-live', now })
const liveIds: string[] = []
const change = () => {
  for (let i = 0; i < 100; i++) {
    const next = extra.next()
    if (next.done) return
    index.add(extractFeatures(next.value, referentials), serializeOffer(next.value))
    liveIds.push(next.value.id)
  }
  for (let i = 0; i < 50; i++) {
    const id = liveIds.shift()
    if (id !== undefined) index.remove(id)
  }
}
const live: Record<string, ReturnType<typeof summarise>> = {}
for (const query of ['sort=1', 'sort=0&motsCles=vendeur']) {
  live[query] = summarise(traverse(query, Math.min(depth, 60_000), change))
  log(`cursor while changing ${query}: ${JSON.stringify(live[query])}`)
}

const results = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  corpus: { offers, seed: 'bench' },
  buildSeconds,
  memoryAfterBuild: afterBuild,
  points,
  cursors,
  deepestRanges,
  live,
  memoryAtEnd: memory(),
}
const file = join(dir, `results-${Date.now()}.json`)
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
log(`results written to ${file}`)
