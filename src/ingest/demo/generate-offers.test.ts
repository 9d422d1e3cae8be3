import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { TSchema } from 'typebox'
import { beforeAll, describe, expect, it } from 'vitest'
import { validateOffer } from '../../domain/offers/offer-json.js'
import { OffreSchema, type Offre } from '../../domain/offers/offer.schema.js'
import type { Referentials } from '../../domain/referentials/referentials.js'
import { loadReferentials } from '../../storage/reference-data.js'
import { MAX_GENERATED_OFFERS, generateOffers, type GenerateOptions } from './generate-offers.js'
import { Permutation, Random, WeightedTable } from './random.js'

const NOW = new Date('2025-06-01T12:00:00.000Z')
const SIX_WEEKS = 42 * 86_400_000
const SAMPLE = 5000

let referentials: Referentials
let offers: Offre[]

const generate = (options: Partial<GenerateOptions> = {}): Offre[] => [
  ...generateOffers(referentials, { count: 500, seed: 'test', now: NOW, ...options }),
]

const share = (predicate: (offer: Offre) => boolean, among: readonly Offre[] = offers) =>
  among.filter(predicate).length / among.length

beforeAll(() => {
  referentials = loadReferentials()
  offers = generate({ count: SAMPLE, seed: 'proportions' })
})

describe('random', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const draws = (seed: string) => {
      const random = Random.from(seed)
      return Array.from({ length: 5 }, () => random.uint32())
    }
    expect(draws('a')).toEqual(draws('a'))
    expect(draws('a')).not.toEqual(draws('b'))
  })

  it('draws in range', () => {
    const random = Random.from(1)
    for (let i = 0; i < 1000; i++) {
      const value = random.int(3, 7)
      expect(value).toBeGreaterThanOrEqual(3)
      expect(value).toBeLessThanOrEqual(7)
      const unit = random.next()
      expect(unit).toBeGreaterThanOrEqual(0)
      expect(unit).toBeLessThan(1)
    }
  })

  it('weighted tables never pick zero weights and follow the weights', () => {
    const table = new WeightedTable(['a', 'b', 'c'], [1, 0, 3])
    const random = Random.from('w')
    const counts = { a: 0, b: 0, c: 0 }
    for (let i = 0; i < 4000; i++) counts[table.pick(random) as 'a' | 'b' | 'c']++
    expect(counts.b).toBe(0)
    expect(counts.c / counts.a).toBeGreaterThan(2.5)
    expect(counts.c / counts.a).toBeLessThan(3.5)
  })

  it('permutations are bijective', () => {
    const permutation = new Permutation(1000, 7)
    const images = new Set(Array.from({ length: 1000 }, (_, i) => permutation.apply(i)))
    expect(images.size).toBe(1000)
    expect(Math.max(...images)).toBe(999)
  })
})

