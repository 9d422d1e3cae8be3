import type { Offre } from '../domain/offers/offer.schema.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { analyze } from './analyzer.js'

/** Salary periods of the `periodeSalaire` parameter: monthly, yearly, hourly, per performance. */
export type SalaryPeriod = 'M' | 'A' | 'H' | 'C'

export interface Salary {
  readonly period: SalaryPeriod
  readonly low: number
  readonly high: number
  /** Months paid per year ("sur 13 mois"); 12 when the label does not say. */
  readonly months: number
}

/** What the store knows of an offer beyond its JSON. */
export interface OfferMetadata {
  /** Appellation codes the offer is classified under (the original does not put them in the JSON). */
  readonly appellations?: readonly string[]
  /** Recruitment by simulation (MRS) is offered. */
  readonly mrs?: boolean
}

/**
 * Everything search filters, sorts and counts on, derived once from an offer. The index and the
 * brute-force reference of the tests both start from these features.
 */
export interface OfferFeatures {
  readonly id: string
  readonly dateCreation: number
  readonly origine: '1' | '2'
  /** Partner codes in upper case. */
  readonly partners: readonly string[]
  readonly typeContrat: string
  /** Nature code (E1, E2…) from the nature label. */
  readonly natureContrat?: string
  readonly experienceExige?: 'D' | 'S' | 'E'
  /** `experience` bucket: 0 not stated, 1 under a year, 2 one to three years, 3 over three years. */
  readonly experience: '0' | '1' | '2' | '3'
  /** `qualificationCode` 1…9. */
  readonly qualification?: string
  readonly romeCode?: string
  readonly domaine?: string
  readonly grandDomaine?: string
  readonly themes: readonly string[]
  readonly appellations: readonly string[]
  readonly codeNaf?: string
  readonly secteurActivite?: string
  /** Commune of the referential (an arrondissement keeps its own code). */
  readonly commune?: string
  readonly departement?: string
  readonly region?: string
  readonly pays?: string
  readonly continent?: string
  /** Where distances are measured from: the commune's centre, else the offer's own coordinates. */
  readonly latitude?: number
  readonly longitude?: number
  readonly niveauxFormation: readonly string[]
  readonly permis: readonly string[]
  readonly salary?: Salary
  readonly weeklyMinutes?: number
  readonly contractMonths?: number
  /** `dureeHebdo`: 0 not stated, 1 full time, 2 part time. */
  readonly dureeHebdo: '0' | '1' | '2'
  readonly accessibleTH: boolean
  readonly entrepriseAdaptee: boolean
  readonly employeurHandiEngage: boolean
  readonly offresManqueCandidats: boolean
  readonly mrs: boolean
  /** Searchable terms with their weight (sum of the weights of the fields holding the term). */
  readonly terms: ReadonlyMap<string, number>
}

/**
 * Fields matched by `motsCles` and their weight in relevance (contract §4: intitulé, ROME code
 * and label, compétences, domaines de formation, permis, langues). The description is matched by
 * the original only when the word is also in the title or ROME label, so it adds no match and is
 * left out of the index.
 */
export const TEXT_FIELD_WEIGHTS = {
  intitule: 10,
  appellationlibelle: 5,
  romeLibelle: 5,
  romeCode: 5,
  competences: 2,
  formations: 2,
  permis: 1,
  langues: 1,
} as const

const analysisCache = new Map<string, readonly string[]>()
const ANALYSIS_CACHE_LIMIT = 100_000

/** Analysed terms of a field value; labels recur across offers, so results are memoised. */
function termsOf(text: string): readonly string[] {
  let terms = analysisCache.get(text)
  if (terms === undefined) {
    terms = [...new Set(analyze(text))]
    if (analysisCache.size >= ANALYSIS_CACHE_LIMIT) analysisCache.clear()
    analysisCache.set(text, terms)
  }
  return terms
}

function weightedTerms(offer: Offre): Map<string, number> {
  const weights = new Map<string, number>()
  const addField = (texts: readonly (string | undefined)[], weight: number) => {
    const seen = new Set<string>()
    for (const value of texts) {
      if (value === undefined) continue
      for (const term of termsOf(value)) seen.add(term)
    }
    for (const term of seen) weights.set(term, (weights.get(term) ?? 0) + weight)
  }
  addField([offer.intitule], TEXT_FIELD_WEIGHTS.intitule)
  addField([offer.appellationlibelle], TEXT_FIELD_WEIGHTS.appellationlibelle)
  addField([offer.romeLibelle], TEXT_FIELD_WEIGHTS.romeLibelle)
  addField([offer.romeCode], TEXT_FIELD_WEIGHTS.romeCode)
  addField(offer.competences?.map((item) => item.libelle) ?? [], TEXT_FIELD_WEIGHTS.competences)
  addField(offer.formations?.map((item) => item.domaineLibelle) ?? [], TEXT_FIELD_WEIGHTS.formations)
  addField(offer.permis?.map((item) => item.libelle) ?? [], TEXT_FIELD_WEIGHTS.permis)
  addField(offer.langues?.map((item) => item.libelle) ?? [], TEXT_FIELD_WEIGHTS.langues)
  return weights
}

