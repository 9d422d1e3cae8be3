/**
 * `npm run bench:suggest`: keywords that forgive and suggestions (issue 14, points 1 to 3), in
 * process, on a generated corpus (default 1,000,000 offers, the generator and seed of `npm run
 * bench`, whose NDJSON file in var/bench it reuses or writes). Measures:
 *
 * - the heap the search lexicon (reference words and names, one per process) and the index's live
 *   vocabulary (counts per term, appellation and commune) take;
 * - the 33-query mix of `npm run bench`, caches off, keywords read as typed and with correction on;
 * - typo recall: keyword queries that find offers, one random edit (insertion, deletion,
 *   substitution, transposition) to a word of 5 letters or more; the share whose corrected
 *   search finds the original's total, and the latency of those searches (also extended);
 * - suggestions for prefixes of 1 to 20 characters (appellation labels, commune names, title
 *   words; a quarter with a typo from 5 characters), every kind, 10 suggestions.
 *
 * Options (environment): BENCH_OFFERS, BENCH_DIR. The machine's load is printed with the figures.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { performance } from 'node:perf_hooks'
import { OffresService } from '../src/domain/offers/offres.service.js'
import { serializeOffer } from '../src/domain/offers/offer-json.js'
import type { Offre } from '../src/domain/offers/offer.schema.js'
import { parseSearchParams } from '../src/http/offres/search-params.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'
import { FileBodyStore } from '../src/search/body-store.js'
import { LiveVocabulary } from '../src/search/live-vocabulary.js'
import { extractFeatures } from '../src/search/offer-features.js'
import { OfferIndex } from '../src/search/offer-index.js'
import { SearchLexicon } from '../src/search/search-lexicon.js'
import { suggest } from '../src/search/suggest.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { loadRomeVocabulary } from '../src/storage/rome-vocabulary.js'
import { QUERY_MIX } from './queries.js'
import { latencySummary } from './stats.js'

const count = Number(process.env.BENCH_OFFERS ?? 1_000_000)
const root = process.env.BENCH_DIR ?? join('var', 'bench')
const now = new Date('2026-11-28T00:00:00.000Z')
const log = (message: string) => process.stderr.write(`[bench:suggest] ${message}\n`)
mkdirSync(root, { recursive: true })

function heapMB(): number {
  globalThis.gc?.()
  globalThis.gc?.()
  return process.memoryUsage().heapUsed / 2 ** 20
}

/** A small deterministic generator of choices, so that two runs ask the same things. */
let state = 20261207
const random = () => {
  state = (state * 1103515245 + 12345) & 0x7fffffff
  return state / 0x7fffffff
}
const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)]
  if (item === undefined) throw new RangeError('Nothing to pick from')
  return item
}
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'

/** One random edit: an insertion, a deletion, a substitution or a transposition. */
function misspell(word: string): string {
  const at = Math.floor(random() * word.length)
  const letter = pick([...LETTERS])
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, at) + letter + word.slice(at)
    case 1:
      return word.slice(0, at) + word.slice(at + 1)
    case 2:
      return word.slice(0, at) + letter + word.slice(at + 1)
    default: {
      const swap = Math.min(at, word.length - 2)
      return word.slice(0, swap) + word.charAt(swap + 1) + word.charAt(swap) + word.slice(swap + 2)
    }
  }
}

/** The offers of the corpus, from its NDJSON file (written on the first run, as `npm run bench` does). */
async function* corpus(referentials: ReturnType<typeof loadReferentials>): AsyncGenerator<Offre> {
  const file = join(root, `offers-${count}.ndjson`)
  if (!existsSync(file)) {
    const out = createWriteStream(`${file}.part`)
    for (const offer of generateOffers(referentials, { count, seed: 'bench', now })) {
      if (!out.write(`${serializeOffer(offer)}\n`)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    renameSync(`${file}.part`, file)
  }
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line !== '') yield JSON.parse(line) as Offre
  }
}

const referentials = loadReferentials()

