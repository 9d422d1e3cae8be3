import { lowerBound } from './columns.js'
import { distanceKm } from './geo.js'
import type { Candidates, IndexData, ResolvedGeo } from './index-data.js'
import type { SearchQuery } from './search-query.js'

/** The first `wanted` matches in result order. */
export function order(data: IndexData, candidates: Candidates, query: SearchQuery, geo: ResolvedGeo | undefined, wanted: number): Uint32Array {
  const { docs, count, scores } = candidates
  const distances = geo ? distancesToCentres(data, docs, count, geo) : undefined
  const hasScores = scores !== undefined && query.keywords !== undefined && query.keywords.length > 0
  const dates = data.date.values
  const naturalEnd = data.naturalEnd
  // Positions (not documents) are sorted so that scores and distances stay aligned.
  const natural = (a: number, b: number) => {
    const da = docs[a]!
    const db = docs[b]!
    return da < naturalEnd && db < naturalEnd ? da - db : data.compareDocs(da, db)
  }
  const byScore = (a: number, b: number) => (hasScores ? scores[b]! - scores[a]! : 0)
  const byDistance = (a: number, b: number) => (distances ? distances[a]! - distances[b]! : 0)
  const byDate = (a: number, b: number) => dates[docs[b]!]! - dates[docs[a]!]!
  let compare: (a: number, b: number) => number
  switch (query.sort) {
    case 0:
      compare = (a, b) => byScore(a, b) || byDistance(a, b) || natural(a, b)
      break
    case 1:
      compare = (a, b) => byDate(a, b) || byScore(a, b) || byDistance(a, b) || natural(a, b)
      break
    case 2:
      compare = (a, b) => byDistance(a, b) || byScore(a, b) || natural(a, b)
      break
  }
  const toDocs = (positions: Uint32Array) => Uint32Array.from(positions, (position) => docs[position]!)
  if (hasScores && query.sort !== 1) return toDocs(selectTop(count, wanted, compare))
  // The fast paths below rely on the prefix's numbering: they order the prefix's candidates
  // (which come first, candidates being in document order), then the tail's are ordered on
  // their own and the two merged.
  const prefix = lowerBound(docs, naturalEnd, count)
  if (!hasScores && !distances) {
    // The natural order: the prefix's candidates come in it, the tail's are picked from `tailOrder`.
    if (prefix === count) return docs.slice(0, wanted)
    const tail = data.tailInOrder(docs.subarray(prefix, count), wanted)
    return mergeOrdered(docs.subarray(0, Math.min(wanted, prefix)), tail, wanted, (a, b) => data.compareDocs(a, b))
  }
  const head = orderPrefix(data, prefix, wanted, compare, docs, distances, query.sort === 1)
  if (prefix === count) return toDocs(head)
  const tail = selectTop(count - prefix, wanted, (a, b) => compare(a + prefix, b + prefix)).map((position) => position + prefix)
  return toDocs(mergeOrdered(head, tail, wanted, compare))
}

/**
 * The first `wanted` of the positions `0 … prefix - 1` under `compare`, in order, where the
 * documents at those positions are in the prefix and increasing: there the natural order is the
 * order of the positions. For the date sort, and for the others with distances but no scores.
 */
function orderPrefix(
  data: IndexData,
  prefix: number,
  wanted: number,
  compare: (a: number, b: number) => number,
  docs: Uint32Array,
  distances: Float64Array | undefined,
  byDateFirst: boolean,
): Uint32Array {
  const first = Math.min(wanted, prefix)
  if (first === 0) return new Uint32Array(0)
  if (byDateFirst) {
    // Creation date leads and documents are numbered by date: only the ties at the edge need sorting.
    const dates = data.date.values
    let end = first
    const lastDate = dates[docs[end - 1]!]!
    while (end < prefix && dates[docs[end]!] === lastDate) end++
    return Uint32Array.from({ length: end }, (_, i) => i)
      .sort(compare)
      .subarray(0, first)
  }
  // (Only reached with distances; without, the general way would still hold.)
  if (!distances) return selectTop(prefix, first, compare)
  // Distance, then document number: keep what is nearer than the wanted-th distance, and of the
  // documents at exactly that distance the first ones (they come in document order).
  const limit = kthSmallest(distances.slice(0, prefix), first - 1)
  const kept: number[] = []
  for (let i = 0; i < prefix; i++) if (distances[i]! < limit) kept.push(i)
  for (let i = 0; i < prefix && kept.length < first; i++) if (distances[i] === limit) kept.push(i)
  kept.sort((a, b) => distances[a]! - distances[b]! || docs[a]! - docs[b]!)
  return Uint32Array.from(kept.slice(0, first))
}