const SALARY = /^\s*(Mensuel|Annuel|Horaire|Cachet)\s+de\s+([\d\s.,]+?)\s*Euros?(?:\s+à\s+([\d\s.,]+?)\s*Euros?)?(?:\s+sur\s+([\d.,]+)\s*mois)?/i
const PERIOD_BY_WORD: Readonly<Record<string, SalaryPeriod>> = { mensuel: 'M', annuel: 'A', horaire: 'H', cachet: 'C' }

/** Reads "1600,00", "2601.0", "38 000" as numbers. */
function amount(text: string): number {
  return Number(text.replace(/\s/g, '').replace(',', '.'))
}

/**
 * Parses the original's salary label: "Mensuel de 1923.00 Euros sur 12 mois",
 * "Annuel de 38000.0 Euros à 45000.0 Euros sur 12.0 mois", "Mensuel de 1600,00 Euros à 1800,00 Euros".
 */
export function parseSalary(label: string | undefined): Salary | undefined {
  if (label === undefined) return undefined
  const match = SALARY.exec(label)
  if (!match?.[1] || !match[2]) return undefined
  const period = PERIOD_BY_WORD[match[1].toLowerCase()]
  const low = amount(match[2])
  const high = match[3] === undefined ? low : amount(match[3])
  const months = match[4] === undefined ? 12 : amount(match[4])
  if (period === undefined || !Number.isFinite(low) || !Number.isFinite(high) || low <= 0) return undefined
  return { period, low, high: Math.max(low, high), months: Number.isFinite(months) && months > 0 ? months : 12 }
}

/** Legal monthly hours of a 35-hour week (35 × 52 / 12). */
const HOURS_PER_MONTH = 151.67

/**
 * The upper bound of an offer's salary expressed in another period, or undefined when the two
 * cannot be compared (a per-performance fee against a wage).
 */
export function salaryIn(salary: Salary, period: SalaryPeriod): number | undefined {
  return salaryInParts(salary.period, salary.high, salary.months, period)
}

/** `salaryIn` on the parts of a salary, for callers that keep them in columns. */
export function salaryInParts(own: SalaryPeriod, high: number, months: number, period: SalaryPeriod): number | undefined {
  if ((own === 'C') !== (period === 'C')) return undefined
  if (period === 'C') return high
  const monthly = own === 'M' ? high : own === 'A' ? high / 12 : high * HOURS_PER_MONTH
  if (period === 'M') return monthly
  if (period === 'H') return monthly / HOURS_PER_MONTH
  return own === 'A' ? high : monthly * months
}

/** Weekly working time in minutes from "35H Travail en journée", "37H30", "35 H". */
export function parseWeeklyMinutes(label: string | undefined): number | undefined {
  const match = label === undefined ? null : /(\d{1,2})\s*H\s*(\d{1,2})?/i.exec(label)
  if (!match?.[1]) return undefined
  const minutes = Number(match[1]) * 60 + Number(match[2] ?? 0)
  return minutes > 0 && minutes <= 99 * 60 ? minutes : undefined
}

/** Contract length in months from "CDD - 6 Mois", "Mission intérimaire - 15 Jour(s)". */
export function parseContractMonths(label: string | undefined): number | undefined {
  const match = label === undefined ? null : /-\s*(\d+(?:[.,]\d+)?)\s*(Mois|Jour|Semaine|An)/i.exec(label)
  if (!match?.[1] || !match[2]) return undefined
  const value = amount(match[1])
  const unit = match[2].toLowerCase()
  if (unit === 'mois') return value
  if (unit === 'jour') return value / 30
  if (unit === 'semaine') return (value * 7) / 30
  return value * 12
}

/** The `experience` bucket from the requirement and its label ("Expérience exigée de 2 An(s)", "6 Mois"). */
export function experienceBucket(exige: string | undefined, label: string | undefined): OfferFeatures['experience'] {
  if (exige === 'D') return '1'
  const match = label === undefined ? null : /(\d+)\s*(An|Mois)/i.exec(label)
  if (!match?.[1] || !match[2]) return '0'
  const months = match[2].toLowerCase() === 'an' ? Number(match[1]) * 12 : Number(match[1])
  if (months < 12) return '1'
  return months <= 36 ? '2' : '3'
}

const DEPARTEMENT_PREFIX = /^(\d{2,3}|2[AB])\s+-\s+/

interface Place {
  commune?: string
  departement?: string
  region?: string
  pays?: string
  latitude?: number
  longitude?: number
}

