import type { Offre } from '../../src/domain/offers/offer.schema.js'
import type { Referentials } from '../../src/domain/referentials/referentials.js'
import { parseSearchParams } from '../../src/http/offres/search-params.js'
import { distanceKm } from '../../src/search/geo.js'
import { extractFeatures, salaryIn, type SalaryPeriod } from '../../src/search/offer-features.js'
import type { FacetCounts, ResultWindow, SearchQuery } from '../../src/search/search-query.js'

/**
 * What the other systems index of an offer: the fields `motsCles` searches (contract §4, as
 * `TEXT_FIELD_WEIGHTS` lists them) in four weight classes, and the filter, sort and facet values
 * as a schema designer would store them (derived once with our feature extraction, so that every
 * system filters the same values).
 */
export interface PeerDoc {
  readonly id: string
  /** Weight 10: the title. */
  readonly intitule: string
  /** Weight 5: appellation label, ROME label and code. */
  readonly labels: string
  /** Weight 2: compétences, formation domains. */
  readonly details: string
  /** Weight 1: licences, languages. */
  readonly extras: string
  /** Creation, epoch ms. */
  readonly date: number
  readonly origine: '1' | '2'
  readonly typeContrat: string
  readonly natureContrat: string | undefined
  readonly experience: string
  /** Facet group of `qualificationCode`: 0 non-cadre (1–8), 9 cadre, X not stated. */
  readonly qualification: '0' | '9' | 'X'
  readonly dureeHebdo: string
  readonly romeCode: string | undefined
  readonly grandDomaine: string | undefined
  readonly commune: string | undefined
  /** The commune, or the city of an arrondissement (75056, 69123, 13055). */
  readonly city: string | undefined
  readonly departement: string | undefined
  readonly region: string | undefined
  /** The commune's centre, else the offer's own point. */
  readonly latitude: number | undefined
  readonly longitude: number | undefined
  /** The top of the salary range in each period of `periodeSalaire` where it converts. */
  readonly salaryM: number | undefined
  readonly salaryA: number | undefined
  readonly salaryH: number | undefined
  readonly salaryC: number | undefined
  readonly weeklyMinutes: number | undefined
  readonly contractMonths: number | undefined
  readonly partners: readonly string[]
}

/** The text of a peer document, all weight classes (for systems that search one field). */
export const allText = (doc: PeerDoc) => `${doc.intitule} ${doc.labels} ${doc.details} ${doc.extras}`

/** Derives an offer's peer document. */
export function toPeerDoc(offer: Offre, referentials: Referentials): PeerDoc {
  const features = extractFeatures(offer, referentials)
  const salary = (period: SalaryPeriod) => (features.salary ? salaryIn(features.salary, period) : undefined)
  const commune = features.commune === undefined ? undefined : referentials.communes.get(features.commune)
  const qualification = features.qualification ?? ''
  return {
    id: offer.id,
    intitule: offer.intitule,
    labels: [offer.appellationlibelle, offer.romeLibelle, offer.romeCode].filter(Boolean).join(' '),
    details: [...(offer.competences ?? []).map((item) => item.libelle), ...(offer.formations ?? []).map((item) => item.domaineLibelle)]
      .filter(Boolean)
      .join(' '),
    extras: [...(offer.permis ?? []).map((item) => item.libelle), ...(offer.langues ?? []).map((item) => item.libelle)].join(' '),
    date: features.dateCreation,
    origine: features.origine,
    typeContrat: features.typeContrat,
    natureContrat: features.natureContrat,
    experience: features.experience,
    qualification: qualification === '9' ? '9' : /^[1-8]$/.test(qualification) ? '0' : 'X',
    dureeHebdo: features.dureeHebdo,
    romeCode: features.romeCode,
    grandDomaine: features.grandDomaine,
    commune: features.commune,
    city: commune === undefined ? undefined : (commune.parent ?? commune.code),
    departement: features.departement,
    region: features.region,
    latitude: features.latitude,
    longitude: features.longitude,
    salaryM: salary('M'),
    salaryA: salary('A'),
    salaryH: salary('H'),
    salaryC: salary('C'),
    weeklyMinutes: features.weeklyMinutes,
    contractMonths: features.contractMonths,
    partners: features.partners,
  }
}

/** A query of the mix, parsed once as the API parses it, with its raw keywords. */
export interface BenchQuery {
  readonly kind: string
  readonly query: string
  readonly parsed: SearchQuery
  readonly window: ResultWindow
  /** Every keyword of `motsCles` as typed, joined by spaces (systems given our analyser find the same terms). */
  readonly keywordText: string | undefined
}

/** Parses a query string of the mix. */
export function benchQuery(kind: string, query: string, referentials: Referentials, now: number): BenchQuery {
  const { query: parsed, window } = parseSearchParams(query, referentials, now)
  const motsCles = new URLSearchParams(query).getAll('motsCles').join(',')
  return { kind, query, parsed, window, keywordText: motsCles === '' ? undefined : motsCles.replace(/,/g, ' ') }
}

/** The criteria the bench translates for the other systems; a query using another one is left out. */
const TRANSLATED = new Set<keyof SearchQuery>([
  'sort',
  'keywords',
  'typesContrat',
  'naturesContrat',
  'experiences',
  'qualifications',
  'dureesHebdo',
  'weeklyMinutesMin',
  'weeklyMinutesMax',
  'contractMonthsMin',
  'contractMonthsMax',
  'geo',
  'departements',
  'regions',
  'romeCodes',
  'grandsDomaines',
  'salary',
  'createdFrom',
  'createdTo',
  'partners',
])

