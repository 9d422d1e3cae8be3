import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../../domain/offers/offer.schema.js'
import type { Referentials } from '../../domain/referentials/referentials.js'
import { loadReferentials } from '../../storage/reference-data.js'
import { generateOffers } from './generate-offers.js'

/**
 * The demo corpus against the real offers of test/fixtures/offres (180 offers of November 2024:
 * 49 from France Travail, origin 1, and 131 from partners, origin 2): every field path is present
 * on about the same share of offers, per origin, and no empty object appears where the original
 * omits the key.
 */

const FIXTURES = ['offres-appellation-404939-178.json', 'offres-exemple-data-engineer-2.json']
const GENERATED = 5000
const TOLERANCE = 0.05

/**
 * Paths left out of the comparison, each with its reason. Everything else is compared, including
 * paths the real offers never carry (0 %), which the corpus must then (almost) never carry.
 */
const EXCLUDED: Readonly<Record<string, string>> = {
  entrepriseAdaptee: 'added to the API in 2025 (contract §5.4: "new (2025+)", read by clients), after the sample',
  employeurHandiEngage: 'added to the API in 2025 (contract §5.4), after the sample',
  contexteTravail: 'present in late-2025 data, absent from 2024 data (contract §5.4): the sample predates it',
  trancheEffectifEtab: 'about 20 % of offers in 2025 data (contract §5.4), on none of the 2024 sample',
  'formations[].codeFormation':
    'no Formacode thesaurus in the repository: codes only for the descriptors attested in real offers',
}

type Origin = '1' | '2'
type Rates = Map<string, number>

/** Every path present in the value: "a.b" for objects, "a[].b" for the elements of arrays. */
function collectPaths(value: unknown, prefix: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectPaths(item, `${prefix}[]`, into)
    return
  }
  if (value === null || typeof value !== 'object') return
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`
    into.add(path)
    collectPaths(child, path, into)
  }
}

/** Paths whose value is an object without keys. */
function collectEmptyObjects(value: unknown, prefix: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectEmptyObjects(item, `${prefix}[]`, into)
    return
  }
  if (value === null || typeof value !== 'object') return
  const entries = Object.entries(value)
  if (entries.length === 0 && prefix !== '') into.add(prefix)
  for (const [key, child] of entries) collectEmptyObjects(child, prefix === '' ? key : `${prefix}.${key}`, into)
}

const originOf = (offer: Offre): Origin => (offer.origineOffre.origine === '1' ? '1' : '2')

/** Share of the offers of each origin on which each path is present (at least once). */
function presenceRates(offers: readonly Offre[]): Record<Origin, Rates> {
  const counts: Record<Origin, number> = { '1': 0, '2': 0 }
  const present: Record<Origin, Rates> = { '1': new Map(), '2': new Map() }
  for (const offer of offers) {
    const origin = originOf(offer)
    counts[origin]++
    const paths = new Set<string>()
    collectPaths(offer, '', paths)
    for (const path of paths) present[origin].set(path, (present[origin].get(path) ?? 0) + 1)
  }
  for (const origin of ['1', '2'] as const) {
    for (const [path, count] of present[origin]) present[origin].set(path, count / counts[origin])
  }
  return present
}

function emptyObjects(offers: readonly Offre[]): Record<Origin, Set<string>> {
  const found: Record<Origin, Set<string>> = { '1': new Set(), '2': new Set() }
  for (const offer of offers) collectEmptyObjects(offer, '', found[originOf(offer)])
  return found
}

const excluded = (path: string) =>
  Object.keys(EXCLUDED).some((root) => path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[]`))

let referentials: Referentials
let real: Offre[]
let generated: Offre[]

beforeAll(() => {
  referentials = loadReferentials()
  real = FIXTURES.flatMap((name) =>
    JSON.parse(readFileSync(new URL(`../../../test/fixtures/offres/${name}`, import.meta.url), 'utf8')) as Offre[],
  )
  generated = [...generateOffers(referentials, {
    count: GENERATED,
    seed: 'openemploi-demo',
    now: new Date('2026-01-01T00:00:00Z'),
  })]
})

describe('the demo corpus has the shape of the real offers', () => {
  it('reads enough real offers of each origin', () => {
    expect(real.filter((offer) => originOf(offer) === '1').length).toBeGreaterThanOrEqual(40)
    expect(real.filter((offer) => originOf(offer) === '2').length).toBeGreaterThanOrEqual(100)
  })

  it.each(['1', '2'] as const)('origin %s: every field path is present within 5 points of the real rate', (origin) => {
    const realRates = presenceRates(real)[origin]
    const generatedRates = presenceRates(generated)[origin]
    const paths = [...new Set([...realRates.keys(), ...generatedRates.keys()])].filter((path) => !excluded(path))
    const percent = (rate: number) => Math.round(rate * 1000) / 10
    const gaps = paths
      .map((path) => ({ path, real: realRates.get(path) ?? 0, generated: generatedRates.get(path) ?? 0 }))
      .filter((row) => Math.abs(row.real - row.generated) > TOLERANCE)
      .map((row) => `${row.path}: real ${percent(row.real)} %, generated ${percent(row.generated)} %`)
    expect(gaps).toEqual([])
    // The comparison is not vacuous: the usual fields are there.
    expect(paths).toEqual(expect.arrayContaining(['lieuTravail.codePostal', 'salaire.libelle', 'formations[].niveauLibelle']))
  })

  it('never emits an empty object where the original omits the key', () => {
    const realEmpty = emptyObjects(real)
    const generatedEmpty = emptyObjects(generated)
    for (const origin of ['1', '2'] as const) {
      expect([...generatedEmpty[origin]].filter((path) => !realEmpty[origin].has(path)), `origin ${origin}`).toEqual([])
    }
    // Partner offers in particular carry no contact or agency block at all.
    const partners = generated.filter((offer) => originOf(offer) === '2')
    expect(partners.some((offer) => 'contact' in offer || 'agence' in offer)).toBe(false)
  })

  it('gives codeFormation with its Formacode label, as the original does', () => {
    const formations = generated.flatMap((offer) => offer.formations ?? [])
    const coded = formations.filter((formation) => formation.codeFormation !== undefined)
    expect(coded.length).toBeGreaterThan(0)
    for (const formation of coded) {
      expect(formation.codeFormation).toMatch(/^\d{5}$/)
      expect(formation.domaineLibelle).toBeDefined()
    }
  })

  it('has France Travail CUI - CAE offers and apprenticeships at their target rates', () => {
    const natureShare = (code: string, origin?: Origin) => {
      const among = origin ? generated.filter((offer) => originOf(offer) === origin) : generated
      return among.filter((offer) => referentials.natureCodeOf(offer.natureContrat ?? '') === code).length / among.length
    }
    // CUI - CAE (natureContrat=FT, what Les emplois de l'inclusion asks for) only on France Travail's offers.
    expect(natureShare('FT', '1')).toBeGreaterThan(0.01)
    expect(natureShare('FT', '1')).toBeLessThan(0.04)
    expect(natureShare('FT', '2')).toBe(0)
    expect(natureShare('E2')).toBeGreaterThan(0.05)
    expect(natureShare('E2')).toBeLessThan(0.09)
    expect(natureShare('FS')).toBeGreaterThan(0.015)
    expect(natureShare('FS')).toBeLessThan(0.04)
    expect(natureShare('E1')).toBeGreaterThan(0.8)
  })
})
