import type { Candidates, IndexData } from './index-data.js'
import { NONE8 } from './index-data.js'
import type { Dictionary } from './columns.js'
import type { FacetCounts, SearchQuery } from './search-query.js'

/** Contract types and natures fit the packed facet key (5 and 6 bits); the last slot means "none". */
const TYPE_SLOTS = 32
const NATURE_SLOTS = 64

/**
 * The facet values of a document in 15 bits: contract type (5), experience (2), qualification
 * group (2: none, non-cadre, cadre), nature (6).
 */
export function facetKey(type: number, experience: number, qualification: number, nature: number): number {
  const typeSlot = type === NONE8 ? TYPE_SLOTS - 1 : Math.min(type, TYPE_SLOTS - 1)
  const natureSlot = nature === NONE8 ? NATURE_SLOTS - 1 : Math.min(nature, NATURE_SLOTS - 1)
  const group = qualification === 0 ? 0 : qualification === 9 ? 2 : 1
  return (typeSlot << 10) | (experience << 8) | (group << 6) | natureSlot
}

/** Which packed facet keys satisfy the contract, experience and qualification criteria. */
export function facetKeysAllowed(data: IndexData, query: SearchQuery): Uint8Array {
  const types = new Uint8Array(TYPE_SLOTS)
  for (const code of query.typesContrat ?? []) {
    const number = data.types.get(code)
    if (number !== undefined && number < TYPE_SLOTS - 1) types[number] = 1
  }
  const natures = new Uint8Array(NATURE_SLOTS)
  for (const code of query.naturesContrat ?? []) {
    const number = data.natures.get(code)
    if (number !== undefined && number < NATURE_SLOTS - 1) natures[number] = 1
  }
  const contract = query.typesContrat !== undefined || query.naturesContrat !== undefined
  const experiences = query.experiences?.map(Number)
  const groups: number[] | undefined = query.qualifications?.map((value) => (value === '9' ? 2 : 1))
  const allowed = new Uint8Array(1 << 15)
  for (let key = 0; key < allowed.length; key++) {
    if (contract && types[key >>> 10] !== 1 && natures[key & 63] !== 1) continue
    if (experiences && !experiences.includes((key >>> 8) & 3)) continue
    if (groups && !groups.includes((key >>> 6) & 3)) continue
    allowed[key] = 1
  }
  return allowed
}

/** The facet-key table of the contract, experience and qualification criteria, if any. */
export function facetTable(data: IndexData, query: SearchQuery): Uint8Array | undefined {
  if (!query.typesContrat && !query.naturesContrat && !query.experiences && !query.qualifications) return undefined
  return facetKeysAllowed(data, query)
}

/** The four facets over the candidates. */
export function countFacets(data: IndexData, candidates: Candidates): FacetCounts[] {
  // One counter per combination of the four facet values, then folded per facet: one read and
  // one increment per matching document.
  const combinations = data.facetCombinations
  combinations.fill(0)
  const keys = data.facetKey.values
  const { docs, count } = candidates
  for (let i = 0; i < count; i++) combinations[keys[docs[i]!]!]!++
  return foldFacets(data, combinations)
}

/** The four facets of `filtresPossibles` from counts per combination of facet values. */
export function foldFacets(data: IndexData, combinations: Uint32Array): FacetCounts[] {
  const types = new Uint32Array(TYPE_SLOTS)
  const experiences = new Uint32Array(4)
  const qualifications = new Uint32Array(3)
  const natures = new Uint32Array(NATURE_SLOTS)
  for (let key = 0; key < combinations.length; key++) {
    const hits = combinations[key]!
    if (hits === 0) continue
    types[key >>> 10]! += hits
    experiences[(key >>> 8) & 3]! += hits
    qualifications[(key >>> 6) & 3]! += hits
    natures[key & 63]! += hits
  }
  const byCode = (dictionary: Dictionary, counts: Uint32Array, slots: number) =>
    dictionary.codes
      .map((code, number) => ({ valeurPossible: code, nbResultats: number < slots - 1 ? counts[number]! : 0 }))
      .filter((item) => item.nbResultats > 0)
      .sort((a, b) => (a.valeurPossible < b.valeurPossible ? -1 : a.valeurPossible > b.valeurPossible ? 1 : 0))
  const qualification = [
    { valeurPossible: '0', nbResultats: qualifications[1]! },
    { valeurPossible: '9', nbResultats: qualifications[2]! },
    { valeurPossible: 'X', nbResultats: qualifications[0]! },
  ].filter((item) => item.nbResultats > 0)
  return [
    { filtre: 'typeContrat', agregation: byCode(data.types, types, TYPE_SLOTS) },
    {
      filtre: 'experience',
      agregation: [...experiences]
        .map((nbResultats, value) => ({ valeurPossible: String(value), nbResultats }))
        .filter((item) => item.nbResultats > 0),
    },
    { filtre: 'qualification', agregation: qualification },
    { filtre: 'natureContrat', agregation: byCode(data.natures, natures, NATURE_SLOTS) },
  ]
}
