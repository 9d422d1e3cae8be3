/**
 * Adjacency of départements, derived from the simplified outlines of `data/geo/departements.geojson`.
 *
 * Each outline was simplified on its own, so the two copies of a shared border no longer share vertices:
 * they are two polylines that wander up to about 0.2 km apart. Two départements are therefore taken as
 * neighbours when a long enough piece of the boundary of each one runs within a small distance of the
 * boundary of the other, measured by sampling every boundary at a fixed step.
 */

/** The subset of a GeoJSON FeatureCollection of département outlines that the computation reads. */
export interface GeoFeatureCollection {
  type: 'FeatureCollection'
  features: {
    type: 'Feature'
    properties: { code: string; nom?: string }
    geometry:
      | { type: 'Polygon'; coordinates: number[][][] }
      | { type: 'MultiPolygon'; coordinates: number[][][][] }
  }[]
}

/**
 * Distance under which two boundaries count as the same border line.
 * Douglas–Peucker at 0.001° moves each copy of a border by at most ~0.1 km and rounding to 1e-4° adds
 * ~0.01 km, so the two copies stay within ~0.22 km of each other; 0.3 km covers that with a margin. It is
 * also well below the narrowest gaps between départements that do not touch: 0.6 km for 04/13 on the
 * Durance near Cadarache, where the 04/84 and 13/83 borders reach the river apart and a short 83/84 border
 * fills the gap; then 1.4 km for 68/70 and 1.8 km for 57/88 near other junctions, 2.3 km for 14/76 across
 * the Seine estuary. (The Gironde estuary is split between 17 and 33 in the source, so it is a border.)
 */
const NEAR_KM = 0.3

/**
 * Length of boundary, in each direction, that must lie within NEAR_KM of the other département.
 * Where two borders merely meet at a point, each arm of the boundary stays within NEAR_KM of the other
 * département only for about NEAR_KM, i.e. ~0.6 km in all for a right-angle corner, so the bar sits above
 * that. It stays below the shortest real border: 83/84 (Var/Vaucluse), ~0.6 km of Durance in the IGN
 * source, measures ~1.3 km here because of the divergence at both ends; the next shortest, 88/90 on the
 * Ballon d'Alsace, measures ~3 km.
 */
const MIN_SHARED_KM = 0.8

/** Spacing of the sample points along boundaries: small against NEAR_KM, so lengths resolve to 0.1 km. */
const SAMPLE_STEP_KM = 0.1

/** Equirectangular scale: kilometres per degree of latitude (and of longitude at the equator). */
const KM_PER_DEGREE = 111.32

/**
 * Side of the square grid cells, ~1.1 km of latitude: segments average ~0.6 km, so each one lands in one
 * or two cells and a query covers a handful; smaller cells made the bucket map itself the bottleneck.
 */
const CELL_DEGREES = 0.01

function kmPerDegreeOfLongitude(latitude: number): number {
  return Math.cos((latitude * Math.PI) / 180) * KM_PER_DEGREE
}

/**
 * Computes, for each département code, the sorted list of codes of the départements that share a border
 * with it.
 *
 * Every code of the collection is a key; départements without any land neighbour (the DROM) map to `[]`.
 * The relation is symmetric by construction.
 */