// The search lexicon: built once per process.
const beforeLexicon = heapMB()
let started = performance.now()
const lexicon = new SearchLexicon(referentials, loadRomeVocabulary())
const lexiconSeconds = (performance.now() - started) / 1000
const lexiconMB = heapMB() - beforeLexicon
const referenceSurfaces = lexicon.words.surfaceCount
log(`lexicon built in ${lexiconSeconds.toFixed(1)} s, ${lexiconMB.toFixed(1)} MB`)

// The index, and a sample of offers to draw queries from.
const cache = join(root, `suggest-cache-${process.pid}`)
const bodies = new FileBodyStore(cache)
const index = new OfferIndex(referentials, bodies)
const samples: Offre[] = []
started = performance.now()
let slot = 0
for await (const offer of corpus(referentials)) {
  index.add(extractFeatures(offer, referentials), serializeOffer(offer))
  if (slot++ % 50 === 0) samples.push(offer)
  if (slot % 200_000 === 0) log(`indexed ${slot}`)
}
index.finishLoad()
const buildSeconds = (performance.now() - started) / 1000
log(`index of ${index.size} offers built in ${buildSeconds.toFixed(1)} s`)

// The lexicon's words of this index: its terms and the title words its vocabulary kept, folded in.
const beforeWords = heapMB()
started = performance.now()
lexicon.words.absorb(index.vocabulary)
lexicon.words.compact()
const wordsSeconds = (performance.now() - started) / 1000
const wordsMB = heapMB() - beforeWords
log(`index words folded into the lexicon in ${wordsSeconds.toFixed(1)} s, ${wordsMB.toFixed(1)} MB`)

// The live vocabulary's heap: a second one fed with the same offers, measured alone.
const beforeVocabulary = heapMB()
const vocabulary = new LiveVocabulary()
slot = 0
for await (const offer of corpus(referentials)) vocabulary.added(slot++, extractFeatures(offer, referentials), serializeOffer(offer))
const vocabularyMB = heapMB() - beforeVocabulary
log(`live vocabulary: ${vocabularyMB.toFixed(1)} MB (${vocabulary.harvestedWords().length} title words kept)`)

const service = new OffresService({ lexicon: () => lexicon, pageCacheBytes: 0, searchCache: false })
service.serve(index)
const search = (query: string, mode: 'typed' | 'plain') => {
  const { query: parsed, window, typedKeywords, keywordMode } = parseSearchParams(query, referentials, now.getTime())
  return mode === 'plain' ? service.search(parsed, window) : service.search(parsed, window, { typed: typedKeywords, mode: keywordMode })
}

// The 33-query mix, keywords as typed and corrected, alternated in each round.
const mix: Record<'plain' | 'corrected', number[]> = { plain: [], corrected: [] }
for (let round = 0; round < 33; round++) {
  for (const { query } of QUERY_MIX) {
    for (const mode of ['plain', 'corrected'] as const) {
      const t0 = performance.now()
      search(query, mode === 'plain' ? 'plain' : 'typed')
      if (round >= 3) mix[mode].push(performance.now() - t0)
    }
  }
}
log(`mix: plain ${JSON.stringify(latencySummary(mix.plain))}, corrected ${JSON.stringify(latencySummary(mix.corrected))}`)

