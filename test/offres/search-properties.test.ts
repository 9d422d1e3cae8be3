import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../../src/domain/offers/offer.schema.js'
import type { Referentials } from '../../src/domain/referentials/referentials.js'
import { serializeOffer } from '../../src/domain/offers/offer-json.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { MemoryBodyStore } from '../../src/search/body-store.js'
import { extractFeatures, type OfferFeatures } from '../../src/search/offer-features.js'
import { OfferIndex } from '../../src/search/offer-index.js'
import { TERMS } from '../../src/search/terms.js'
import type { GeoFilter, ResultWindow, SearchQuery, SortKey } from '../../src/search/search-query.js'
import { referenceSearch } from '../support/reference-search.js'
import { testReferentials } from '../support/test-app.js'

/**
 * Property: for any combination of criteria, sort and window, the index returns exactly the
 * offers, order, total and facet counts of the brute-force reference over the same offers.
 */

const NOW = Date.parse('2026-11-20T12:00:00.000Z')
const REAL = new URL('../fixtures/offres/offres-appellation-404939-178.json', import.meta.url)

let referentials: Referentials
let corpus: OfferFeatures[]
/** Offers added in index order (newest first), some removed afterwards. */
let naturalIndex: OfferIndex
/** The same offers added in a shuffled order: exercises the general ordering path. */
let shuffledIndex: OfferIndex
/** Shuffled, then renumbered at the end of the load, as the loader does. */
let renumberedIndex: OfferIndex
let values: {
  terms: string[]
  romes: string[]
  appellations: string[]
  domaines: string[]
  grandsDomaines: string[]
  themes: string[]
  secteurs: string[]
  nafs: string[]
  communes: string[]
  departements: string[]
  regions: string[]
  pays: string[]
  partners: string[]
  dates: number[]
}

function natural(a: OfferFeatures, b: OfferFeatures): number {
  return b.dateCreation - a.dateCreation || Number(b.origine) - Number(a.origine) || (a.id > b.id ? -1 : 1)
}

beforeAll(() => {
  referentials = testReferentials()
  const real = JSON.parse(readFileSync(REAL, 'utf8')) as Offre[]
  const generated = [...generateOffers(referentials, { count: 4000, seed: 'properties', now: new Date(NOW) })]
  // Some offers share a creation date so that ties exercise every tie-breaker.
  const tied = generated.slice(0, 300).map((offer, i) => ({ ...offer, dateCreation: generated[i % 7]?.dateCreation ?? offer.dateCreation }))
  const offers = [...real, ...tied, ...generated.slice(300)]
  const all = offers.map((offer, i) =>
    extractFeatures(offer, referentials, { appellations: i < real.length ? ['404939'] : [], mrs: i % 50 === 0 }),
  )
  const bodies = new Map(offers.map((offer) => [offer.id, serializeOffer(offer)]))
  const removed = new Set(all.filter((_, i) => i % 23 === 0).map((features) => features.id))
  corpus = all.filter((features) => !removed.has(features.id))

  naturalIndex = new OfferIndex(referentials, new MemoryBodyStore())
  for (const features of [...all].sort(natural)) naturalIndex.add(features, bodies.get(features.id) ?? '{}')
  shuffledIndex = new OfferIndex(referentials, new MemoryBodyStore())
  const shuffled = [...all].sort((a, b) => (a.id.split('').reverse().join('') < b.id.split('').reverse().join('') ? -1 : 1))
  for (const features of shuffled) shuffledIndex.add(features, bodies.get(features.id) ?? '{}')
  renumberedIndex = new OfferIndex(referentials, new MemoryBodyStore())
  for (const features of shuffled) renumberedIndex.add(features, bodies.get(features.id) ?? '{}')
  for (const id of removed) {
    naturalIndex.remove(id)
    shuffledIndex.remove(id)
    renumberedIndex.remove(id)
  }
  renumberedIndex.finishLoad()

  const distinct = <T>(items: (T | undefined)[]) => [...new Set(items.filter((item): item is T => item !== undefined))]
  const termCounts = new Map<string, number>()
  for (const features of corpus) {
    for (const id of features.terms.ids) termCounts.set(TERMS.codeOf(id), (termCounts.get(TERMS.codeOf(id)) ?? 0) + 1)
  }
  values = {
    terms: [...termCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 400).map(([term]) => term),
    romes: distinct(corpus.map((f) => f.romeCode)),
    appellations: distinct(corpus.flatMap((f) => f.appellations)),
    domaines: distinct(corpus.map((f) => f.domaine)),
    grandsDomaines: [...referentials.grandsDomaines.keys()],
    themes: [...referentials.themes.keys()],
    secteurs: distinct(corpus.map((f) => f.secteurActivite)),
    nafs: distinct(corpus.map((f) => f.codeNaf)),
    communes: distinct(corpus.map((f) => f.commune)).slice(0, 300),
    departements: distinct(corpus.map((f) => f.departement)),
    regions: distinct(corpus.map((f) => f.region)),
    pays: [...distinct(corpus.map((f) => f.pays)), ...referentials.continents.keys(), '02'],
    partners: [...distinct(corpus.flatMap((f) => f.partners)), 'INCONNU'],
    dates: corpus.map((f) => f.dateCreation),
  }
})

