import { Bitset } from './bitset.js'
import type { Dictionary } from './columns.js'
import { distanceKm } from './geo.js'
import {
  EXIGENCES,
  FLAG_ACCESSIBLE_TH,
  FLAG_ENTREPRISE_ADAPTEE,
  FLAG_HANDI_ENGAGE,
  FLAG_MANQUE_CANDIDATS,
  FLAG_MRS,
  NONE16,
  SALARY_PERIODS,
  type Candidates,
  type IndexData,
  type ResolvedGeo,
} from './index-data.js'
import { facetTable } from './index-facets.js'
import { known, romeNumbers } from './index-planning.js'
import { salaryInParts, type SalaryPeriod } from './offer-features.js'
import type { SearchQuery } from './search-query.js'

/** The table that accepts live documents in `keepWhere` on the alive column. */
const ALIVE = Uint8Array.of(0, 1)

/*
 * The passes below are plain loops over typed arrays, one function per kind of test: a generic
 * pass taking a test function would call it indirectly for each of up to a million documents.
 */

/** Keeps the candidates whose value in `column` is accepted by `allowed` (a table indexed by value). */
function keepWhere(candidates: Candidates, column: Uint8Array | Uint16Array, allowed: Uint8Array): void {
  const { docs, scores } = candidates
  let kept = 0
  if (scores) {
    for (let i = 0; i < candidates.count; i++) {
      const doc = docs[i]!
      docs[kept] = doc
      scores[kept] = scores[i]!
      kept += allowed[column[doc]!]!
    }
  } else {
    // Branch-free, as in `everything`.
    for (let i = 0; i < candidates.count; i++) {
      const doc = docs[i]!
      docs[kept] = doc
      kept += allowed[column[doc]!]!
    }
  }
  candidates.count = kept
}

