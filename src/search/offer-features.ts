import type { Offre } from '../domain/offers/offer.schema.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { analyze, forEachTerm } from './analyzer.js'
import { TERMS, type TermWeights } from './terms.js'

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
  /** Searchable terms with their weight (sum of the weights of the fields holding the term, at most 255). */
  readonly terms: TermWeights
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

/**
 * Analysed term numbers of a field value, memoised: labels (ROME, compétences, permis…) recur
 * across offers. Titles are mostly unique and are analysed word by word instead (see `add`).
 */
class TermCache {
  private readonly entries = new Map<string, Uint32Array>()

  constructor(private readonly limit: number) {}

  get(text: string): Uint32Array {
    let ids = this.entries.get(text)
    if (ids === undefined) {
      ids = Uint32Array.from(new Set(analyze(text)), (term) => TERMS.intern(term))
      if (this.entries.size >= this.limit) this.entries.clear()
      this.entries.set(text, ids)
    }
    return ids
  }
}

const labelTerms = new TermCache(200_000)

/** Per term number: the field it was last counted for, and its weight so far (scratch, reused). */
let countedIn = new Int32Array(1 << 16)
let accumulated = new Uint16Array(1 << 16)
let field = 0

function growScratch(): void {
  const size = Math.max(TERMS.size, countedIn.length * 2)
  const counted = new Int32Array(size)
  counted.set(countedIn)
  countedIn = counted
  const sums = new Uint16Array(size)
  sums.set(accumulated)
  accumulated = sums
}

/**
 * The searchable terms of an offer with their weights: what `extractFeatures` puts in `terms`. The
 * live vocabulary calls it on a removed offer's JSON to know which terms lose a document.
 */
