import { lowerBound } from './columns.js'
import { distanceKm } from './geo.js'
import type { Candidates, IndexData, ResolvedGeo } from './index-data.js'
import { distancesToCentres } from './index-ordering.js'
import type { GeoFilter, SearchQuery, SortKey } from './search-query.js'
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
 * Compares an offer's values with a key in the query's order: negative when the offer comes
 * before the key, positive after, 0 for the key's own offer. The same tie-breakers as `order`.
 */
function compareWithKey(
  sort: SearchQuery['sort'],
  scored: boolean,
  located: boolean,
  score: number,
  distance: number,
  date: number,
  origine: number,
  id: string,
  key: SortKey,
): number {
  const byScore = scored ? key.score - score : 0
  const byDistance = located ? distance - key.distance : 0
  const natural = key.date - date || key.origine - origine || (id > key.id ? -1 : id < key.id ? 1 : 0)
  switch (sort) {
    case 0:
      return byScore || byDistance || natural
    case 1:
      return key.date - date || byScore || byDistance || natural
    case 2:
      return byDistance || byScore || natural
  }
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
  const dates = data.date.values
  const origins = data.origine.values
  const after = (position: number, distance: number) => {
    const doc = docs[position]!
    return (
      compareWithKey(query.sort, scored, geo !== undefined, scored ? scores[position]! : 0, distance, dates[doc]!, origins[doc]!, data.idOf(doc), key) > 0
    )
  }
  if (!scored && !geo) {
    const prefix = lowerBound(docs, data.naturalEnd, count)
    let lo = 0
    let hi = prefix
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (after(mid, 0)) hi = mid
      else lo = mid + 1
    }
    let kept = 0
    for (let i = lo; i < count; i++) {
      if (i < prefix || after(i, 0)) {
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
    if (after(i, distances ? distances[i]! : 0)) {
      docs[kept] = docs[i]!
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
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