/** The distance of each candidate to the nearest centre of the filter, by position. */
function distancesToCentres(data: IndexData, docs: Uint32Array, count: number, geo: ResolvedGeo): Float64Array {
  const { filter } = geo
  const nearest = (latitude: number, longitude: number) => {
    let best = Number.POSITIVE_INFINITY
    for (const centre of filter.centres) {
      const distance = distanceKm(centre.latitude, centre.longitude, latitude, longitude)
      if (distance < best) best = distance
    }
    return best
  }
  // Offers of one commune share its centre: one distance per commune, not per offer.
  const byCommune = new Float64Array(data.communes.size).fill(Number.NaN)
  for (const commune of geo.communes) byCommune[commune] = nearest(data.communeLatitude[commune]!, data.communeLongitude[commune]!)
  const distances = new Float64Array(count)
  const communes = data.commune.values
  const latitudes = data.latitude.values
  const longitudes = data.longitude.values
  for (let i = 0; i < count; i++) {
    const doc = docs[i]!
    const commune = communes[doc]!
    const known = commune >= 0 ? byCommune[commune]! : Number.NaN
    distances[i] = Number.isNaN(known) ? nearest(latitudes[doc]!, longitudes[doc]!) : known
  }
  return distances
}

/** The k-th smallest value (0-based) of `values`, which it reorders (quickselect). */
function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0
  let hi = values.length - 1
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (values[i]! < pivot) i++
      while (values[j]! > pivot) j--
      if (i <= j) {
        const swap = values[i]!
        values[i] = values[j]!
        values[j] = swap
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return values[k]!
  }
  return values[k]!
}

/** The `wanted` smallest positions of 0..count-1 under `compare`, in order (a bounded max-heap). */
function selectTop(count: number, wanted: number, compare: (a: number, b: number) => number): Uint32Array {
  if (count <= wanted * 4) {
    return Uint32Array.from({ length: count }, (_, i) => i)
      .sort(compare)
      .subarray(0, wanted)
  }
  const heap = new Uint32Array(wanted)
  let size = 0
  const siftUp = (index: number) => {
    while (index > 0) {
      const parent = (index - 1) >>> 1
      if (compare(heap[parent]!, heap[index]!) >= 0) return
      ;[heap[parent], heap[index]] = [heap[index]!, heap[parent]!]
      index = parent
    }
  }
  const siftDown = (index: number) => {
    for (;;) {
      const left = index * 2 + 1
      const right = left + 1
      let largest = index
      if (left < size && compare(heap[left]!, heap[largest]!) > 0) largest = left
      if (right < size && compare(heap[right]!, heap[largest]!) > 0) largest = right
      if (largest === index) return
      ;[heap[largest], heap[index]] = [heap[index]!, heap[largest]!]
      index = largest
    }
  }
  for (let position = 0; position < count; position++) {
    if (size < wanted) {
      heap[size++] = position
      siftUp(size - 1)
    } else if (compare(position, heap[0]!) < 0) {
      heap[0] = position
      siftDown(0)
    }
  }
  return heap.sort(compare)
}

/** The first `wanted` items of two lists each ordered by `compare`, in that order. */
export function mergeOrdered(a: Uint32Array, b: Uint32Array, wanted: number, compare: (x: number, y: number) => number): Uint32Array {
  const merged = new Uint32Array(Math.min(wanted, a.length + b.length))
  let i = 0
  let j = 0
  for (let at = 0; at < merged.length; at++) {
    if (j >= b.length || (i < a.length && compare(a[i]!, b[j]!) <= 0)) merged[at] = a[i++]!
    else merged[at] = b[j++]!
  }
  return merged
}