const some = <T>(items: () => readonly T[], max = 3) =>
  fc.integer({ min: 0, max: 1 << 30 }).chain((seed) =>
    fc.integer({ min: 1, max }).map((length) => {
      const list = items()
      return [...new Set(Array.from({ length }, (_, i) => list[(seed + i * 7919) % list.length] as T))]
    }),
  )

function geoArbitrary(): fc.Arbitrary<GeoFilter> {
  // A point given by its coordinates (issue 14, point 4): anywhere in metropolitan France, never radius 0.
  const point: fc.Arbitrary<GeoFilter> = fc
    .record({
      latitude: fc.double({ min: 42, max: 51, noNaN: true }),
      longitude: fc.double({ min: -4.5, max: 8, noNaN: true }),
      radiusKm: fc.double({ min: 1, max: 120, noNaN: true }),
      wholeCities: fc.subarray(['75056', '69123']),
    })
    .map(({ latitude, longitude, radiusKm, wholeCities }) => ({ centres: [{ latitude, longitude }], radiusKm, wholeCities }))
  return fc.oneof({ arbitrary: communeGeoArbitrary(), weight: 2 }, { arbitrary: point, weight: 1 })
}

function communeGeoArbitrary(): fc.Arbitrary<GeoFilter> {
  return fc
    .record({
      communes: some(() => values.communes, 2),
      radiusKm: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 80, noNaN: true })),
      wholeCities: fc.subarray(['75056', '69123']),
    })
    .map(({ communes, radiusKm, wholeCities }) => ({
      centres: communes.map((code) => {
        const commune = referentials.communes.get(code)
        return { commune: code, latitude: commune?.latitude ?? 0, longitude: commune?.longitude ?? 0 }
      }),
      radiusKm,
      wholeCities,
    }))
}

