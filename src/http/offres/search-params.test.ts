import { beforeAll, describe, expect, it } from 'vitest'
import type { Referentials } from '../../domain/referentials/referentials.js'
import { loadReferentials } from '../../storage/reference-data.js'
import { parseRange, parseSearchParams } from './search-params.js'

let referentials: Referentials
beforeAll(() => {
  referentials = loadReferentials()
})

const NOW = Date.parse('2026-11-28T12:00:00Z')
const parse = (query: string) => parseSearchParams(query, referentials, NOW).query

describe('parseRange', () => {
  it('defaults to the first 150', () => expect(parseRange(undefined)).toEqual({ start: 0, end: 149 }))
  it('reads p-d', () => expect(parseRange('150-299')).toEqual({ start: 150, end: 299 }))
  it('allows the deepest window', () => expect(parseRange('3000-3149')).toEqual({ start: 3000, end: 3149 }))
})

describe('parseSearchParams', () => {
  it('sorts by relevance when no sort is asked', () => {
    expect(parse('')).toEqual({ sort: 0 })
  })

  it('analyses each keyword into terms and drops stop-word-only keywords', () => {
    expect(parse('motsCles=Infirmières,de nuit,de').keywords).toEqual([['infirmi'], ['nuit']])
  })

  it('widens the radius by 30 %, 10 km by default', () => {
    expect(parse('commune=33063').geo).toMatchObject({ radiusKm: 13, wholeCities: [] })
    expect(parse('commune=33063&distance=50').geo?.radiusKm).toBeCloseTo(65)
    expect(parse('commune=33063&distance=0').geo?.radiusKm).toBe(0)
  })

  it('searches around a point given by latitude and longitude, 10 km by default widened by 30 %', () => {
    expect(parse('latitude=44.84&longitude=-0.58').geo).toEqual({ centres: [{ latitude: 44.84, longitude: -0.58 }], radiusKm: 13, wholeCities: [] })
    expect(parse('latitude=-21.1151&longitude=%2B55.5364&distance=20').geo).toMatchObject({
      centres: [{ latitude: -21.1151, longitude: 55.5364 }],
      radiusKm: 26,
    })
  })

  it('applies the Paris and Lyon rules to a point as to a commune', () => {
    expect(parse('latitude=48.8566&longitude=2.3522&distance=1').geo?.wholeCities).toEqual(['75056'])
    expect(parse('latitude=45.764&longitude=4.8357&distance=2').geo?.wholeCities).toEqual(['69123'])
    expect(parse('latitude=44.84&longitude=-0.58&distance=50').geo?.wholeCities).toEqual([])
  })

  it('ignores a distance without a commune', () => {
    expect(parse('distance=30').geo).toBeUndefined()
  })

  it('applies the Paris rule to an arrondissement and to a radius reaching the centre of Paris', () => {
    expect(parse('commune=75112&distance=0').geo?.wholeCities).toEqual(['75056'])
    expect(parse('commune=92012&distance=10').geo?.wholeCities).toEqual(['75056'])
    expect(parse('commune=78646&distance=2').geo?.wholeCities).toEqual([])
  })

  it('applies the Lyon rule once the radius reaches the centre of Lyon', () => {
    expect(parse('commune=69266&distance=5').geo?.wholeCities).toEqual(['69123'])
    expect(parse('commune=42218&distance=10').geo?.wholeCities).toEqual([])
  })

  it('adds neighbouring départements on request', () => {
    expect(parse('departement=75&inclureLimitrophes=true').departements).toEqual(['75', '92', '93', '94'])
    expect(parse('departement=75&inclureLimitrophes=false').departements).toEqual(['75'])
  })

  it('turns tempsPlein into the weekly duration kind', () => {
    expect(parse('tempsPlein=false').dureesHebdo).toEqual(['2'])
    expect(parse('tempsPlein=true&dureeHebdo=1,2').dureesHebdo).toEqual(['1'])
    expect(parse('dureeHebdo%20=0').dureesHebdo).toEqual(['0'])
  })

  it('reads HHMM durations and decimal months', () => {
    expect(parse('dureeHebdoMin=2430&dureeHebdoMax=800')).toMatchObject({ weeklyMinutesMin: 24 * 60 + 30, weeklyMinutesMax: 8 * 60 })
    expect(parse('dureeContratMin=0.5&dureeContratMax=24')).toMatchObject({ contractMonthsMin: 0.5, contractMonthsMax: 24 })
  })

  it('keeps the latest of minCreationDate and publieeDepuis', () => {
    expect(parse('publieeDepuis=7').createdFrom).toBe(NOW - 7 * 86_400_000)
    expect(parseSearchParams('publieeDepuis=1', referentials, NOW + 59_999).query.createdFrom).toBe(NOW - 86_400_000)
    expect(parse('publieeDepuis=31&minCreationDate=2026-11-27T00:00:00Z').createdFrom).toBe(Date.parse('2026-11-27T00:00:00Z'))
    expect(parse('maxCreationDate=2026-11-01T10:00:00Z').createdTo).toBe(Date.parse('2026-11-01T10:00:00Z'))
  })

  it('filters on flags only when they are true', () => {
    expect(parse('accesTravailleurHandicape=false&offresMRS=False&entreprisesAdaptees=false')).toEqual({ sort: 0 })
    expect(parse('entreprisesAdaptees=true&employeursHandiEngages=TRUE')).toMatchObject({
      entrepriseAdaptee: true,
      employeurHandiEngage: true,
    })
  })

  it('reads partners with their mode, INCLUS by default', () => {
    expect(parse('partenaires=labonnealternance&modeSelectionPartenaires=exclu').partners).toEqual({
      names: ['LABONNEALTERNANCE'],
      mode: 'EXCLU',
    })
    expect(parse('partenaires=METEOJOB,INDEED').partners).toEqual({ names: ['METEOJOB', 'INDEED'], mode: 'INCLUS' })
  })

  it('reads the salary with its period', () => {
    expect(parse('salaireMin=1800,50&periodeSalaire=M').salary).toEqual({ min: 1800.5, period: 'M' })
  })

  it('accepts up to 200 ROME codes, 5 communes, 5 départements, 2 NAF codes', () => {
    const romes = [...referentials.metiers.keys()].slice(0, 200)
    expect(parse(`codeROME=${romes.join(',')}`).romeCodes).toHaveLength(200)
    expect(() => parse(`codeROME=${[...referentials.metiers.keys()].slice(0, 201).join(',')}`)).toThrow('codeROME')
    expect(() => parse('codeNAF=86.10Z,86.21Z,86.22A')).toThrow('codeNAF')
  })

  it('accepts country and continent codes for paysContinent', () => {
    expect(parse('paysContinent=02,EU').paysContinents).toEqual(['02', 'EU'])
  })
})