// Typo recall through the search path.
const WORD = /\p{L}+/gu
const recall = { queries: 0, sameTotal: 0, corrected: 0, timings: [] as number[], extended: [] as number[], failures: [] as string[] }
while (recall.queries < 600) {
  const offer = pick(samples)
  const texts = random() < 0.7 ? [offer.intitule] : [offer.appellationlibelle ?? '', ...(offer.competences ?? []).map((item) => item.libelle)]
  const words = texts.flatMap((text) => [...text.matchAll(WORD)].map((match) => match[0])).filter((word) => word.length >= 5)
  if (words.length === 0) continue
  const word = pick(words)
  const other = random() < 0.3 ? pick(words) : undefined
  const phrase = (first: string) => (other !== undefined && other !== word ? `${first} ${other}` : first)
  const original = search(`motsCles=${encodeURIComponent(phrase(word))}`, 'typed').result.total
  if (original === 0) continue
  const typo = phrase(misspell(word))
  const t0 = performance.now()
  const corrected = search(`motsCles=${encodeURIComponent(typo)}`, 'typed')
  recall.timings.push(performance.now() - t0)
  const t1 = performance.now()
  search(`motsCles=${encodeURIComponent(typo)}&rechercheEtendue=true`, 'typed')
  recall.extended.push(performance.now() - t1)
  recall.queries++
  if (corrected.corrections.length > 0) recall.corrected++
  if (corrected.result.total === original) recall.sameTotal++
  else if (recall.failures.length < 20) {
    const taken = corrected.corrections.map((item) => item.corrected).join(' ') || 'not corrected'
    recall.failures.push(`${phrase(word)} → ${typo} (→ ${taken}): ${original} / ${corrected.result.total}`)
  }
}
log(`typo recall: ${((100 * recall.sameTotal) / recall.queries).toFixed(1)} % of ${recall.queries}`)

// Suggestions for prefixes of 1 to 20 characters.
const sources = [
  ...[...referentials.appellations.values()].map((item) => item.libelle),
  ...[...referentials.communes.values()].map((item) => item.nom),
  ...samples.map((offer) => offer.intitule),
]
const prefixes: string[] = []
while (prefixes.length < 4000) {
  const text = pick(sources).toLowerCase()
  const length = 1 + Math.floor(random() * 20)
  if (text.length < length) continue
  let prefix = text.slice(0, length)
  if (length >= 5 && random() < 0.25) prefix = misspell(prefix)
  prefixes.push(prefix)
}
const kinds = ['appellation', 'commune', 'keyword'] as const
for (const prefix of prefixes.slice(0, 500)) suggest(lexicon, index.vocabulary, prefix, kinds, 10)
const byLength: Record<string, number[]> = { '1-2': [], '3-4': [], '5-8': [], '9-20': [] }
const all: number[] = []
for (const prefix of prefixes) {
  const t0 = performance.now()
  suggest(lexicon, index.vocabulary, prefix, kinds, 10)
  const elapsed = performance.now() - t0
  all.push(elapsed)
  const bucket = prefix.length <= 2 ? '1-2' : prefix.length <= 4 ? '3-4' : prefix.length <= 8 ? '5-8' : '9-20'
  ;(byLength[bucket] ??= []).push(elapsed)
}
log(`suggestions: ${JSON.stringify(latencySummary(all))}`)

const results = {
  offers: index.size,
  machine: { loadAverage: loadavg().map((value) => +value.toFixed(1)), node: process.version },
  lexicon: { seconds: +lexiconSeconds.toFixed(2), heapMB: +lexiconMB.toFixed(1), surfaces: referenceSurfaces },
  indexWords: { seconds: +wordsSeconds.toFixed(2), heapMB: +wordsMB.toFixed(1), surfaces: lexicon.words.surfaceCount },
  vocabulary: { heapMB: +vocabularyMB.toFixed(1), titleWords: vocabulary.harvestedWords().length },
  buildSeconds: +buildSeconds.toFixed(1),
  mix: { plain: latencySummary(mix.plain), corrected: latencySummary(mix.corrected) },
  typos: {
    queries: recall.queries,
    sameTotalPercent: +((100 * recall.sameTotal) / recall.queries).toFixed(1),
    correctedQueries: recall.corrected,
    latency: latencySummary(recall.timings),
    extendedLatency: latencySummary(recall.extended),
    failures: recall.failures,
  },
  suggestions: {
    all: latencySummary(all),
    byLength: Object.fromEntries(Object.entries(byLength).map(([bucket, values]) => [bucket, latencySummary(values)])),
  },
}
const out = join(root, `suggest-${count}-${Date.now()}.json`)
writeFileSync(out, JSON.stringify(results, null, 2))
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
bodies.close()
rmSync(cache, { recursive: true, force: true })