function queryArbitrary(): fc.Arbitrary<SearchQuery> {
  // A criterion is present once in `rarity + 1` queries: about two criteria per query, so that
  // most queries match something and many match a lot.
  const optional = <T>(arbitrary: fc.Arbitrary<T>, rarity = 20): fc.Arbitrary<T | undefined> =>
    fc.oneof({ arbitrary: fc.constant(undefined), weight: rarity }, { arbitrary, weight: 1 })
  const date = () => fc.integer({ min: 0, max: 1 << 30 }).map((i) => values.dates[i % values.dates.length] ?? NOW)
  return fc
    .record(
      {
        sort: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
        keywords: optional(fc.array(some(() => values.terms, 2), { minLength: 1, maxLength: 2 }), 6),
        romeCodes: optional(some(() => values.romes, 40)),
        appellations: optional(some(() => values.appellations, 3), 24),
        domaines: optional(some(() => values.domaines, 4), 24),
        grandsDomaines: optional(some(() => values.grandsDomaines, 3), 18),
        themes: optional(some(() => values.themes, 2), 24),
        secteursActivite: optional(some(() => values.secteurs, 2), 24),
        codesNaf: optional(some(() => values.nafs, 2), 24),
        experiences: optional(fc.subarray(['0', '1', '2', '3'], { minLength: 1 }), 18),
        experienceExigences: optional(fc.subarray(['D', 'S', 'E'], { minLength: 1 }), 18),
        typesContrat: optional(fc.subarray(['CDI', 'CDD', 'MIS', 'SAI', 'LIB', 'DIN'], { minLength: 1 }), 12),
        naturesContrat: optional(fc.subarray(['E1', 'E2', 'FS', 'NS', 'CC'], { minLength: 1 }), 15),
        origine: optional(fc.constantFrom<'1' | '2'>('1', '2'), 18),
        qualifications: optional(fc.subarray(['0', '9'] as ('0' | '9')[], { minLength: 1 }), 18),
        dureesHebdo: optional(fc.subarray(['0', '1', '2'] as ('0' | '1' | '2')[], { minLength: 1 }), 18),
        weeklyMinutesMin: optional(fc.integer({ min: 0, max: 40 * 60 }), 24),
        weeklyMinutesMax: optional(fc.integer({ min: 10 * 60, max: 48 * 60 }), 24),
        contractMonthsMin: optional(fc.double({ min: 0, max: 12, noNaN: true }), 24),
        contractMonthsMax: optional(fc.double({ min: 0.5, max: 36, noNaN: true }), 24),
        geo: optional(geoArbitrary(), 9),
        departements: optional(some(() => values.departements, 5), 15),
        regions: optional(some(() => values.regions, 2), 15),
        paysContinents: optional(some(() => values.pays, 2), 24),
        niveauxFormation: optional(fc.subarray(['NV1', 'NV2', 'NV3', 'NV4', 'NV5', 'AFS'], { minLength: 1 }), 18),
        permis: optional(fc.subarray(['B', 'C', 'CE', 'D', 'A'], { minLength: 1 }), 18),
        salary: optional(
          fc.record({
            min: fc.integer({ min: 0, max: 60000 }),
            period: fc.constantFrom<'M' | 'A' | 'H' | 'C'>('M', 'A', 'H', 'C'),
          }),
          18,
        ),
        accessibleTH: optional(fc.constant(true), 24),
        entrepriseAdaptee: optional(fc.constant(true), 24),
        employeurHandiEngage: optional(fc.constant(true), 24),
        offresManqueCandidats: optional(fc.constant(true), 24),
        mrs: optional(fc.constant(true), 30),
        createdFrom: optional(date(), 18),
        createdTo: optional(date(), 18),
        partners: optional(
          fc.record({ names: some(() => values.partners, 3), mode: fc.constantFrom<'INCLUS' | 'EXCLU'>('INCLUS', 'EXCLU') }),
          18,
        ),
      },
      { requiredKeys: ['sort'] },
    )
    .map((query) => Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as unknown as SearchQuery)
}

/** Searches on contract type, nature, experience and qualification only: answered from the facet counts. */
function facetOnlyArbitrary(): fc.Arbitrary<SearchQuery> {
  return fc.record(
    {
      sort: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
      typesContrat: fc.subarray(['CDI', 'CDD', 'MIS', 'SAI', 'LIB', 'DIN', 'DDT'], { minLength: 1 }),
      naturesContrat: fc.subarray(['E1', 'E2', 'FS', 'NS', 'CC', 'FA'], { minLength: 1 }),
      experiences: fc.subarray(['0', '1', '2', '3'], { minLength: 1 }),
      qualifications: fc.subarray(['0', '9'] as ('0' | '9')[], { minLength: 1 }),
    },
    { requiredKeys: ['sort'] },
  )
}

const windowArbitrary: fc.Arbitrary<ResultWindow> = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.constant(0), weight: 6 },
      { arbitrary: fc.integer({ min: 0, max: 200 }), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 3000 }), weight: 1 },
    ),
    fc.integer({ min: 1, max: 150 }),
  )
  .map(([start, size]) => ({ start, end: start + size - 1 }))

function check(index: OfferIndex, query: SearchQuery, window: ResultWindow): void {
  const expected = referenceSearch(corpus, query, window, referentials)
  const actual = index.search(query, window)
  expect(actual.total).toBe(expected.total)
  expect([...actual.docs].map((doc) => index.idOf(doc))).toEqual(expected.ids)
  expect(actual.facets).toEqual(expected.facets)
}