function placeOf(offer: Offre, referentials: Referentials): Place {
  const lieu = offer.lieuTravail
  const commune = lieu.commune === undefined ? undefined : referentials.communes.get(lieu.commune)
  if (commune) {
    return {
      commune: commune.code,
      departement: commune.codeDepartement,
      region: commune.codeRegion,
      pays: '01',
      latitude: commune.latitude,
      longitude: commune.longitude,
    }
  }
  const point =
    lieu.latitude !== undefined && lieu.longitude !== undefined
      ? { latitude: lieu.latitude, longitude: lieu.longitude }
      : {}
  const label = lieu.libelle?.trim() ?? ''
  const departementCode =
    DEPARTEMENT_PREFIX.exec(label)?.[1] ??
    (/^\d{2,3}$|^2[AB]$/.test(label) ? label : undefined) ??
    referentials.departementCodeOf(label)
  const departement = departementCode === undefined ? undefined : referentials.departements.get(departementCode)
  if (departement) {
    return { departement: departement.code, region: departement.region.code, pays: '01', ...point }
  }
  const region = referentials.regionCodeOf(label)
  if (region !== undefined) return { region, pays: '01', ...point }
  const pays = label === '' ? undefined : referentials.paysCodeOf(label)
  return { ...(pays === undefined ? {} : { pays }), ...point }
}

/** Derives the search features of an offer with the referentials (pure; same input, same output). */
export function extractFeatures(offer: Offre, referentials: Referentials, metadata: OfferMetadata = {}): OfferFeatures {
  const metier = offer.romeCode === undefined ? undefined : referentials.metiers.get(offer.romeCode)
  const appellations = new Set<string>(metadata.appellations ?? [])
  if (offer.appellationlibelle !== undefined) {
    for (const code of referentials.appellationCodesOf(offer.appellationlibelle)) appellations.add(code)
  }
  const place = placeOf(offer, referentials)
  const converti = offer.dureeTravailLibelleConverti?.toLowerCase()
  const codeNaf = offer.codeNAF
  const secteurActivite = offer.secteurActivite ?? codeNaf?.slice(0, 2)
  const niveaux = new Set<string>()
  for (const formation of offer.formations ?? []) {
    const code = formation.niveauLibelle === undefined ? undefined : referentials.niveauFormationCodeOf(formation.niveauLibelle)
    if (code !== undefined) niveaux.add(code)
  }
  const permis = new Set<string>()
  for (const item of offer.permis ?? []) {
    const code = referentials.permisCodeOf(item.libelle)
    if (code !== undefined) permis.add(code)
  }
  const natureContrat = offer.natureContrat === undefined ? undefined : referentials.natureCodeOf(offer.natureContrat)
  const salary = parseSalary(offer.salaire?.libelle)
  const weeklyMinutes = parseWeeklyMinutes(offer.dureeTravailLibelle)
  const contractMonths = parseContractMonths(offer.typeContratLibelle)
  const continent = place.pays === undefined ? undefined : referentials.paysContinents.get(place.pays)
  return {
    id: offer.id,
    dateCreation: Date.parse(offer.dateCreation),
    origine: offer.origineOffre.origine,
    partners: [...new Set((offer.origineOffre.partenaires ?? []).flatMap((p) => (p.nom ? [p.nom.toUpperCase()] : [])))],
    typeContrat: offer.typeContrat,
    ...(natureContrat === undefined ? {} : { natureContrat }),
    ...(offer.experienceExige === undefined ? {} : { experienceExige: offer.experienceExige }),
    experience: experienceBucket(offer.experienceExige, offer.experienceLibelle),
    ...(offer.qualificationCode === undefined ? {} : { qualification: offer.qualificationCode }),
    ...(offer.romeCode === undefined ? {} : { romeCode: offer.romeCode }),
    ...(metier === undefined ? {} : { domaine: metier.domaine, grandDomaine: metier.grandDomaine }),
    themes: metier?.themes ?? [],
    appellations: [...appellations].sort(),
    ...(codeNaf === undefined ? {} : { codeNaf }),
    ...(secteurActivite === undefined ? {} : { secteurActivite }),
    ...place,
    ...(continent === undefined ? {} : { continent }),
    niveauxFormation: [...niveaux].sort(),
    permis: [...permis].sort(),
    ...(salary === undefined ? {} : { salary }),
    ...(weeklyMinutes === undefined ? {} : { weeklyMinutes }),
    ...(contractMonths === undefined ? {} : { contractMonths }),
    dureeHebdo: converti === 'temps plein' ? '1' : converti === 'temps partiel' ? '2' : '0',
    accessibleTH: offer.accessibleTH === true,
    entrepriseAdaptee: offer.entrepriseAdaptee === true || offer.entreprise?.entrepriseAdaptee === true,
    employeurHandiEngage: offer.employeurHandiEngage === true,
    offresManqueCandidats: offer.offresManqueCandidats === true,
    mrs: metadata.mrs === true,
    terms: weightedTerms(offer),
  }
}