/** Keeps the candidates whose value lies in [min, max]. */
function keepBetween(candidates: Candidates, column: Uint16Array | Float64Array, min: number, max: number): void {
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    const value = column[doc]!
    if (value >= min && value <= max) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

/** Keeps the candidates having at least one of the bits of `mask`. */
function keepAnyBit(candidates: Candidates, column: Uint8Array | Uint16Array | Uint32Array, mask: number): void {
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    if ((column[doc]! & mask) !== 0) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

/** Keeps the candidates having all the bits of `mask`. */
function keepAllBits(candidates: Candidates, column: Uint8Array, mask: number): void {
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    if ((column[doc]! & mask) === mask) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

/** Keeps the candidates in a set. */
function keepMembers(candidates: Candidates, members: Bitset): void {
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    if (members.has(doc)) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

/** Keeps the candidates that satisfy every criterion, one pass per criterion. */
export function narrow(data: IndexData, candidates: Candidates, query: SearchQuery, geo: ResolvedGeo | undefined): void {
  if (!candidates.prefiltered) {
    keepWhere(candidates, data.alive.values, ALIVE)
    const facets = facetTable(data, query)
    if (facets) keepWhere(candidates, data.facetKey.values, facets)
  }
  const table = (dictionary: Dictionary, codes: readonly string[], size = 256) => {
    const allowed = new Uint8Array(size)
    for (const code of codes) {
      const number = dictionary.get(code)
      if (number !== undefined && number < size - 1) allowed[number] = 1
    }
    return allowed
  }
  const romes = romeNumbers(data, query)
  if (romes) {
    const allowed = new Uint8Array(NONE16 + 1)
    for (const number of romes) allowed[number] = 1
    keepWhere(candidates, data.rome.values, allowed)
  }
  if (query.appellations) {
    const members = new Bitset(data.ids.length)
    members.addAll(data.byAppellation.union(query.appellations.flatMap((code) => known(data.appellationCodes, code))))
    keepMembers(candidates, members)
  }
  if (query.codesNaf) keepWhere(candidates, data.naf.values, table(data.nafs, query.codesNaf, NONE16 + 1))
  if (query.secteursActivite) keepWhere(candidates, data.secteur.values, table(data.secteurs, query.secteursActivite))
  if (query.experienceExigences) {
    const allowed = new Uint8Array(4)
    for (const value of query.experienceExigences) {
      const number = EXIGENCES.indexOf(value as (typeof EXIGENCES)[number])
      if (number > 0) allowed[number] = 1
    }
    keepWhere(candidates, data.exigence.values, allowed)
  }
  if (query.origine) {
    const allowed = new Uint8Array(3)
    allowed[query.origine === '1' ? 1 : 2] = 1
    keepWhere(candidates, data.origine.values, allowed)
  }
  if (query.dureesHebdo) {
    const allowed = new Uint8Array(3)
    for (const value of query.dureesHebdo) allowed[Number(value)] = 1
    keepWhere(candidates, data.dureeHebdo.values, allowed)
  }
  if (query.weeklyMinutesMin !== undefined || query.weeklyMinutesMax !== undefined) {
    // 0 means "not stated": the lower bound is at least 1 minute.
    keepBetween(candidates, data.weekly.values, Math.max(1, query.weeklyMinutesMin ?? 0), query.weeklyMinutesMax ?? Infinity)
  }
  if (query.contractMonthsMin !== undefined || query.contractMonthsMax !== undefined) {
    // Not stated is NaN, which no bound accepts.
    keepBetween(candidates, data.contractMonths.values, query.contractMonthsMin ?? 0, query.contractMonthsMax ?? Infinity)
  }
  if (geo) keepNear(data, candidates, geo)
  if (query.departements) keepWhere(candidates, data.departement.values, table(data.departements, query.departements))
  if (query.regions) keepWhere(candidates, data.region.values, table(data.regions, query.regions))
  if (query.paysContinents) keepPaysContinents(data, candidates, query.paysContinents, table(data.continents, query.paysContinents))
  if (query.niveauxFormation) keepAnyBit(candidates, data.niveaux.values, mask(data.niveauCodes, query.niveauxFormation))
  if (query.permis) keepAnyBit(candidates, data.permis.values, mask(data.permisCodes, query.permis))
  if (query.salary) keepSalary(data, candidates, query.salary.min, query.salary.period)
  let required = 0
  if (query.accessibleTH) required |= FLAG_ACCESSIBLE_TH
  if (query.offresManqueCandidats) required |= FLAG_MANQUE_CANDIDATS
  if (query.mrs) required |= FLAG_MRS
  if (required !== 0) keepAllBits(candidates, data.flags.values, required)
  const handicap =
    (query.entrepriseAdaptee ? FLAG_ENTREPRISE_ADAPTEE : 0) | (query.employeurHandiEngage ? FLAG_HANDI_ENGAGE : 0)
  if (handicap !== 0) keepAnyBit(candidates, data.flags.values, handicap)
  if ((query.createdFrom !== undefined || query.createdTo !== undefined) && !candidates.dateExact) {
    keepBetween(candidates, data.date.values, query.createdFrom ?? -Infinity, query.createdTo ?? Infinity)
  }
  if (query.partners) keepPartners(data, candidates, query.partners)
}

/** The bits of the codes in a bitmask column. */
function mask(dictionary: Dictionary, codes: readonly string[]): number {
  let mask = 0
  for (const code of codes) {
    const bit = dictionary.get(code)
    if (bit !== undefined) mask |= 1 << bit
  }
  return mask >>> 0
}

/** Keeps the candidates within the resolved geographic filter. */
function keepNear(data: IndexData, candidates: Candidates, geo: ResolvedGeo): void {
  const { allowed, filter } = geo
  const communes = data.commune.values
  const latitudes = data.latitude.values
  const longitudes = data.longitude.values
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    const commune = communes[doc]!
    let inside: boolean
    if (commune >= 0) {
      inside = allowed[commune] === 1
    } else if (filter.radiusKm === 0 || Number.isNaN(latitudes[doc]!)) {
      inside = false
    } else {
      inside = false
      for (const centre of filter.centres) {
        if (distanceKm(centre.latitude, centre.longitude, latitudes[doc]!, longitudes[doc]!) <= filter.radiusKm) {
          inside = true
          break
        }
      }
    }
    if (inside) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

function keepPaysContinents(data: IndexData, candidates: Candidates, codes: readonly string[], continents: Uint8Array): void {
  const pays = new Uint8Array(NONE16 + 1)
  for (const code of codes) {
    const number = data.paysCodes.get(code)
    if (number !== undefined) pays[number] = 1
  }
  const paysColumn = data.pays.values
  const continentColumn = data.continent.values
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    if (pays[paysColumn[doc]!] === 1 || continents[continentColumn[doc]!] === 1) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

function keepSalary(data: IndexData, candidates: Candidates, min: number, period: SalaryPeriod): void {
  const periods = data.salaryPeriod.values
  const highs = data.salaryHigh.values
  const months = data.salaryMonths.values
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    const own = periods[doc]!
    if (own === 0) continue
    const value = salaryInParts(SALARY_PERIODS[own - 1]!, highs[doc]!, months[doc]!, period)
    if (value !== undefined && value >= min) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

function keepPartners(data: IndexData, candidates: Candidates, partners: NonNullable<SearchQuery['partners']>): void {
  const listed = new Uint8Array(data.partners.size + 1)
  for (const name of partners.names) {
    const number = data.partners.get(name.toUpperCase())
    if (number !== undefined) listed[number] = 1
  }
  const include = partners.mode === 'INCLUS'
  const origins = data.origine.values
  const partnerColumn = data.partner.values
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    let pass = true
    if (origins[doc] !== 1) {
      const partner = partnerColumn[doc]!
      let isListed = partner >= 0 && listed[partner] === 1
      if (!isListed) isListed = data.extraPartners.get(doc)?.some((number) => listed[number] === 1) ?? false
      pass = include ? isListed : !isListed
    }
    if (pass) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}