export function computeDepartementNeighbours(collection: GeoFeatureCollection): Map<string, string[]> {
  const codes = collection.features.map((feature) => feature.properties.code)
  const count = codes.length
  const { segments, owners } = collectSegments(collection)
  const segmentCount = owners.length
  const grid = buildGrid(segments)

  // shared[a * count + b]: length of the boundary of a that lies within NEAR_KM of the boundary of b.
  const shared = new Float64Array(count * count)
  // Stamps dedupe candidates per segment and départements per sample point without allocating sets.
  const candidateStamp = new Int32Array(segmentCount).fill(-1)
  const seenAtSample = new Int32Array(count).fill(-1)
  let sampleId = 0
  // Candidate segments near the current one, already projected into its local frame: [cx, cy, dx, dy].
  let nearCoordinates: Float64Array = new Float64Array(256)
  let nearOwners: Int32Array = new Int32Array(64)

  for (let segment = 0; segment < segmentCount; segment++) {
    const owner = owners[segment] ?? -1
    const lon1 = segments[segment * 4] ?? 0
    const lat1 = segments[segment * 4 + 1] ?? 0
    const lon2 = segments[segment * 4 + 2] ?? 0
    const lat2 = segments[segment * 4 + 3] ?? 0
    // Local planar frame in km with its origin at the first endpoint; over a segment cos(lat) hardly varies.
    const kx = kmPerDegreeOfLongitude((lat1 + lat2) / 2)
    const ex = (lon2 - lon1) * kx
    const ey = (lat2 - lat1) * KM_PER_DEGREE

    // The grid is queried once per segment, over its bounding box grown by NEAR_KM, and only the segments
    // of other départements really within NEAR_KM are kept; along the coast none is left, so no sampling.
    const marginLon = NEAR_KM / kmPerDegreeOfLongitude(Math.max(Math.abs(lat1), Math.abs(lat2)))
    const marginLat = NEAR_KM / KM_PER_DEGREE
    const firstColumn = grid.column(Math.min(lon1, lon2) - marginLon)
    const lastColumn = grid.column(Math.max(lon1, lon2) + marginLon)
    const firstRow = grid.row(Math.min(lat1, lat2) - marginLat)
    const lastRow = grid.row(Math.max(lat1, lat2) + marginLat)
    let nearCount = 0
    for (let column = firstColumn; column <= lastColumn; column++) {
      for (let row = firstRow; row <= lastRow; row++) {
        const bucket = grid.cells.get(grid.key(column, row))
        if (bucket === undefined) continue
        for (const candidate of bucket) {
          const other = owners[candidate] ?? owner
          if (other === owner || candidateStamp[candidate] === segment) continue
          candidateStamp[candidate] = segment
          const cx = ((segments[candidate * 4] ?? 0) - lon1) * kx
          const cy = ((segments[candidate * 4 + 1] ?? 0) - lat1) * KM_PER_DEGREE
          const dx = ((segments[candidate * 4 + 2] ?? 0) - lon1) * kx
          const dy = ((segments[candidate * 4 + 3] ?? 0) - lat1) * KM_PER_DEGREE
          if (segmentsDistance(0, 0, ex, ey, cx, cy, dx, dy) > NEAR_KM) continue
          if (nearCount === nearOwners.length) {
            nearOwners = growInt32(nearOwners)
            nearCoordinates = growFloat64(nearCoordinates)
          }
          nearCoordinates[nearCount * 4] = cx
          nearCoordinates[nearCount * 4 + 1] = cy
          nearCoordinates[nearCount * 4 + 2] = dx
          nearCoordinates[nearCount * 4 + 3] = dy
          nearOwners[nearCount] = other
          nearCount++
        }
      }
    }
    if (nearCount === 0) continue

    const length = Math.hypot(ex, ey)
    const sampleCount = Math.max(1, Math.round(length / SAMPLE_STEP_KM))
    const weight = length / sampleCount
    for (let sample = 0; sample < sampleCount; sample++) {
      const t = (sample + 0.5) / sampleCount
      const px = t * ex
      const py = t * ey
      sampleId++
      for (let near = 0; near < nearCount; near++) {
        const other = nearOwners[near] ?? owner
        if (seenAtSample[other] === sampleId) continue
        const distance = pointToSegmentDistance(
          px,
          py,
          nearCoordinates[near * 4] ?? 0,
          nearCoordinates[near * 4 + 1] ?? 0,
          nearCoordinates[near * 4 + 2] ?? 0,
          nearCoordinates[near * 4 + 3] ?? 0,
        )
        if (distance > NEAR_KM) continue
        seenAtSample[other] = sampleId
        shared[owner * count + other] = (shared[owner * count + other] ?? 0) + weight
      }
    }
  }

  const neighbours = new Map<string, string[]>(codes.map((code) => [code, []]))
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      // Requiring the stretch on both sides keeps the relation symmetric and ignores one-sided artefacts.
      const both = Math.min(shared[a * count + b] ?? 0, shared[b * count + a] ?? 0)
      if (both < MIN_SHARED_KM) continue
      const codeA = codes[a]
      const codeB = codes[b]
      if (codeA === undefined || codeB === undefined) continue
      neighbours.get(codeA)?.push(codeB)
      neighbours.get(codeB)?.push(codeA)
    }
  }
  for (const list of neighbours.values()) list.sort()
  return neighbours
}

/** Every non-degenerate ring edge as [lon1, lat1, lon2, lat2], with the index of its feature. */
function collectSegments(collection: GeoFeatureCollection): { segments: Float64Array; owners: Int32Array } {
  const ringsOf = (feature: GeoFeatureCollection['features'][number]): number[][][] =>
    feature.geometry.type === 'Polygon' ? feature.geometry.coordinates : feature.geometry.coordinates.flat()
  // Counting first lets the coordinates go straight into typed arrays instead of a huge growing JS array.
  let capacity = 0
  for (const feature of collection.features) {
    for (const ring of ringsOf(feature)) capacity += Math.max(0, ring.length - 1)
  }
  const segments = new Float64Array(capacity * 4)
  const owners = new Int32Array(capacity)
  let count = 0
  collection.features.forEach((feature, owner) => {
    for (const ring of ringsOf(feature)) {
      for (let index = 0; index + 1 < ring.length; index++) {
        const lon1 = ring[index]?.[0]
        const lat1 = ring[index]?.[1]
        const lon2 = ring[index + 1]?.[0]
        const lat2 = ring[index + 1]?.[1]
        if (lon1 === undefined || lat1 === undefined || lon2 === undefined || lat2 === undefined) continue
        if (lon1 === lon2 && lat1 === lat2) continue
        segments[count * 4] = lon1
        segments[count * 4 + 1] = lat1
        segments[count * 4 + 2] = lon2
        segments[count * 4 + 3] = lat2
        owners[count] = owner
        count++
      }
    }
  })
  return { segments: segments.subarray(0, count * 4), owners: owners.subarray(0, count) }
}

