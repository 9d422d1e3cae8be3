import type { Candidates, IndexData, ResolvedGeo } from './index-data.js'
import { facetKeysAllowed, facetTable, foldFacets } from './index-facets.js'
import { mergeOrdered } from './index-ordering.js'
import { dedupeSorted, gallop, mergeUnion, type ValuePostings } from './index-structures.js'
import { lowerBound, type Dictionary, type Postings } from './columns.js'
import { distanceKm } from './geo.js'
import { extendedKeywordCandidates } from './keyword-match.js'
import { TERMS } from './terms.js'
import type { FacetCounts, GeoFilter, ResultWindow, SearchQuery } from './search-query.js'

/** Length of one degree of latitude on the sphere `distanceKm` uses (π × 6371.0088 / 180). */
const KM_PER_DEGREE_OF_LATITUDE = 111.19508

/** Below this share of the corpus, a criterion's postings are a cheaper start than a full scan. */
const SELECTIVE_SHARE = 0.25

/** The original's page size. */
const MAX_PAGE = 150

/** A search's matches: the total, the facets and the first matches in result order. */
export interface OrderedMatches {
  readonly total: number
  readonly facets: readonly FacetCounts[]
  /** The first matches in result order (at least up to the window asked for). */
  readonly ordered: Uint32Array
}

/**
 * How many of `total` matches to order for `window`: a first page is ordered a little deeper so
 * that the next page usually comes from the cache.
 */
export function orderedDepth(total: number, window: ResultWindow): number {
  return Math.min(total, Math.max(window.end + 1, window.start === 0 ? 2 * MAX_PAGE : 0))
}

/**
 * For a search on contract type, nature, experience and qualification only (and the default
 * search, on nothing), the table of facet combinations that match; undefined otherwise. Such
 * searches — the broadest, so the costliest to scan — are answered from the live counts of
 * facet combinations, and their window from the first matching documents in date order.
 */
export function facetOnly(data: IndexData, query: SearchQuery): Uint8Array | undefined {
  for (const key of Object.keys(query) as (keyof SearchQuery)[]) {
    if (key !== 'sort' && key !== 'typesContrat' && key !== 'naturesContrat' && key !== 'experiences' && key !== 'qualifications') {
      return undefined
    }
  }
  return facetKeysAllowed(data, query)
}

/** The total and facets of a search that `facetOnly` accepted, from the live counts of facet combinations. */
export function countOnFacets(data: IndexData, allowed: Uint8Array): { total: number; facets: FacetCounts[] } {
  const combinations = data.facetCombinations
  let total = 0
  for (let key = 0; key < combinations.length; key++) {
    if (allowed[key] === 1) {
      combinations[key] = data.liveCombinations[key]!
      total += combinations[key]!
    } else {
      combinations[key] = 0
    }
  }
  return { total, facets: foldFacets(data, combinations) }
}

/** Answers a search that `facetOnly` accepted, with the table of facet combinations it returned. */
export function runOnFacets(data: IndexData, allowed: Uint8Array, window: ResultWindow): OrderedMatches {
  const { total, facets } = countOnFacets(data, allowed)
  const wanted = orderedDepth(total, window)
  const size = window.start >= total ? 0 : wanted
  const alive = data.alive.values
  const keys = data.facetKey.values
  // The first matches of the prefix are its first matching documents, those of the tail its
  // first ones in `tailOrder`; the two are merged.
  const first = new Uint32Array(size)
  let found = 0
  for (let doc = 0; found < size && doc < data.naturalEnd; doc++) {
    if (alive[doc] === 1 && allowed[keys[doc]!] === 1) first[found++] = doc
  }
  if (size === 0 || data.naturalEnd === data.ids.length) return { total, facets, ordered: first }
  const tail = new Uint32Array(size)
  let inTail = 0
  for (const doc of data.sortedTail()) {
    if (inTail === size) break
    if (alive[doc] === 1 && allowed[keys[doc]!] === 1) tail[inTail++] = doc
  }
  const ordered = mergeOrdered(first.subarray(0, found), tail.subarray(0, inTail), size, (a, b) => data.compareDocs(a, b))
  return { total, facets, ordered }
}

