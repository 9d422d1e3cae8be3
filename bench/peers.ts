/**
 * `npm run bench:peers`: our index against PostgreSQL 15 full text, Orama 3 and MiniSearch 7 on
 * ONE generated corpus (default 200,000 offers, seed `bench`), issue 14 point 7.
 *
 * Builds the four from the same offers (build time, memory), translates each query of the
 * 33-query mix (bench/queries.ts) into each system's query (keywords, filters, radius, sort,
 * facets as each can; what a system cannot do itself is said in the table), checks every total
 * and facet against ours, then runs the mix alternated: round after round, each query on each
 * system in turn (the order rotating), after warm-up rounds. Then the typo recall of each system
 * on the misspelled queries of `npm run bench:typos`. Prints markdown tables; JSON to var/bench/.
 * PostgreSQL works in a schema of its own, dropped at the end.
 *
 * Options (environment): BENCH_OFFERS (default 200000), BENCH_ROUNDS (default 5), BENCH_WARMUP
 * (default 1), BENCH_TYPO_QUERIES (default 500), BENCH_TYPO_SEED (default "typos"),
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_SYSTEMS (a subset:
 * any of minisearch, orama, postgres).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { loadReferentials } from '../src/storage/reference-data.js'
import { serializeOffer } from '../src/domain/offers/offer-json.js'
import type { StoredOffer } from '../src/domain/offers/offers.repository.js'
import { BENCH_NOW, benchOffers } from './generated-offers.js'
import { buildMiniSearch, miniSearchSystem } from './peers/minisearch.js'
import { benchQuery, sameFacets, toPeerDoc, untranslated, type BenchQuery, type PeerDoc } from './peers/model.js'
import { buildOrama, oramaSystem } from './peers/orama.js'
import { ourSystem } from './peers/ours.js'
import { buildPostgres } from './peers/postgres.js'
import { renderReport, type Mismatch, type SystemRun, type TypoRecall } from './peers/report.js'
import { measuredBuild, processMemory, type BuildReport, type SearchSystem } from './peers/system.js'
import { QUERY_MIX } from './queries.js'
import { buildOurSearch } from './search-path.js'
import { latencySummary } from './stats.js'
import { ISSUE_EXAMPLES, plainQuery, typoCases } from './typos/typo-set.js'

const offerCount = Number(process.env.BENCH_OFFERS ?? 200_000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const warmup = Number(process.env.BENCH_WARMUP ?? 1)
const typoQueries = Number(process.env.BENCH_TYPO_QUERIES ?? 500)
const typoSeed = process.env.BENCH_TYPO_SEED ?? 'typos'
const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const selected = new Set((process.env.BENCH_SYSTEMS ?? 'minisearch,orama,postgres').split(',').map((name) => name.trim()))
const log = (message: string) => process.stderr.write(`[bench:peers] ${message}\n`)
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const now = BENCH_NOW.getTime()

const referentials = loadReferentials()
const queries: BenchQuery[] = QUERY_MIX.map(({ kind, query }) => benchQuery(kind, query, referentials, now))
for (const query of queries) {
  const left = untranslated(query.parsed)
  if (left.length > 0) throw new Error(`The bench does not translate ${left.join(', ')} (${query.query})`)
}

// One corpus for all: each offer's JSON as a store hands it over, and its peer document.
const started = performance.now()
let stored: StoredOffer[] | undefined = []
let docs: PeerDoc[] | undefined = []
for (const offer of benchOffers(referentials, offerCount)) {
  stored.push({ id: offer.id, json: Buffer.from(serializeOffer(offer)), appellations: [], mrs: false })
  docs.push(toPeerDoc(offer, referentials))
}
log(`${offerCount} offers generated in ${seconds(performance.now() - started)}`)
const ours = await measuredBuild(() => buildOurSearch(referentials, () => stored ?? [], () => now))
stored = undefined
log(`our index: ${seconds(ours.report.ms)}`)

const systems: { system: SearchSystem; build: BuildReport }[] = [{ system: ourSystem(ours.value), build: ours.report }]
const extraTypoSystems: SearchSystem[] = []
let trigrams: unknown
try {
  if (selected.has('minisearch')) {
    const corpus = docs
    const built = await measuredBuild(() => buildMiniSearch(corpus))
    systems.push({ system: miniSearchSystem(built.value), build: built.report })
    extraTypoSystems.push(miniSearchSystem(built.value, 'unknownOnly'))
    log(`MiniSearch: ${seconds(built.report.ms)}`)
  }
  if (selected.has('orama')) {
    const corpus = docs
    const built = await measuredBuild(() => buildOrama(corpus))
    systems.push({ system: oramaSystem(built.value), build: built.report })
    log(`Orama: ${seconds(built.report.ms)}`)
  }
  if (selected.has('postgres')) {
    const built = await buildPostgres(databaseUrl, docs, log)
    systems.push({ system: built.system, build: built.report })
    trigrams = built.trigrams
    log(`PostgreSQL: ${seconds(built.report.ms)}; pg_trgm words: ${JSON.stringify(built.trigrams)}`)
  }
  docs = undefined
  const afterBuilds = await processMemory()

  // ---------------------------------------------------------------------------------- totals
  const runs: SystemRun[] = systems.map(({ system, build }) => ({
    system,
    build,
    prepared: queries.map((query) => system.prepare(query)),
    timings: queries.map(() => []),
  }))
  const mismatches: Mismatch[] = []
  const [reference, ...others] = runs
  if (!reference) throw new Error('No system to compare')
  for (const [at, query] of queries.entries()) {
    const expected = reference.prepared[at]
    if (typeof expected === 'string' || !expected) continue
    const ourOutcome = await expected.run()
    for (const run of others) {
      const prepared = run.prepared[at]
      if (typeof prepared === 'string' || !prepared) continue
      const outcome = await prepared.run()
      const facetsDiffer = outcome.facets !== undefined && ourOutcome.facets !== undefined && !sameFacets(outcome.facets, ourOutcome.facets)
      if (outcome.total !== ourOutcome.total || facetsDiffer) {
        mismatches.push({ system: run.system.name, query: query.query, ours: ourOutcome.total, theirs: outcome.total, facetsDiffer })
      }
    }
  }
  log(`totals compared: ${mismatches.length} differences`)

  // ---------------------------------------------------------------------------------- latency
  for (let round = 0; round < warmup + rounds; round++) {
    const roundStarted = performance.now()
    for (const [at] of queries.entries()) {
      for (let turn = 0; turn < runs.length; turn++) {
        const run = runs[(turn + round + at) % runs.length]
        const prepared = run?.prepared[at]
        if (!run || !prepared || typeof prepared === 'string') continue
        const t0 = performance.now()
        await prepared.run()
        const elapsed = performance.now() - t0
        if (round >= warmup) run.timings[at]?.push(elapsed)
      }
    }
    log(`round ${round + 1}/${warmup + rounds}${round < warmup ? ' (warm-up)' : ''}: ${seconds(performance.now() - roundStarted)}`)
  }

  // ---------------------------------------------------------------------------------- typos
  const cases = await typoCases(ours.value.app, referentials, { count: typoQueries, offers: offerCount, seed: typoSeed })
  log(`${cases.length} misspelled queries`)
  const typos: TypoRecall[] = []
  for (const system of [...runs.map((run) => run.system), ...extraTypoSystems]) {
    let recovered = 0
    let unavailable: string | undefined
    const timings: number[] = []
    for (const item of cases) {
      const original = system.prepare(benchQuery('typo', plainQuery(item.original), referentials, now), 'exact')
      const misspelled = system.prepare(benchQuery('typo', plainQuery(item.misspelled), referentials, now), 'tolerant')
      if (typeof original === 'string' || typeof misspelled === 'string') {
        unavailable = typeof misspelled === 'string' ? misspelled : typeof original === 'string' ? original : ''
        break
      }
      const expected = await original.run()
      const t0 = performance.now()
      const found = await misspelled.run()
      timings.push(performance.now() - t0)
      if (found.total === expected.total) recovered++
    }
    let examples = 0
    for (const example of unavailable === undefined ? ISSUE_EXAMPLES : []) {
      const original = system.prepare(benchQuery('typo', plainQuery(example.original), referentials, now), 'exact')
      const misspelled = system.prepare(benchQuery('typo', plainQuery(example.misspelled), referentials, now), 'tolerant')
      if (typeof original === 'string' || typeof misspelled === 'string') break
      if ((await original.run()).total === (await misspelled.run()).total) examples++
    }
    typos.push({
      system: system.name,
      issueExamples: `${examples}/${ISSUE_EXAMPLES.length}`,
      setting: system.typoSetting,
      queries: cases.length,
      recallPercent: unavailable === undefined && cases.length > 0 ? +((100 * recovered) / cases.length).toFixed(1) : undefined,
      latency: timings.length > 0 ? latencySummary(timings) : undefined,
      ...(unavailable !== undefined && { unavailable }),
    })
    log(`typos, ${system.name}: ${typos.at(-1)?.recallPercent ?? unavailable} %`)
  }

  const report = renderReport({ offers: offerCount, rounds, queries, runs, mismatches, typos })
  const results = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
    corpus: { offers: offerCount, seed: 'bench', rounds, warmup },
    memoryAfterBuilds: afterBuilds,
    trigrams,
    systems: runs.map((run) => ({
      name: run.system.name,
      build: run.build,
      queries: queries.map((query, at) => {
        const prepared = run.prepared[at]
        return {
          query: query.query,
          kind: query.kind,
          ...(typeof prepared === 'string' ? { unsupported: prepared } : { notes: prepared?.notes, latency: latencySummary(run.timings[at] ?? []) }),
        }
      }),
    })),
    mismatches,
    typos,
  }
  mkdirSync(join('var', 'bench'), { recursive: true })
  const file = join('var', 'bench', `peers-${offerCount}-${Date.now()}.json`)
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`${report}\n`)
  log(`results written to ${file}`)
} finally {
  for (const { system } of systems) await system.close()
}
