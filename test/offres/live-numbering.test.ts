import { beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../../src/domain/offers/offer.schema.js'
import type { Referentials } from '../../src/domain/referentials/referentials.js'
import { serializeOffer } from '../../src/domain/offers/offer-json.js'
import { parseSearchParams } from '../../src/http/offres/search-params.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { MemoryBodyStore } from '../../src/search/body-store.js'
import { extractFeatures, type OfferFeatures } from '../../src/search/offer-features.js'
import { OfferIndex } from '../../src/search/offer-index.js'
import type { ResultWindow, SearchQuery } from '../../src/search/search-query.js'
import { referenceSearch } from '../support/reference-search.js'
import { testReferentials } from '../support/test-app.js'

/**
 * Live changes after a load (deposits newer, older and as old as loaded offers, removals, updates)
 * leave the index numbered in the natural order up to the loaded documents and append the rest
 * out of order (the tail). The index must still answer exactly as the brute-force reference and
 * as an index freshly loaded with the same offers: ids in order, totals and facets, for every
 * sort, date bounds, distances and windows deep into the results; and once the tail is long
 * enough to be renumbered, again.
 */

const NOW = Date.parse('2026-11-20T12:00:00.000Z')
/** Enough for the renumbering of a 1,001-document tail to move runs of the prefix (tail ≤ a quarter). */
const LOADED = 4000
const SECOND = 1000

let referentials: Referentials
/** The offers the index should serve, by id, with their current body. */
const served = new Map<string, { offer: Offre; features: OfferFeatures }>()
let index: OfferIndex
let loaded: Offre[]
let deposits: Offre[]
let nextDeposit = 0
let dates: number[]

function featuresOf(offer: Offre): OfferFeatures {
  // A few offers carry metadata so that the MRS flag and appellation postings move too.
  const n = offer.id.charCodeAt(offer.id.length - 1)
  return extractFeatures(offer, referentials, { appellations: n % 5 === 0 ? ['404939'] : [], mrs: n % 7 === 0 })
}

function put(offer: Offre): void {
  const features = featuresOf(offer)
  served.set(offer.id, { offer, features })
  index.add(features, serializeOffer(offer))
}

function drop(id: string): void {
  served.delete(id)
  expect(index.remove(id)).toBe(true)
}

/** A new offer (an unused generated one, under an id no loaded offer has) created at `date`. */
function deposit(date: number, origine?: '1' | '2'): Offre {
  const base = deposits[nextDeposit]
  if (!base) throw new Error('not enough deposits generated')
  const id = `LIVE${String(nextDeposit++).padStart(4, '0')}`
  return {
    ...base,
    id,
    dateCreation: new Date(date).toISOString(),
    ...(origine && { origineOffre: { ...base.origineOffre, origine } }),
  }
}

const iso = (time: number) => new Date(time).toISOString()

/** The item at `i`, which the test knows to exist. */
function at<T>(items: readonly T[], i: number): T {
  const item = items[i]
  if (item === undefined) throw new Error(`no item ${i}`)
  return item
}

/** The searches checked at each stage: every sort, date bounds at the edges of the live dates, places, windows. */
function queries(): { query: SearchQuery; window: ResultWindow; label: string }[] {
  const sorted = [...served.values()].map((item) => item.features.dateCreation).sort((a, b) => a - b)
  const oldest = sorted[0] ?? NOW
  const newest = sorted.at(-1) ?? NOW
  const middle = sorted[sorted.length >> 1] ?? NOW
  const tie = dates[17] ?? NOW
  const raw = [
    '',
    'sort=0',
    'sort=1',
    'sort=2',
    'range=150-299',
    'sort=1&range=1000-1149',
    'sort=2&range=2900-3049',
    'range=3000-3149',
    'publieeDepuis=1',
    'publieeDepuis=7&sort=1',
    'publieeDepuis=31&range=150-299',
    'publieeDepuis=3&typeContrat=CDI',
    `minCreationDate=${iso(middle)}`,
    `maxCreationDate=${iso(middle)}&sort=1&range=150-299`,
    `minCreationDate=${iso(tie)}&maxCreationDate=${iso(tie)}`,
    `maxCreationDate=${iso(tie)}&range=0-49`,
    `minCreationDate=${iso(tie)}&sort=1&range=0-49`,
    `minCreationDate=${iso(oldest)}&maxCreationDate=${iso(oldest + 30 * 86_400_000)}`,
    `minCreationDate=${iso(newest - 60 * SECOND)}`,
    `minCreationDate=${iso(NOW)}&sort=2`,
    `maxCreationDate=${iso(oldest + SECOND)}`,
    `minCreationDate=${iso(middle)}&motsCles=vendeur&sort=1`,
    `maxCreationDate=${iso(middle)}&commune=31555&distance=50&sort=2`,
    'typeContrat=CDI',
    'typeContrat=CDD,MIS&experience=1&range=150-299',
    'natureContrat=E2,FS&sort=1',
    'qualification=9&sort=2&range=300-449',
    'typeContrat=CDI&qualification=0&sort=1&range=1000-1149',
    'commune=75056&distance=10',
    'commune=75056&distance=10&sort=2',
    'commune=75056&distance=10&sort=1',
    'commune=31555&distance=30&sort=2&range=20-169',
    'commune=67482&distance=0',
    'commune=67482&distance=100&sort=0&range=50-199',
    'commune=33063&distance=200&sort=2&range=150-299',
    'commune=06088&distance=20&typeContrat=CDI&sort=2',
    'motsCles=vendeur',
    'motsCles=vendeur&sort=1',
    'motsCles=commercial&commune=75056&distance=50&sort=2',
    'motsCles=commercial&commune=75056&distance=50&sort=1',
    'motsCles=commercial&range=150-299',
    'departement=59,62&sort=1&range=50-199',
    'departement=75&sort=2',
    'region=84&sort=1',
    'origineOffre=1&sort=1&range=150-299',
    'origineOffre=2',
    'partenaires=LABONNEALTERNANCE&modeSelectionPartenaires=EXCLU&range=150-299',
    'offresMRS=true&sort=1',
    'tempsPlein=true&range=500-649',
  ]
  return raw.map((text) => ({ ...parseSearchParams(text, referentials, NOW), label: text }))
}

/** Checks the index against the reference and against a fresh index of the same offers. */
function checkAll(): void {
  const corpus = [...served.values()].map((item) => item.features)
  // Loaded the way the loader does: storage order (here by id), then renumbered.
  const fresh = new OfferIndex(referentials, new MemoryBodyStore())
  for (const item of [...served.values()].sort((a, b) => (a.offer.id < b.offer.id ? -1 : 1))) {
    fresh.add(item.features, serializeOffer(item.offer))
  }
  fresh.finishLoad()
  for (const { query, window, label } of queries()) {
    const expected = referenceSearch(corpus, query, window, referentials)
    const actual = index.search(query, window, { cache: false })
    const again = fresh.search(query, window, { cache: false })
    const result = (ids: string[], total: number, facets: unknown) => ({ label, total, ids, facets })
    const wanted = result(expected.ids, expected.total, expected.facets)
    expect(result([...actual.docs].map((doc) => index.idOf(doc)), actual.total, actual.facets)).toEqual(wanted)
    expect(result([...again.docs].map((doc) => fresh.idOf(doc)), again.total, again.facets)).toEqual(wanted)
  }
}

beforeAll(() => {
  referentials = testReferentials()
  const generated = [...generateOffers(referentials, { count: LOADED, seed: 'live-numbering', now: new Date(NOW) })]
  // A few offers share a creation date (and differ in origin) so that ties exercise every tie-breaker.
  loaded = generated.map((offer, i) =>
    i % 97 === 3 ? { ...offer, dateCreation: generated[17]?.dateCreation ?? offer.dateCreation } : offer,
  )
  deposits = [...generateOffers(referentials, { count: 2000, seed: 'live-numbering-deposits', now: new Date(NOW) })]
  index = new OfferIndex(referentials, new MemoryBodyStore())
  for (const offer of loaded) put(offer)
  index.finishLoad()
  dates = loaded.map((offer) => Date.parse(offer.dateCreation))
})

describe('search index with live changes after the load', () => {
  it('keeps the loaded offers numbered in the natural order, the deposits in a tail', () => {
    expect(index.numbering).toEqual({ prefix: LOADED, tail: 0 })
    put(deposit(NOW + SECOND))
    expect(index.numbering).toEqual({ prefix: LOADED, tail: 1 })
    checkAll()
  })

  it('agrees after deposits newer, older and as old as loaded offers, removals and updates', () => {
    const sortedDates = [...dates].sort((a, b) => a - b)
    for (let i = 0; i < 150; i++) {
      // Newest, as real deposits; pairs share a second, in both origins.
      put(deposit(NOW + (2 + (i >> 1)) * SECOND, i % 2 === 0 ? '1' : '2'))
    }
    for (let i = 0; i < 60; i++) put(deposit((sortedDates[0] ?? NOW) - (1 + i) * SECOND))
    for (let i = 0; i < 80; i++) {
      // Exactly as old as a loaded offer: the tie-breakers (origin, id) decide.
      put(deposit(dates[(i * 37) % LOADED] ?? NOW, i % 3 === 0 ? '1' : '2'))
    }
    for (let i = 0; i < 60; i++) put(deposit(at(dates, (i * 53) % LOADED) + 1 + i))
    for (let i = 0; i < 40; i++) put(deposit(at(dates, 17), i % 2 === 0 ? '1' : '2'))
    // Updates of loaded offers: newer, older, and unchanged dates (re-added, so moved to the tail).
    for (let i = 0; i < 90; i++) {
      const offer = at(loaded, (i * 31 + 5) % LOADED)
      const shift = at([86_400_000, -86_400_000, 0], i % 3)
      put({ ...offer, dateCreation: iso(Date.parse(offer.dateCreation) + shift), intitule: `${offer.intitule} (mis à jour)` })
    }
    // Removals of loaded offers and of deposits; updates of deposits; a removed offer back.
    for (let i = 0; i < 120; i++) drop(at(loaded, (i * 43 + 11) % LOADED).id)
    const live = [...served.keys()].filter((id) => id.startsWith('LIVE'))
    for (const id of live.filter((_, i) => i % 9 === 0)) drop(id)
    for (const id of live.filter((_, i) => i % 9 === 4)) {
      const item = served.get(id)
      if (item) put({ ...item.offer, dateCreation: iso(Date.parse(item.offer.dateCreation) - 3 * 86_400_000) })
    }
    const back = at(loaded, 11)
    if (!served.has(back.id)) put(back)

    const { prefix, tail } = index.numbering
    // The loaded offers kept their natural numbering (the fast paths run on them), the changes
    // sit in the tail, short of a renumbering.
    expect(prefix).toBeGreaterThanOrEqual(LOADED)
    expect(tail).toBeGreaterThan(400)
    expect(tail).toBeLessThanOrEqual(1000)
    checkAll()
  })

  it('renumbers once the tail is long, and agrees again, as well as after further deposits', () => {
    const before = index.numbering
    const room = 1000 - before.tail + 1
    for (let i = 0; i < room; i++) put(deposit(NOW + (1000 + (i % 400)) * SECOND, i % 4 === 0 ? '1' : '2'))
    const after = index.numbering
    expect(after.tail).toBe(0)
    expect(after.prefix).toBe(before.prefix + before.tail + room)
    checkAll()
    for (let i = 0; i < 30; i++) put(deposit(dates[(i * 71) % LOADED] ?? NOW))
    drop(at(loaded, 12).id)
    expect(index.numbering.tail).toBe(30)
    checkAll()
  })

  it('serves every offer with its current body after the changes and the renumbering', () => {
    for (const [id, { offer }] of served) expect(index.body(id)?.toString()).toBe(serializeOffer(offer))
    expect(index.size).toBe(served.size)
  })
})