/** The communes a geographic filter accepts (radius around its centres, whole cities). */
export function resolveGeo(data: IndexData, filter: GeoFilter): ResolvedGeo {
  const allowed = new Uint8Array(data.communes.size)
  const communes: number[] = []
  const allow = (commune: number) => {
    if (allowed[commune] === 0) {
      allowed[commune] = 1
      communes.push(commune)
    }
  }
  const withMembers = (commune: number) => {
    allow(commune)
    for (const member of data.cityMembers.get(commune) ?? []) allow(member)
  }
  for (const code of filter.wholeCities) {
    const city = data.communes.get(code)
    if (city !== undefined) withMembers(city)
  }
  for (const centre of filter.centres) {
    if (filter.radiusKm === 0) {
      // Radius 0 is "this commune only": a point given by coordinates has no commune to stand for.
      const commune = centre.commune === undefined ? undefined : data.communes.get(centre.commune)
      if (commune !== undefined) withMembers(commune)
      continue
    }
    // A point farther in latitude than the radius is farther in distance: only the band is measured.
    const band = filter.radiusKm / KM_PER_DEGREE_OF_LATITUDE + 1e-6
    const latitudes = data.sortedLatitudes
    let at = lowerBound(latitudes, centre.latitude - band)
    for (; at < latitudes.length && latitudes[at]! <= centre.latitude + band; at++) {
      const commune = data.communesByLatitude[at]!
      const distance = distanceKm(centre.latitude, centre.longitude, latitudes[at]!, data.communeLongitude[commune]!)
      if (distance <= filter.radiusKm) allow(commune)
    }
  }
  communes.sort((a, b) => a - b)
  return { filter, allowed, communes }
}

/** The starting set: keyword postings, else the most selective code postings, else everything. */
export function startingCandidates(data: IndexData, query: SearchQuery, geo: ResolvedGeo | undefined): Candidates {
  if (query.keywords && query.keywords.length > 0) {
    if (!query.extendedKeywords) return keywordCandidates(data, query.keywords)
    const postingsOf = (term: string) => {
      const number = TERMS.get(term)
      return number === undefined ? undefined : data.terms[number]
    }
    const appellationDocs = (codes: readonly string[]) =>
      data.byAppellation.union(codes.flatMap((code) => known(data.appellationCodes, code)), data.ids.length)
    return extendedKeywordCandidates(query.keywords, query.extendedKeywords, postingsOf, appellationDocs)
  }
  const options: { size: number; docs: () => Uint32Array }[] = []
  const consider = (postings: ValuePostings, values: number[] | undefined, extra?: Postings) => {
    if (values === undefined) return
    options.push({
      size: postings.sizeOf(values) + (extra?.length ?? 0),
      docs: () => {
        const docs = postings.union(values, data.ids.length)
        if (!extra || extra.length === 0) return docs
        const merged = new Uint32Array(docs.length + extra.length)
        merged.set(docs)
        merged.set(extra.docs.subarray(0, extra.length), docs.length)
        return dedupeSorted(merged.sort())
      },
    })
  }
  consider(data.byRome, romeNumbers(data, query))
  consider(data.byAppellation, query.appellations?.flatMap((code) => known(data.appellationCodes, code)))
  if (geo) consider(data.byCommune, geo.communes, geo.filter.radiusKm > 0 ? data.pointOnly : undefined)
  consider(data.byDepartement, query.departements?.flatMap((code) => known(data.departements, code)))
  consider(data.byRegion, query.regions?.flatMap((code) => known(data.regions, code)))
  consider(data.byNaf, query.codesNaf?.flatMap((code) => known(data.nafs, code)))
  if (query.typesContrat || query.naturesContrat) {
    // typeContrat OR natureContrat: the union of both lists.
    const types = (query.typesContrat ?? []).flatMap((code) => known(data.types, code))
    const natures = (query.naturesContrat ?? []).flatMap((code) => known(data.natures, code))
    options.push({
      size: data.byType.sizeOf(types) + data.byNature.sizeOf(natures),
      docs: () => mergeUnion(data.byType.union(types, data.ids.length), data.byNature.union(natures, data.ids.length)),
    })
  }
  // The prefix is numbered by creation date: there a date range is a range of numbers.
  const range = dateRange(data, query)
  const tail = range.exact ? data.ids.length - data.naturalEnd : 0
  const best = options.sort((a, b) => a.size - b.size)[0]
  if (best && best.size < Math.min(data.ids.length * SELECTIVE_SHARE, range.to - range.from + tail)) {
    const docs = best.docs()
    return { docs, count: docs.length, scores: undefined }
  }
  const facets = facetTable(data, query)
  if (!range.exact) return everything(data, range.from, range.to, facets)
  const all = everything(data, range.from, range.to, facets, {
    from: query.createdFrom ?? -Infinity,
    to: query.createdTo ?? Infinity,
  })
  all.dateExact = true
  return all
}

/**
 * The live documents `from`…`to - 1` passing the facet table if given, in a reused buffer (the
 * caller narrows it in place and copies out). With `tailDates`, `from`…`to - 1` lie in the
 * prefix, and the tail's documents created within those bounds follow them.
 */