describe('search index against the brute-force reference', () => {
  it('agrees on random combinations of criteria', () => {
    fc.assert(
      fc.property(queryArbitrary(), windowArbitrary, (query, window) => check(naturalIndex, query, window)),
      { numRuns: 600, seed: 20261128 },
    )
  })

  it('agrees when offers were not added in date order', () => {
    fc.assert(
      fc.property(queryArbitrary(), windowArbitrary, (query, window) => check(shuffledIndex, query, window)),
      { numRuns: 300, seed: 1128 },
    )
  })

  it('agrees once an index loaded out of order is renumbered', () => {
    fc.assert(
      fc.property(queryArbitrary(), windowArbitrary, (query, window) => check(renumberedIndex, query, window)),
      { numRuns: 300, seed: 2811 },
    )
  })

  it('serves the same bodies after renumbering', () => {
    for (const features of corpus.slice(0, 200)) {
      expect(renumberedIndex.body(features.id)?.toString()).toBe(naturalIndex.body(features.id)?.toString())
    }
  })

  it('agrees on broad queries with deep windows and every sort', () => {
    for (const sort of [0, 1, 2] as const) {
      for (const start of [0, 150, 1000, 3000]) {
        check(naturalIndex, { sort }, { start, end: start + 149 })
        check(naturalIndex, { sort, keywords: [[values.terms[0] ?? 'vendeur']] }, { start, end: start + 149 })
      }
    }
  })

  it('agrees on searches answered from the facet counts (contract, experience, qualification only)', () => {
    fc.assert(
      fc.property(facetOnlyArbitrary(), windowArbitrary, (query, window) => {
        check(naturalIndex, query, window)
        check(renumberedIndex, query, window)
      }),
      { numRuns: 300, seed: 5 },
    )
  })

  it('agrees on every window of a search served from its cache', () => {
    fc.assert(
      fc.property(queryArbitrary(), fc.array(windowArbitrary, { minLength: 2, maxLength: 5 }), (query, windows) => {
        for (const window of windows) check(naturalIndex, query, window)
      }),
      { numRuns: 150, seed: 77 },
    )
  })

  it('pages after sort keys through the same sequence as the offsets, as far as offsets reach', () => {
    const reach = 3150
    fc.assert(
      fc.property(fc.oneof(queryArbitrary(), facetOnlyArbitrary()), fc.integer({ min: 20, max: 150 }), fc.constantFrom(naturalIndex, shuffledIndex), (query, size, index) => {
        const byOffsets = index.search(query, { start: 0, end: reach - 1 }, { cache: false })
        const expected = [...byOffsets.docs].map((doc) => index.idOf(doc))
        const paged: string[] = []
        let after: SortKey | undefined
        for (;;) {
          const page = index.searchAfter(query, after, size)
          expect(page.total).toBe(byOffsets.total)
          expect(page.remaining).toBe(byOffsets.total - paged.length)
          expect(page.facets).toEqual(byOffsets.facets)
          paged.push(...[...page.docs].map((doc) => index.idOf(doc)))
          const last = page.docs.at(-1)
          if (last === undefined || page.remaining <= size || paged.length >= reach) break
          after = index.sortKeyOf(last, query)
        }
        expect(paged.slice(0, reach)).toEqual(expected)
        if (byOffsets.total <= reach) expect(paged).toHaveLength(byOffsets.total)
      }),
      { numRuns: 200, seed: 1414 },
    )
  })

  it('never serves a cached search after the index changed', () => {
    const index = new OfferIndex(referentials, new MemoryBodyStore())
    const [first, second] = [...corpus].sort(natural)
    if (!first || !second) throw new Error('corpus too small')
    index.add(second, '{}')
    const query: SearchQuery = { sort: 1 }
    expect(index.search(query, { start: 0, end: 9 }).total).toBe(1)
    index.add(first, '{}')
    expect(index.search(query, { start: 0, end: 9 }).total).toBe(2)
    index.remove(first.id)
    const after = index.search(query, { start: 0, end: 9 })
    expect([after.total, [...after.docs].map((doc) => index.idOf(doc))]).toEqual([1, [second.id]])
  })

  it('serves no removed offer', () => {
    const all = naturalIndex.search({ sort: 1 }, { start: 0, end: 149 })
    expect(all.total).toBe(corpus.length)
  })
})