export function weightedTerms(offer: Offre): TermWeights {
  const touched: number[] = []
  const one = (id: number, weight: number) => {
    // A term counts once per field, however many values of the field hold it.
    if (countedIn[id] === field) return
    countedIn[id] = field
    if (accumulated[id] === 0) touched.push(id)
    accumulated[id]! += weight
  }
  const addField = (texts: readonly (string | undefined)[] | undefined, weight: number) => {
    if (texts === undefined) return
    field++
    for (const text of texts) {
      if (text === undefined) continue
      const ids = labelTerms.get(text)
      if (countedIn.length < TERMS.size) growScratch()
      for (let i = 0; i < ids.length; i++) one(ids[i]!, weight)
    }
  }
  field++
  forEachTerm(offer.intitule, (term) => {
    const id = TERMS.intern(term)
    if (countedIn.length < TERMS.size) growScratch()
    one(id, TEXT_FIELD_WEIGHTS.intitule)
  })
  addField([offer.appellationlibelle], TEXT_FIELD_WEIGHTS.appellationlibelle)
  addField([offer.romeLibelle], TEXT_FIELD_WEIGHTS.romeLibelle)
  addField([offer.romeCode], TEXT_FIELD_WEIGHTS.romeCode)
  addField(offer.competences?.map((item) => item.libelle), TEXT_FIELD_WEIGHTS.competences)
  addField(offer.formations?.map((item) => item.domaineLibelle), TEXT_FIELD_WEIGHTS.formations)
  addField(offer.permis?.map((item) => item.libelle), TEXT_FIELD_WEIGHTS.permis)
  addField(offer.langues?.map((item) => item.libelle), TEXT_FIELD_WEIGHTS.langues)
  const ids = Uint32Array.from(touched)
  const weights = new Uint8Array(touched.length)
  for (let i = 0; i < touched.length; i++) {
    const id = touched[i]!
    weights[i] = Math.min(accumulated[id]!, 255)
    accumulated[id] = 0
  }
  return { ids, weights }
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
const NONE: readonly never[] = []

function partnersOf(offer: Offre): readonly string[] {
  const partenaires = offer.origineOffre.partenaires
  if (partenaires === undefined || partenaires.length === 0) return NONE
  const names: string[] = []
  for (const partenaire of partenaires) {
    const name = partenaire.nom?.toUpperCase()
    if (name !== undefined && !names.includes(name)) names.push(name)
  }
  return names
}

/** Where an offer is, in the referentials' codes (and its point, when known). */
export interface Place {
  commune?: string | undefined
  departement?: string | undefined
  region?: string | undefined
  pays?: string | undefined
  latitude?: number | undefined
  longitude?: number | undefined
}

/**
 * Where an offer is, from its `lieuTravail`: its commune (with the commune's centre), else the
 * département, region or country its label names (with the offer's own point, if any).
 */
export function placeOf(offer: Offre, referentials: Referentials): Place {
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
  const hasPoint = lieu.latitude !== undefined && lieu.longitude !== undefined
  const latitude = hasPoint ? lieu.latitude : undefined
  const longitude = hasPoint ? lieu.longitude : undefined
  const label = lieu.libelle?.trim() ?? ''
  const departementCode =
    DEPARTEMENT_PREFIX.exec(label)?.[1] ??
    (/^\d{2,3}$|^2[AB]$/.test(label) ? label : undefined) ??
    referentials.departementCodeOf(label)
  const departement = departementCode === undefined ? undefined : referentials.departements.get(departementCode)
  if (departement) {
    return { departement: departement.code, region: departement.region.code, pays: '01', latitude, longitude }
  }
  const region = referentials.regionCodeOf(label)
  if (region !== undefined) return { region, pays: '01', latitude, longitude }
  const pays = label === '' ? undefined : referentials.paysCodeOf(label)
  return { pays, latitude, longitude }
}

/** An offer's appellation codes: the producer's tags and those its label names, once each, sorted. */
export function mergeAppellations(tags: readonly string[], own: readonly string[]): readonly string[] {
  return tags.length === 0 ? own : [...new Set([...tags, ...own])].sort()
}

/** Features derived without the store's metadata (as search documents are), with it. */
export function withMetadata(features: OfferFeatures, metadata: OfferMetadata): OfferFeatures {
  return { ...features, appellations: mergeAppellations(metadata.appellations ?? NONE, features.appellations), mrs: metadata.mrs === true }
}

/** Derives the search features of an offer with the referentials (pure; same input, same output). */
export function extractFeatures(offer: Offre, referentials: Referentials, metadata: OfferMetadata = {}): OfferFeatures {
  const metier = offer.romeCode === undefined ? undefined : referentials.metiers.get(offer.romeCode)
  const fromLabel = offer.appellationlibelle === undefined ? NONE : referentials.appellationCodesOf(offer.appellationlibelle)
  const appellations = mergeAppellations(metadata.appellations ?? NONE, fromLabel)
  const place = placeOf(offer, referentials)
  const converti = offer.dureeTravailLibelleConverti?.toLowerCase()
  const codeNaf = offer.codeNAF
  const secteurActivite = offer.secteurActivite ?? codeNaf?.slice(0, 2)
  const niveaux: string[] = []
  for (const formation of offer.formations ?? NONE) {
    const code = formation.niveauLibelle === undefined ? undefined : referentials.niveauFormationCodeOf(formation.niveauLibelle)
    if (code !== undefined && !niveaux.includes(code)) niveaux.push(code)
  }
  niveaux.sort()
  const permis: string[] = []
  for (const item of offer.permis ?? NONE) {
    const code = referentials.permisCodeOf(item.libelle)
    if (code !== undefined && !permis.includes(code)) permis.push(code)
  }
  permis.sort()
  const natureContrat = offer.natureContrat === undefined ? undefined : referentials.natureCodeOf(offer.natureContrat)
  const continent = place.pays === undefined ? undefined : referentials.paysContinents.get(place.pays)
  // One object literal with every key (undefined when absent): spreading optional parts would
  // allocate a dozen temporaries per offer, which shows at a million offers.
  return {
    id: offer.id,
    dateCreation: Date.parse(offer.dateCreation),
    origine: offer.origineOffre.origine,
    partners: partnersOf(offer),
    typeContrat: offer.typeContrat,
    natureContrat,
    experienceExige: offer.experienceExige,
    experience: experienceBucket(offer.experienceExige, offer.experienceLibelle),
    qualification: offer.qualificationCode,
    romeCode: offer.romeCode,
    domaine: metier?.domaine,
    grandDomaine: metier?.grandDomaine,
    themes: metier?.themes ?? NONE,
    appellations,
    codeNaf,
    secteurActivite,
    commune: place.commune,
    departement: place.departement,
    region: place.region,
    pays: place.pays,
    continent,
    latitude: place.latitude,
    longitude: place.longitude,
    niveauxFormation: niveaux,
    permis,
    salary: parseSalary(offer.salaire?.libelle),
    weeklyMinutes: parseWeeklyMinutes(offer.dureeTravailLibelle),
    contractMonths: parseContractMonths(offer.typeContratLibelle),
    dureeHebdo: converti === 'temps plein' ? '1' : converti === 'temps partiel' ? '2' : '0',
    accessibleTH: offer.accessibleTH === true,
    entrepriseAdaptee: offer.entrepriseAdaptee === true || offer.entreprise?.entrepriseAdaptee === true,
    employeurHandiEngage: offer.employeurHandiEngage === true,
    offresManqueCandidats: offer.offresManqueCandidats === true,
    mrs: metadata.mrs === true,
    terms: weightedTerms(offer),
  }
}