/** Criteria of a query that the bench does not translate (none for the 33-query mix). */
export function untranslated(query: SearchQuery): string[] {
  return Object.keys(query).filter((key) => !TRANSLATED.has(key as keyof SearchQuery))
}

/** The column of a salary period. */
export const SALARY_FIELD = { M: 'salaryM', A: 'salaryA', H: 'salaryH', C: 'salaryC' } as const satisfies Record<SalaryPeriod, keyof PeerDoc>

/** The four facets of `filtresPossibles`, value → count, values without offers left out. */
export type FacetMap = Readonly<Record<FacetCounts['filtre'], Readonly<Record<string, number>>>>

/** What a system answered: total, the window's ids in its order, facets when it computes them. */
export interface Outcome {
  readonly total: number
  readonly ids: readonly string[]
  readonly facets?: FacetMap
}

/** Our facets as a facet map. */
export function facetMapOf(facets: readonly FacetCounts[]): FacetMap {
  const map = { typeContrat: {}, experience: {}, qualification: {}, natureContrat: {} } as Record<FacetCounts['filtre'], Record<string, number>>
  for (const facet of facets) {
    for (const { valeurPossible, nbResultats } of facet.agregation) map[facet.filtre][valeurPossible] = nbResultats
  }
  return map
}

/** Counts the facets over matched documents (for systems without facets, done by the bench). */
export function countFacets(docs: Iterable<Pick<PeerDoc, 'typeContrat' | 'experience' | 'qualification' | 'natureContrat'>>): FacetMap {
  const map = { typeContrat: {}, experience: {}, qualification: {}, natureContrat: {} } as Record<FacetCounts['filtre'], Record<string, number>>
  const add = (facet: FacetCounts['filtre'], value: string | undefined) => {
    if (value === undefined || value === '') return
    map[facet][value] = (map[facet][value] ?? 0) + 1
  }
  for (const doc of docs) {
    add('typeContrat', doc.typeContrat)
    add('experience', doc.experience)
    add('qualification', doc.qualification)
    add('natureContrat', doc.natureContrat)
  }
  return map
}

/** Whether two facet maps hold the same counts. */
export function sameFacets(a: FacetMap, b: FacetMap): boolean {
  return (Object.keys(a) as FacetCounts['filtre'][]).every((facet) => {
    const left = Object.entries(a[facet]).filter(([, count]) => count > 0)
    const right = Object.entries(b[facet]).filter(([, count]) => count > 0)
    return left.length === right.length && left.every(([value, count]) => b[facet][value] === count)
  })
}

/** The distance (km) of a document from the nearest centre of a radius search, Infinity without a point. */
export function distanceOf(doc: Pick<PeerDoc, 'latitude' | 'longitude'>, query: SearchQuery): number {
  if (!query.geo || doc.latitude === undefined || doc.longitude === undefined) return Infinity
  let nearest = Infinity
  for (const centre of query.geo.centres) {
    nearest = Math.min(nearest, distanceKm(centre.latitude, centre.longitude, doc.latitude, doc.longitude))
  }
  return nearest
}

/**
 * The query's criteria (all but keywords) on one document, written plainly: what MiniSearch's
 * `filter` callback runs, the same semantics as our index (test/support/reference-search.ts).
 */
export function matchesFilters(doc: PeerDoc, query: SearchQuery): boolean {
  const within = <T>(values: readonly T[] | undefined, value: T | undefined) => values === undefined || (value !== undefined && values.includes(value))
  if (query.typesContrat || query.naturesContrat) {
    if (!(query.typesContrat?.includes(doc.typeContrat) ?? false) && !within(query.naturesContrat ?? [], doc.natureContrat)) return false
  }
  if (!within(query.experiences, doc.experience)) return false
  if (!within(query.qualifications, doc.qualification)) return false
  if (!within(query.dureesHebdo, doc.dureeHebdo)) return false
  if (query.weeklyMinutesMin !== undefined || query.weeklyMinutesMax !== undefined) {
    const minutes = doc.weeklyMinutes
    if (minutes === undefined || minutes < (query.weeklyMinutesMin ?? 0) || minutes > (query.weeklyMinutesMax ?? Infinity)) return false
  }
  if (query.contractMonthsMin !== undefined || query.contractMonthsMax !== undefined) {
    const months = doc.contractMonths
    if (months === undefined || months < (query.contractMonthsMin ?? 0) || months > (query.contractMonthsMax ?? Infinity)) return false
  }
  if (query.geo) {
    const geo = query.geo
    const inCity = doc.city !== undefined && geo.wholeCities.includes(doc.city)
    const near =
      geo.radiusKm === 0
        ? geo.centres.some((centre) => doc.commune !== undefined && (centre.commune === doc.commune || centre.commune === doc.city))
        : distanceOf(doc, query) <= geo.radiusKm
    if (!inCity && !near) return false
  }
  if (!within(query.departements, doc.departement)) return false
  if (!within(query.regions, doc.region)) return false
  if (!within(query.romeCodes, doc.romeCode)) return false
  if (!within(query.grandsDomaines, doc.grandDomaine)) return false
  if (query.salary) {
    const value = doc[SALARY_FIELD[query.salary.period]]
    if (value === undefined || value < query.salary.min) return false
  }
  if (query.createdFrom !== undefined && doc.date < query.createdFrom) return false
  if (query.createdTo !== undefined && doc.date > query.createdTo) return false
  if (query.partners && doc.origine === '2') {
    const listed = doc.partners.some((name) => query.partners?.names.includes(name))
    if (query.partners.mode === 'INCLUS' ? !listed : listed) return false
  }
  return true
}
