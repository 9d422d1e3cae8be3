import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../domain/offers/offer.schema.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { loadReferentials } from '../storage/reference-data.js'
import {
  experienceBucket,
  extractFeatures,
  parseContractMonths,
  parseSalary,
  parseWeeklyMinutes,
  salaryIn,
} from './offer-features.js'
import { weightOf } from './terms.js'

const REAL = JSON.parse(
  readFileSync(new URL('../../test/fixtures/offres/offres-appellation-404939-178.json', import.meta.url), 'utf8'),
) as Offre[]
const byId = (id: string) => {
  const offer = REAL.find((candidate) => candidate.id === id)
  if (!offer) throw new Error(`no offer ${id} in the fixture`)
  return offer
}

let referentials: Referentials
beforeAll(() => {
  referentials = loadReferentials()
})

describe('parseSalary', () => {
  it.each([
    ['Mensuel de 1923.00 Euros sur 12 mois', { period: 'M', low: 1923, high: 1923, months: 12 }],
    ['Annuel de 38000.0 Euros à 45000.0 Euros sur 12.0 mois', { period: 'A', low: 38000, high: 45000, months: 12 }],
    ['Mensuel de 1600,00 Euros à 1800,00 Euros', { period: 'M', low: 1600, high: 1800, months: 12 }],
    ['Horaire de 11.88 Euros sur 12 mois', { period: 'H', low: 11.88, high: 11.88, months: 12 }],
    ['Mensuel de 2000.0 Euros sur 13.0 mois', { period: 'M', low: 2000, high: 2000, months: 13 }],
  ])('reads "%s"', (label, expected) => {
    expect(parseSalary(label)).toEqual(expected)
  })

  it.each(['Selon profil', '', 'Mensuel de Euros'])('gives nothing for "%s"', (label) => {
    expect(parseSalary(label)).toBeUndefined()
  })

  it('converts between periods on the upper bound', () => {
    const monthly = { period: 'M', low: 2000, high: 2500, months: 13 } as const
    expect(salaryIn(monthly, 'M')).toBe(2500)
    expect(salaryIn(monthly, 'A')).toBe(2500 * 13)
    expect(salaryIn(monthly, 'H')).toBeCloseTo(2500 / 151.67)
    expect(salaryIn(monthly, 'C')).toBeUndefined()
    expect(salaryIn({ period: 'A', low: 36000, high: 36000, months: 12 }, 'M')).toBe(3000)
  })
})

describe('durations and experience', () => {
  it('reads weekly hours', () => {
    expect(parseWeeklyMinutes('35H Travail en journée')).toBe(35 * 60)
    expect(parseWeeklyMinutes('37H30\nTravail en journée')).toBe(37 * 60 + 30)
    expect(parseWeeklyMinutes('35 H')).toBe(35 * 60)
    expect(parseWeeklyMinutes('Temps plein')).toBeUndefined()
  })

  it('reads contract lengths in months', () => {
    expect(parseContractMonths('CDD - 6 Mois')).toBe(6)
    expect(parseContractMonths('Mission intérimaire - 15 Jour(s)')).toBe(0.5)
    expect(parseContractMonths('CDI')).toBeUndefined()
  })

  it('buckets experience as the experience parameter', () => {
    expect(experienceBucket('D', 'Débutant accepté')).toBe('1')
    expect(experienceBucket('E', '6 Mois')).toBe('1')
    expect(experienceBucket('E', 'Expérience exigée de 2 An(s)')).toBe('2')
    expect(experienceBucket('E', '3 An(s)')).toBe('2')
    expect(experienceBucket('S', '4 An(s)')).toBe('3')
    expect(experienceBucket('E', 'Expérience exigée')).toBe('0')
  })
})

describe('extractFeatures on real offers', () => {
  it('places an offer by its commune, with département and region', () => {
    const features = extractFeatures(byId('184VWCX'), referentials)
    expect(features).toMatchObject({ commune: '94028', departement: '94', region: '11', pays: '01', continent: 'EU' })
    expect(features.latitude).toBe(referentials.communes.get('94028')?.latitude)
  })

  it('places offers known only by département, region or country label', () => {
    const place = (libelle: string) =>
      extractFeatures({ ...byId('184VWCX'), lieuTravail: { libelle } }, referentials)
    expect(place('59 - Nord')).toMatchObject({ departement: '59', region: '32' })
    expect(place('Nouvelle-Aquitaine')).toMatchObject({ region: '75', pays: '01' })
    expect(place('France')).toMatchObject({ pays: '01' })
    expect(place('France').departement).toBeUndefined()
    expect(place('Allemagne')).toMatchObject({ pays: '02', continent: 'EU' })
  })

  it('derives métier trees, contract codes and searchable terms', () => {
    const features = extractFeatures(byId('184VWCX'), referentials, { appellations: ['404939'] })
    expect(features).toMatchObject({
      romeCode: 'K2403',
      domaine: 'K24',
      grandDomaine: 'K',
      typeContrat: 'CDD',
      natureContrat: 'E1',
      experience: '1',
      qualification: '7',
      contractMonths: 6,
      weeklyMinutes: 35 * 60,
      dureeHebdo: '1',
      niveauxFormation: ['NV2'],
    })
    expect(features.appellations).toContain('404939')
    expect(weightOf(features.terms, 'k2403')).toBe(5)
    expect(weightOf(features.terms, 'biostatisticien')).toBe(10 + 5 + 5)
    expect(weightOf(features.terms, 'astronaute')).toBe(0)
    expect(features.salary).toEqual({ period: 'M', low: 2601, high: 3852, months: 12 })
  })
})
