/**
 * `npm run bench:typos`: typo tolerance of the Offres search (issue 14, point 1) on a generated
 * corpus (default 200,000 offers, seed `bench`).
 *
 * 1. Recall: ≥ 500 keyword queries drawn from the corpus's titles that find offers, each with one
 *    random edit (insertion, deletion, substitution, transposition) to a word of ≥ 5 letters; the
 *    share of misspelled queries whose total equals the original query's total, asked through the
 *    search route as a request is (criterion: ≥ 90 %). Also how many answers said what they
 *    corrected (`X-Mots-Cles-Corriges`), by edit, word length and query shape.
 * 2. Latency: the 33-query mix (bench/queries.ts) and the misspelled queries, in-process (parse,
 *    search, facets and the serialised page, caches off, as `npm run bench`) and through the route
 *    (criterion on 1,000,000 offers with correction on: mix p50 ≤ 2 ms, p99 ≤ 20 ms).
 *
 * Options (environment): BENCH_OFFERS (default 200000), BENCH_TYPO_QUERIES (default 500),
 * BENCH_ROUNDS (rounds of the mix, default 20), BENCH_TYPO_SEED (default "typos").
 */
import { cpus, totalmem } from 'node:os'
import { loadReferentials } from '../src/storage/reference-data.js'
import { QUERY_MIX } from './queries.js'
import { BENCH_NOW, benchOffers, storedOffers } from './generated-offers.js'
import { buildOurSearch, searchInProcess, searchThroughRoute } from './search-path.js'
import { latencySummary } from './stats.js'
import { MIN_TYPO_LETTERS } from './typos/misspell.js'
import { exactQuery, ISSUE_EXAMPLES, plainQuery, typoCases, type TypoCase } from './typos/typo-set.js'

const offerCount = Number(process.env.BENCH_OFFERS ?? 200_000)
const queryCount = Number(process.env.BENCH_TYPO_QUERIES ?? 500)
const rounds = Number(process.env.BENCH_ROUNDS ?? 20)
const seed = process.env.BENCH_TYPO_SEED ?? 'typos'
const log = (message: string) => process.stderr.write(`[bench:typos] ${message}\n`)
const now = () => BENCH_NOW.getTime()

function memory() {
  globalThis.gc?.()
  const usage = process.memoryUsage()
  return { rssMB: Math.round(usage.rss / 2 ** 20), heapMB: Math.round(usage.heapUsed / 2 ** 20), externalMB: Math.round(usage.external / 2 ** 20) }
}

const referentials = loadReferentials()
log(`building the index of ${offerCount} generated offers`)
let lastLog = Date.now()
// Generated while loading: a million offers' JSON would not fit in memory beside the index.
const ours = await buildOurSearch(referentials, () => storedOffers(benchOffers(referentials, offerCount)), now, (loaded) => {
  if (Date.now() - lastLog > 10_000) {
    lastLog = Date.now()
    log(`loaded ${loaded}`)
  }
})
const afterBuild = memory()
log(`offers generated and indexed in ${(ours.buildMs / 1000).toFixed(1)} s, RSS ${afterBuild.rssMB} MB`)

// ---------------------------------------------------------------------------------- recall

const cases = await typoCases(ours.app, referentials, { count: queryCount, offers: offerCount, seed })
log(`${cases.length} misspelled queries`)

interface Outcome {
  readonly item: TypoCase
  readonly total: number
  readonly corrected: string | undefined
  /** The misspelled word alone finds offers with exact matching: it is itself an indexed word. */
  readonly realWord: boolean
}

const outcomes: Outcome[] = []
for (const item of cases) {
  const answer = await searchThroughRoute(ours.app, plainQuery(item.misspelled))
  const alone = await searchThroughRoute(ours.app, exactQuery(item.typo))
  outcomes.push({ item, total: Number.isNaN(answer.total) ? 0 : answer.total, corrected: answer.corrected, realWord: alone.total > 0 })
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : +((100 * part) / whole).toFixed(1))
function recallOf(subset: readonly Outcome[]) {
  const recovered = subset.filter((outcome) => outcome.total === outcome.item.originalTotal).length
  return {
    queries: subset.length,
    recallPercent: share(recovered, subset.length),
    correctedPercent: share(subset.filter((outcome) => outcome.corrected !== undefined).length, subset.length),
  }
}
const group = <K extends string>(key: (outcome: Outcome) => K) => {
  const groups = new Map<K, Outcome[]>()
  for (const outcome of outcomes) groups.set(key(outcome), [...(groups.get(key(outcome)) ?? []), outcome])
  return Object.fromEntries([...groups].map(([name, subset]) => [name, recallOf(subset)]))
}
const recall = {
  all: recallOf(outcomes),
  byEdit: group((outcome) => outcome.item.edit),
  byWordLength: group((outcome) => ([...outcome.item.word].length >= 9 ? '9+ letters' : `${MIN_TYPO_LETTERS}-8 letters`)),
  byShape: group((outcome) => outcome.item.shape),
  byKind: group((outcome) => (outcome.realWord ? 'typo is another indexed word' : 'typo is no indexed word')),
}
const examples = outcomes.slice(0, 12).map((outcome) => ({
  original: outcome.item.original,
  misspelled: outcome.item.misspelled,
  edit: outcome.item.edit,
  originalTotal: outcome.item.originalTotal,
  total: outcome.total,
  corrected: outcome.corrected,
}))