interface SegmentGrid {
  readonly cells: Map<number, number[]>
  column(longitude: number): number
  row(latitude: number): number
  key(column: number, row: number): number
}

/** Buckets each segment into every cell its bounding box touches. */
function buildGrid(segments: Float64Array): SegmentGrid {
  let minLon = Infinity
  let minLat = Infinity
  let maxLat = -Infinity
  for (let index = 0; index < segments.length; index += 2) {
    minLon = Math.min(minLon, segments[index] ?? Infinity)
    minLat = Math.min(minLat, segments[index + 1] ?? Infinity)
    maxLat = Math.max(maxLat, segments[index + 1] ?? -Infinity)
  }
  // Indices counted from the data's own corner keep keys small integers, which Map hashes much faster.
  // Two spare cells on each side absorb the NEAR_KM margin of queries. Even a key that aliased another
  // cell would only add candidates, and the exact distance test rejects those.
  const originLon = minLon - 2 * CELL_DEGREES
  const originLat = minLat - 2 * CELL_DEGREES
  const rowCount = Math.ceil((maxLat - originLat) / CELL_DEGREES) + 3
  const grid: SegmentGrid = {
    cells: new Map(),
    column: (longitude) => Math.floor((longitude - originLon) / CELL_DEGREES),
    row: (latitude) => Math.floor((latitude - originLat) / CELL_DEGREES),
    key: (column, row) => column * rowCount + row,
  }
  for (let segment = 0; segment * 4 < segments.length; segment++) {
    const lon1 = segments[segment * 4] ?? 0
    const lat1 = segments[segment * 4 + 1] ?? 0
    const lon2 = segments[segment * 4 + 2] ?? 0
    const lat2 = segments[segment * 4 + 3] ?? 0
    const lastColumn = grid.column(Math.max(lon1, lon2))
    const lastRow = grid.row(Math.max(lat1, lat2))
    for (let column = grid.column(Math.min(lon1, lon2)); column <= lastColumn; column++) {
      for (let row = grid.row(Math.min(lat1, lat2)); row <= lastRow; row++) {
        const key = grid.key(column, row)
        const bucket = grid.cells.get(key)
        if (bucket) bucket.push(segment)
        else grid.cells.set(key, [segment])
      }
    }
  }
  return grid
}

function growInt32(array: Int32Array): Int32Array {
  const grown = new Int32Array(array.length * 2)
  grown.set(array)
  return grown
}

function growFloat64(array: Float64Array): Float64Array {
  const grown = new Float64Array(array.length * 2)
  grown.set(array)
  return grown
}

/** Distance from point p to the segment [a, b], all in kilometres. */
function pointToSegmentDistance(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax
  const dy = by - ay
  const squaredLength = dx * dx + dy * dy
  const t =
    squaredLength === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / squaredLength))
  return Math.hypot(ax + t * dx - px, ay + t * dy - py)
}

/** Smallest distance between the segments [a, b] and [c, d]: zero if they cross, else at an endpoint. */
function segmentsDistance(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): number {
  const crosses =
    cross(ax, ay, bx, by, cx, cy) * cross(ax, ay, bx, by, dx, dy) < 0 &&
    cross(cx, cy, dx, dy, ax, ay) * cross(cx, cy, dx, dy, bx, by) < 0
  if (crosses) return 0
  return Math.min(
    pointToSegmentDistance(ax, ay, cx, cy, dx, dy),
    pointToSegmentDistance(bx, by, cx, cy, dx, dy),
    pointToSegmentDistance(cx, cy, ax, ay, bx, by),
    pointToSegmentDistance(dx, dy, ax, ay, bx, by),
  )
}

/** Cross product of (p - o) and (q - o): its sign tells on which side of the line o→p the point q lies. */
function cross(ox: number, oy: number, px: number, py: number, qx: number, qy: number): number {
  return (px - ox) * (qy - oy) - (py - oy) * (qx - ox)
}