function everything(data: IndexData, from: number, to: number, facets?: Uint8Array, tailDates?: { from: number; to: number }): Candidates {
  if (data.scratch.length < data.ids.length) data.scratch = new Uint32Array(Math.ceil(data.ids.length * 1.25))
  const docs = data.scratch
  const alive = data.alive.values
  let count = 0
  // Branch-free: every document is written, the count only moves past the kept ones (a test
  // passing about half the time would otherwise mispredict every other document).
  if (facets) {
    const keys = data.facetKey.values
    for (let doc = from; doc < to; doc++) {
      docs[count] = doc
      count += alive[doc]! & facets[keys[doc]!]!
    }
  } else {
    for (let doc = from; doc < to; doc++) {
      docs[count] = doc
      count += alive[doc]!
    }
  }
  if (tailDates) {
    const dates = data.date.values
    const keys = data.facetKey.values
    for (let doc = data.naturalEnd; doc < data.ids.length; doc++) {
      const date = dates[doc]!
      if (alive[doc] === 1 && date >= tailDates.from && date <= tailDates.to && (!facets || facets[keys[doc]!] === 1)) {
        docs[count++] = doc
      }
    }
  }
  return { docs, count, scores: undefined, prefiltered: true }
}

/**
 * The documents that can match the creation date bounds: all of them when there are none (not
 * exact); otherwise the numbers of the prefix's documents within the bounds (exact), to which
 * the tail's own matches are added.
 */
function dateRange(data: IndexData, query: SearchQuery): { from: number; to: number; exact: boolean } {
  if (query.createdFrom === undefined && query.createdTo === undefined) return { from: 0, to: data.ids.length, exact: false }
  const count = data.naturalEnd
  const dates = data.date.values
  // In the prefix, dates decrease with the number: find the first document not newer than
  // createdTo, and the first one older than createdFrom.
  const firstAtOrBefore = (limit: number, strict: boolean) => {
    let lo = 0
    let hi = count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (strict ? dates[mid]! >= limit : dates[mid]! > limit) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const from = query.createdTo === undefined ? 0 : firstAtOrBefore(query.createdTo, false)
  const to = query.createdFrom === undefined ? count : firstAtOrBefore(query.createdFrom, true)
  return { from, to: Math.max(from, to), exact: true }
}

/** The number of a code in a dictionary, as a list of zero or one number. */
export function known(dictionary: Dictionary, code: string): number[] {
  const number = dictionary.get(code)
  return number === undefined ? [] : [number]
}

/** Intersection of the postings of every keyword term, with the summed weights as scores. */
function keywordCandidates(data: IndexData, keywords: SearchQuery['keywords'] & object): Candidates {
  const multiplicity = new Map<string, number>()
  for (const keyword of keywords) {
    for (const term of new Set(keyword)) multiplicity.set(term, (multiplicity.get(term) ?? 0) + 1)
  }
  const lists: { postings: Postings; times: number }[] = []
  for (const [term, times] of multiplicity) {
    const number = TERMS.get(term)
    const postings = number === undefined ? undefined : data.terms[number]
    if (!postings || postings.length === 0) return { docs: new Uint32Array(0), count: 0, scores: undefined }
    lists.push({ postings, times })
  }
  lists.sort((a, b) => a.postings.length - b.postings.length)
  const first = lists[0]
  if (!first) return { ...everything(data, 0, data.ids.length), prefiltered: false, scores: new Uint16Array(data.ids.length) }
  const docs = first.postings.docs.slice(0, first.postings.length)
  const scores = new Uint16Array(docs.length)
  const firstWeights = first.postings.weights!
  for (let i = 0; i < docs.length; i++) scores[i] = firstWeights[i]! * first.times
  let count = docs.length
  for (let l = 1; l < lists.length && count > 0; l++) {
    const { postings, times } = lists[l]!
    const weights = postings.weights!
    let at = 0
    let kept = 0
    for (let i = 0; i < count; i++) {
      const doc = docs[i]!
      at = gallop(postings.docs, postings.length, at, doc)
      if (at === postings.length) break
      if (postings.docs[at] === doc) {
        docs[kept] = doc
        scores[kept] = scores[i]! + weights[at]! * times
        kept++
      }
    }
    count = kept
  }
  return { docs, count, scores }
}

/** ROME numbers allowed by codeROME, domaine, grandDomaine and theme together, or undefined if unconstrained. */
export function romeNumbers(data: IndexData, query: SearchQuery): number[] | undefined {
  if (!query.romeCodes && !query.domaines && !query.grandsDomaines && !query.themes) return undefined
  const numbers: number[] = []
  for (const [code, metier] of data.referentials.metiers) {
    if (query.romeCodes && !query.romeCodes.includes(code)) continue
    if (query.domaines && !query.domaines.includes(metier.domaine)) continue
    if (query.grandsDomaines && !query.grandsDomaines.includes(metier.grandDomaine)) continue
    if (query.themes && !metier.themes.some((theme) => query.themes?.includes(theme))) continue
    const number = data.romes.get(code)
    if (number !== undefined) numbers.push(number)
  }
  return numbers
}
