import { lowerBound } from './columns.js'
import { distanceKm } from './geo.js'
import type { Candidates, IndexData, ResolvedGeo } from './index-data.js'
import { distancesToCentres, mergeOrdered } from './index-ordering.js'
import { countOnFacets } from './index-planning.js'
import type { FacetCounts, GeoFilter, SearchQuery, SortKey } from './search-query.js'
import { TERMS } from './terms.js'

/*
 * Keyset paging: a page continues after the sort key of the last offer seen, not at an offset, so
 * that offers added or removed meanwhile shift nothing. A key holds every value the sorts compare
 * (relevance score, distance, creation date, origin) and the offer's id, which ends every order:
 * two offers never have the same key, and an offer's key only changes if the offer does.
 */

/** Whether the query's order compares relevance scores (as `order` does). */
function hasScores(query: SearchQuery): boolean {
  return query.keywords !== undefined && query.keywords.length > 0
}

/**
 * Compares a document with a key in the query's order: negative when the document comes before
 * the key, positive after, 0 for the key's own offer. The same tie-breakers as `order`; the id
 * (a lookup) is read only when everything else ties.
 */
function compareWithKey(
  data: IndexData,
  sort: SearchQuery['sort'],
  doc: number,
  score: number | undefined,
  distance: number | undefined,
  key: SortKey,
): number {
  const byScore = score === undefined ? 0 : key.score - score
  const byDistance = distance === undefined ? 0 : distance - key.distance
  const byDate = key.date - data.date.values[doc]!
  let first: number
  switch (sort) {
    case 0:
      first = byScore || byDistance
      break
    case 1:
      first = byDate || byScore || byDistance
      break
    case 2:
      first = byDistance || byScore
      break
  }
  return first || byDate || key.origine - data.origine.values[doc]! || compareIds(data.idOf(doc), key.id)
}

/** Ids in the natural order: descending. */
function compareIds(a: string, b: string): number {
  return a > b ? -1 : a < b ? 1 : 0
}

/**
 * Keeps, in place, the candidates that come strictly after `key` in the query's order. In the
 * natural order (no keywords, no place) the prefix's candidates are already in that order, so
 * their cut is found by binary search; otherwise each candidate is compared with the key.
 */
export function keepAfter(
  data: IndexData,
  candidates: Candidates,
  query: SearchQuery,
  geo: ResolvedGeo | undefined,
  key: SortKey,
): void {
  const { docs, scores, count } = candidates
  const scored = hasScores(query) && scores !== undefined
  const after = (position: number, distance: number | undefined) =>
    compareWithKey(data, query.sort, docs[position]!, scored ? scores[position] : undefined, distance, key) > 0
  if (!scored && !geo) {
    const prefix = lowerBound(docs, data.naturalEnd, count)
    let lo = 0
    let hi = prefix
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (after(mid, undefined)) hi = mid
      else lo = mid + 1
    }
    let kept = 0
    for (let i = lo; i < count; i++) {
      if (i < prefix || after(i, undefined)) {
        docs[kept] = docs[i]!
        if (scores) scores[kept] = scores[i]!
        kept++
      }
    }
    candidates.count = kept
    return
  }
  const distances = geo ? distancesToCentres(data, docs, count, geo) : undefined
  let kept = 0
  for (let i = 0; i < count; i++) {
    if (after(i, distances?.[i])) {
      docs[kept] = docs[i]!
      if (scores) scores[kept] = scores[i]!
      if (distances) distances[kept] = distances[i]!
      kept++
    }
  }
  candidates.count = kept
  // Kept aligned with the candidates, so that ordering them does not measure again.
  if (distances) candidates.distances = distances.subarray(0, kept)
}

/**
 * A page after `key` (from the first match without it) of a search that `facetOnly` accepted
 * (`allowed` its table): such searches are in the natural order, which in the prefix is the order
 * of the document numbers, so the page starts at a number found by binary search and no list of
 * candidates is built; the total and facets come from the live counts of facet combinations. Only
 * the count of matches after the key reads the rest of the prefix, one tight pass.
 */
export function pageOnFacets(
  data: IndexData,
  allowed: Uint8Array,
  sort: SearchQuery['sort'],
  key: SortKey | undefined,
  size: number,
): { total: number; remaining: number; docs: Uint32Array; facets: FacetCounts[] } {
  const { total, facets } = countOnFacets(data, allowed)
  const alive = data.alive.values
  const keys = data.facetKey.values
  const end = data.naturalEnd
  const after = (doc: number) => key === undefined || compareWithKey(data, sort, doc, undefined, undefined, key) > 0
  // Every document of the prefix, live or not, keeps its place in the natural order.
  let cut = 0
  let hi = end
  while (cut < hi) {
    const mid = (cut + hi) >>> 1
    if (after(mid)) hi = mid
    else cut = mid + 1
  }
  const head = new Uint32Array(size)
  let found = 0
  let remaining = 0
  let doc = cut
  for (; found < size && doc < end; doc++) {
    if (alive[doc] === 1 && allowed[keys[doc]!] === 1) head[found++] = doc
  }
  remaining += found
  // Branch-free, as in `everything`.
  for (; doc < end; doc++) remaining += alive[doc]! & allowed[keys[doc]!]!
  const tail: number[] = []
  for (const tailDoc of data.naturalEnd === data.ids.length ? [] : data.sortedTail()) {
    if (alive[tailDoc] !== 1 || allowed[keys[tailDoc]!] !== 1 || !after(tailDoc)) continue
    remaining++
    if (tail.length < size) tail.push(tailDoc)
  }
  const docs = mergeOrdered(head.subarray(0, found), Uint32Array.from(tail), size, (a, b) => data.compareDocs(a, b))
  return { total, remaining, docs, facets }
}

/** The distance from the nearest centre, measured as `distancesToCentres` measures it. */
function distanceOf(data: IndexData, doc: number, filter: GeoFilter): number {
  const commune = data.commune.values[doc]!
  const latitude = commune >= 0 ? data.communeLatitude[commune]! : data.latitude.values[doc]!
  const longitude = commune >= 0 ? data.communeLongitude[commune]! : data.longitude.values[doc]!
  let best = Number.POSITIVE_INFINITY
  for (const centre of filter.centres) {
    const distance = distanceKm(centre.latitude, centre.longitude, latitude, longitude)
    if (distance < best) best = distance
  }
  return best
}

/** The relevance score of a document, summed as `keywordCandidates` sums it. */
function scoreOf(data: IndexData, doc: number, keywords: NonNullable<SearchQuery['keywords']>): number {
  let score = 0
  for (const keyword of keywords) {
    for (const term of new Set(keyword)) {
      const number = TERMS.get(term)
      const postings = number === undefined ? undefined : data.terms[number]
      if (!postings?.weights) continue
      const at = lowerBound(postings.docs, doc, postings.length)
      if (at < postings.length && postings.docs[at] === doc) score += postings.weights[at]!
    }
  }
  return score
}

/** The sort key of a document under a query (the document should match it). */
export function sortKeyOf(data: IndexData, doc: number, query: SearchQuery): SortKey {
  return {
    score: query.keywords && hasScores(query) ? scoreOf(data, doc, query.keywords) : 0,
    distance: query.geo ? distanceOf(data, doc, query.geo) : 0,
    date: data.date.values[doc]!,
    origine: data.origine.values[doc]!,
    id: data.idOf(doc),
  }
}