const issueExamples = []
for (const { original, misspelled } of ISSUE_EXAMPLES) {
  const expected = await searchThroughRoute(ours.app, exactQuery(original))
  const answer = await searchThroughRoute(ours.app, plainQuery(misspelled))
  issueExamples.push({ original, misspelled, originalTotal: expected.total, total: answer.total, corrected: answer.corrected })
}

// ---------------------------------------------------------------------------------- latency

/**
 * Timings of a list of queries, `rounds` times after 3 warm-up rounds, both ways a request can be
 * timed, one way after the other: the route's answers (whole pages copied into strings by
 * `inject`) would otherwise leave garbage whose collection lands on the in-process timings.
 */
async function latency(queries: readonly { kind: string; query: string }[], times: number) {
  const timed = async (search: (query: string) => unknown) => {
    const timings: Record<string, number[]> = {}
    globalThis.gc?.()
    for (let round = 0; round < times + 3; round++) {
      for (const { kind, query } of queries) {
        const started = performance.now()
        await search(query)
        const elapsed = performance.now() - started
        if (round >= 3) (timings[kind] ??= []).push(elapsed)
      }
    }
    return {
      all: latencySummary(Object.values(timings).flat()),
      byKind: Object.fromEntries(Object.entries(timings).map(([kind, values]) => [kind, latencySummary(values)])),
    }
  }
  const inProcess = await timed((query) => searchInProcess(ours, referentials, query, now()))
  const route = await timed((query) => searchThroughRoute(ours.app, query))
  return { inProcess, route }
}

log(`timing the 33-query mix, ${rounds} rounds`)
const mix = await latency(QUERY_MIX, rounds)
log(`mix in-process p50 ${mix.inProcess.all.p50} ms, p99 ${mix.inProcess.all.p99} ms`)
const misspelledLatency = await latency(
  cases.map((item) => ({ kind: 'misspelled', query: plainQuery(item.misspelled) })),
  Math.max(1, Math.round(rounds / 10)),
)
await ours.close()

const results = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  corpus: { offers: offerCount, seed: 'bench', typoSeed: seed },
  generateAndBuildSeconds: +(ours.buildMs / 1000).toFixed(1),
  memoryAfterBuild: afterBuild,
  recall,
  examples,
  issueExamples,
  latencyMs: { mix, misspelled: misspelledLatency },
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)

const row = (name: string, value: ReturnType<typeof recallOf>) =>
  `| ${name} | ${value.queries} | ${value.recallPercent} % | ${value.correctedPercent} % |`
const lines = [
  `Typo recall, ${offerCount.toLocaleString('en')} offers (${cases.length} misspelled queries):`,
  '',
  '| queries | n | total = original\'s | corrected (header) |',
  '|---|---|---|---|',
  row('all', recall.all),
  ...Object.entries(recall.byEdit).map(([name, value]) => row(name, value)),
  ...Object.entries(recall.byWordLength).map(([name, value]) => row(name, value)),
  ...Object.entries(recall.byShape).map(([name, value]) => row(name, value)),
  ...Object.entries(recall.byKind).map(([name, value]) => row(name, value)),
  '',
  '| the issue\'s examples | total of the original | total | corrected (header) |',
  '|---|---|---|---|',
  ...issueExamples.map((item) => `| ${item.misspelled} (${item.original}) | ${item.originalTotal} | ${Number.isNaN(item.total) ? 0 : item.total} | ${item.corrected ?? '—'} |`),
  '',
  '| latency (ms) | p50 | p99 | max |',
  '|---|---|---|---|',
  `| mix, in-process (parse + search + page) | ${mix.inProcess.all.p50} | ${mix.inProcess.all.p99} | ${mix.inProcess.all.max} |`,
  `| mix, through the route | ${mix.route.all.p50} | ${mix.route.all.p99} | ${mix.route.all.max} |`,
  `| misspelled queries, in-process | ${misspelledLatency.inProcess.all.p50} | ${misspelledLatency.inProcess.all.p99} | ${misspelledLatency.inProcess.all.max} |`,
  `| misspelled queries, through the route | ${misspelledLatency.route.all.p50} | ${misspelledLatency.route.all.p99} | ${misspelledLatency.route.all.max} |`,
]
process.stderr.write(`\n${lines.join('\n')}\n`)