describe('generateOffers', () => {
  it('is deterministic for (seed, now, data) and depends on the seed', () => {
    const first = JSON.stringify(generate())
    expect(JSON.stringify(generate())).toBe(first)
    expect(JSON.stringify(generate({ seed: 'other' }))).not.toBe(first)
    expect(generate({ seed: 12 })[0]).toEqual(generate({ seed: 12 })[0])
  })

  it('is prefix-stable: the first N offers of a longer run are the run of N', () => {
    const short = generate({ count: 200 })
    const long = generate({ count: 500 })
    expect(long.slice(0, 200)).toEqual(short)
  })

  it('streams lazily and checks its count', () => {
    const iterator = generateOffers(referentials, { count: MAX_GENERATED_OFFERS, seed: 1, now: NOW })
    expect(iterator.next().done).toBe(false)
    expect(generate({ count: 0 })).toEqual([])
    expect(() => generate({ count: -1 })).toThrow(RangeError)
    expect(() => generate({ count: MAX_GENERATED_OFFERS + 1 })).toThrow(RangeError)
  })

  it('produces offers that pass validateOffer', () => {
    const failures = offers.slice(0, 3000).flatMap((offer) => {
      const result = validateOffer(offer, referentials)
      return result.ok ? [] : [{ id: offer.id, reasons: result.reasons }]
    })
    expect(failures).toEqual([])
  })

  it('gives unique ids of the right pattern for each origin', () => {
    expect(new Set(offers.map((offer) => offer.id)).size).toBe(offers.length)
    for (const offer of offers) {
      const { origine, urlOrigine, partenaires } = offer.origineOffre
      expect(urlOrigine).toBe(`https://candidat.francetravail.fr/offres/recherche/detail/${offer.id}`)
      if (origine === '1') {
        expect(offer.id).toMatch(/^\d{3}[A-Z]{4}$/)
        expect(partenaires).toBeUndefined()
      } else {
        expect(offer.id).toMatch(/^\d{7}$/)
        expect(partenaires).toHaveLength(1)
        const partner = partenaires?.[0]
        const logo = `https://www.francetravail.fr/logos/img/partenaires/${partner?.nom?.toLowerCase()}80.png`
        expect(partner?.logo).toBe(logo)
        expect(partner?.url).toMatch(/^https?:\/\//)
      }
    }
  })

  it('orders keys as OffreSchema, nested objects included', () => {
    const checkOrder = (value: unknown, schema: TSchema, path: string): void => {
      const node = schema as { properties?: Record<string, TSchema>; items?: TSchema }
      if (Array.isArray(value)) {
        const items = node.items
        if (items) value.forEach((item, i) => checkOrder(item, items, `${path}/${i}`))
        return
      }
      if (value === null || typeof value !== 'object' || !node.properties) return
      const keys = Object.keys(value)
      const expected = Object.keys(node.properties).filter((key) => keys.includes(key))
      expect(keys, path).toEqual(expected)
      for (const key of keys) {
        const child = node.properties[key]
        if (child) checkOrder((value as Record<string, unknown>)[key], child, `${path}/${key}`)
      }
    }
    for (const offer of offers.slice(0, 1000)) checkOrder(offer, OffreSchema, offer.id)
  })

  it('omits absent fields instead of writing null or undefined', () => {
    const hasHole = (value: unknown): boolean =>
      value === null ||
      value === undefined ||
      (Array.isArray(value) && (value.length === 0 || value.some(hasHole))) ||
      (typeof value === 'object' && !Array.isArray(value) && Object.values(value).some(hasHole))
    for (const offer of offers) expect(hasHole(offer)).toBe(false)
  })

  it('has roughly the proportions of the real offers', () => {
    const partners = offers.filter((offer) => offer.origineOffre.origine === '2')
    const franceTravail = offers.filter((offer) => offer.origineOffre.origine === '1')
    expect(partners.length / offers.length).toBeGreaterThan(0.6)
    expect(partners.length / offers.length).toBeLessThan(0.8)

    const contract = (code: string) => share((offer) => offer.typeContrat === code)
    expect(contract('CDI')).toBeGreaterThan(0.4)
    expect(contract('CDI')).toBeLessThan(0.6)
    expect(contract('CDD')).toBeGreaterThan(0.17)
    expect(contract('CDD')).toBeLessThan(0.33)
    expect(contract('MIS')).toBeGreaterThan(0.09)
    expect(contract('MIS')).toBeLessThan(0.23)
    expect(contract('SAI')).toBeGreaterThan(0.01)
    expect(contract('SAI')).toBeLessThan(0.1)
    expect(contract('DDT')).toBe(0)

    const experience = (code: string) => share((offer) => offer.experienceExige === code)
    expect(experience('D')).toBeGreaterThan(0.45)
    expect(experience('D')).toBeLessThan(0.65)
    expect(experience('E')).toBeGreaterThan(0.25)
    expect(experience('E')).toBeLessThan(0.45)
    expect(experience('S')).toBeGreaterThan(0.04)
    expect(experience('S')).toBeLessThan(0.16)

    const salaried = (offer: Offre) => offer.salaire?.libelle !== undefined
    expect(share(salaried, franceTravail)).toBeGreaterThan(0.65)
    expect(share(salaried, franceTravail)).toBeLessThan(0.85)
    expect(share(salaried, partners)).toBeGreaterThan(0.12)
    expect(share(salaried, partners)).toBeLessThan(0.28)

    expect(share((offer) => offer.codeNAF !== undefined, franceTravail)).toBeGreaterThan(0.95)
    expect(share((offer) => offer.codeNAF !== undefined, partners)).toBeGreaterThan(0.2)
    expect(share((offer) => offer.codeNAF !== undefined, partners)).toBeLessThan(0.32)
    expect(share((offer) => offer.entreprise?.nom !== undefined, franceTravail)).toBeGreaterThan(0.9)
    expect(share((offer) => offer.entreprise?.nom !== undefined, partners)).toBeLessThan(0.6)
    expect(share((offer) => offer.accessibleTH === true, franceTravail)).toBeGreaterThan(0.18)
    expect(share((offer) => offer.accessibleTH === true, franceTravail)).toBeLessThan(0.32)
    expect(share((offer) => offer.natureContrat === 'Contrat travail')).toBeGreaterThan(0.8)
    expect(share((offer) => offer.alternance === true)).toBeGreaterThan(0.03)
    expect(share((offer) => offer.alternance === true)).toBeLessThan(0.12)

    // Common domains (vente, transport, services à la personne) outnumber rare ones (arts).
    const domain = (letter: string) => share((offer) => offer.romeCode?.startsWith(letter) === true)
    expect(domain('D')).toBeGreaterThan(domain('B') * 5)
    expect(domain('N')).toBeGreaterThan(domain('E') * 5)
    expect(domain('K')).toBeGreaterThan(0.07)
  })

  it('places offers in communes by population, arrondissements included, and at coarser levels', () => {
    const communes = offers.flatMap((offer) => (offer.lieuTravail.commune ? [offer.lieuTravail.commune] : []))
    expect(communes.length / offers.length).toBeGreaterThan(0.74)
    expect(communes.length / offers.length).toBeLessThan(0.86)
    expect(communes.some((code) => code.startsWith('751'))).toBe(true)
    expect(communes).not.toContain('75056')
    expect(communes).not.toContain('69123')
    expect(communes).not.toContain('13055')
    for (const offer of offers) {
      const { libelle, commune, codePostal, latitude, longitude } = offer.lieuTravail
      if (commune) {
        const record = referentials.communes.get(commune)
        expect(record, commune).toBeDefined()
        expect(libelle).toBe(`${record?.codeDepartement} - ${record?.libelle}`)
        expect(codePostal).toBe(record?.codePostal)
        expect(Math.abs((latitude ?? 0) - (record?.latitude ?? 0))).toBeLessThan(0.01)
        expect(Math.abs((longitude ?? 0) - (record?.longitude ?? 0))).toBeLessThan(0.01)
        expect(record?.codeDepartement.startsWith('98')).toBe(false)
      }
    }
    const coarse = offers.filter((offer) => !offer.lieuTravail.commune).map((offer) => offer.lieuTravail)
    for (const lieu of coarse) expect(Object.keys(lieu)).toEqual(['libelle'])
    const departementLevel = coarse.filter((lieu) => /^\d[\dAB]\d? - /.test(lieu.libelle ?? ''))
    const france = coarse.filter((lieu) => lieu.libelle === 'France')
    const regions = new Set([...referentials.regions.values()].map((region) => region.libelle))
    const regionLevel = coarse.filter((lieu) => regions.has(lieu.libelle ?? ''))
    expect(departementLevel.length).toBeGreaterThan(0)
    expect(france.length).toBeGreaterThan(0)
    expect(regionLevel.length).toBeGreaterThan(0)
    expect(departementLevel.length + france.length + regionLevel.length).toBe(coarse.length)
  })

  it('keeps the contract fields consistent', () => {
    const alternanceNatures = new Set(['Contrat apprentissage', 'Cont. professionnalisation'])
    for (const offer of offers) {
      expect(offer.alternance).toBe(alternanceNatures.has(offer.natureContrat ?? ''))
      expect(referentials.natureCodeOf(offer.natureContrat ?? '')).toBeDefined()
      if (offer.origineOffre.partenaires?.[0]?.nom === 'LABONNEALTERNANCE') expect(offer.alternance).toBe(true)
      if (['LIB', 'FRA', 'CCE', 'REP'].includes(offer.typeContrat)) {
        expect(offer.natureContrat).toBe('Emploi non salarié')
      }
      if (offer.experienceExige === 'D') expect(offer.experienceLibelle).toBe('Débutant accepté')
      const hours = /^(\d+)\s?H/.exec(offer.dureeTravailLibelle ?? '')?.[1]
      const converti = offer.dureeTravailLibelleConverti
      if (converti) expect(['Temps plein', 'Temps partiel']).toContain(converti)
      if (hours && converti) expect(converti).toBe(Number(hours) < 35 ? 'Temps partiel' : 'Temps plein')
      expect(offer.entrepriseAdaptee).toBe(offer.entreprise?.entrepriseAdaptee)
      expect(typeof offer.employeurHandiEngage).toBe('boolean')
      if (offer.origineOffre.origine === '1') {
        expect(typeof offer.offresManqueCandidats).toBe('boolean')
        expect(offer.contact).toBeDefined()
        expect(offer.agence).toBeDefined()
      } else {
        expect(offer.offresManqueCandidats).toBeUndefined()
        expect(offer.contact).toBeUndefined()
        expect(offer.agence).toBeUndefined()
      }
    }
  })

  it('uses real ROME, NAF and referential labels', () => {
    const rows = parse<Record<string, string>>(
      readFileSync(new URL('../../../data/rome/unix_item_v460_utf8.csv', import.meta.url)),
      { columns: true, skip_empty_lines: true, bom: true },
    )
    const items = new Set(rows.map((row) => row.code_ogr))
    for (const offer of offers) {
      for (const competence of offer.competences ?? []) {
        expect(items.has(competence.code ?? ''), competence.code).toBe(true)
      }
      const metier = referentials.metiers.get(offer.romeCode ?? '')
      expect(offer.romeLibelle).toBe(metier?.libelle)
      const appellations = referentials.appellationCodesOf(offer.appellationlibelle ?? '')
      expect(appellations.some((code) => referentials.appellations.get(code)?.romeCode === offer.romeCode)).toBe(true)
      expect((offer.appellationlibelle ?? '').length).toBeLessThanOrEqual(60)
      if (offer.codeNAF) {
        expect(offer.secteurActivite).toBe(offer.codeNAF.slice(0, 2))
        expect(offer.secteurActiviteLibelle).toBe(referentials.nafs.get(offer.codeNAF)?.libelle)
      }
      for (const formation of offer.formations ?? []) {
        expect(referentials.niveauFormationCodeOf(formation.niveauLibelle ?? '')).toBeDefined()
      }
      for (const permis of offer.permis ?? []) expect(referentials.permisCodeOf(permis.libelle)).toBeDefined()
      for (const langue of offer.langues ?? []) expect(referentials.langueCodeOf(langue.libelle)).toBeDefined()
      if (offer.salaire?.libelle) {
        expect(offer.salaire.libelle).toMatch(
          /^(Mensuel|Annuel|Horaire) de \d+[.,]\d+ Euros( à \d+[.,]\d+ Euros)?( sur \d+(\.0)? mois)?$/,
        )
      }
    }
  })

  it('dates offers within the six weeks before now', () => {
    const now = NOW.getTime()
    for (const offer of offers) {
      expect(offer.dateCreation).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      const created = Date.parse(offer.dateCreation)
      const updated = Date.parse(offer.dateActualisation ?? '')
      expect(created).toBeGreaterThanOrEqual(now - SIX_WEEKS)
      expect(created).toBeLessThanOrEqual(now)
      expect(updated).toBeGreaterThanOrEqual(created)
      expect(updated).toBeLessThanOrEqual(now)
    }
    // Recent days are busier than the oldest ones.
    const recent = share((offer) => Date.parse(offer.dateCreation) > now - SIX_WEEKS / 6)
    const oldest = share((offer) => Date.parse(offer.dateCreation) < now - (SIX_WEEKS * 5) / 6)
    expect(recent).toBeGreaterThan(oldest)
  })

  it('writes plausible descriptions and sizes', () => {
    const lengths = offers.map((offer) => offer.description?.length ?? 0)
    const meanLength = lengths.reduce((sum, length) => sum + length, 0) / lengths.length
    expect(meanLength).toBeGreaterThan(900)
    expect(meanLength).toBeLessThan(1800)
    expect(Math.min(...lengths)).toBeGreaterThan(300)
    expect(new Set(offers.map((offer) => offer.description)).size).toBe(offers.length)
    const meanSize = offers.reduce((sum, offer) => sum + JSON.stringify(offer).length, 0) / offers.length
    expect(meanSize).toBeGreaterThan(1500)
    expect(meanSize).toBeLessThan(3500)
  })
})
