import { Bitset } from './bitset.js'
import { Postings } from './columns.js'

/** A small least-recently-used map. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>()

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }

  set(key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }
}

/** Postings of a single-valued column, kept per value so that a filter can start from them. */
export class ValuePostings {
  private readonly lists: Postings[] = []

  add(value: number, doc: number): void {
    let list = this.lists[value]
    if (!list) {
      list = new Postings(false)
      this.lists[value] = list
    }
    list.push(doc)
  }

  sizeOf(values: Iterable<number>): number {
    let size = 0
    for (const value of values) size += this.lists[value]?.length ?? 0
    return size
  }

  /**
   * Sorted, distinct documents holding any of the values. Large unions of many lists (a radius
   * around Paris: hundreds of communes) go through a bitset instead of a sort.
   */
  union(values: Iterable<number>, universe = 0): Uint32Array {
    const parts: Postings[] = []
    let size = 0
    for (const value of values) {
      const list = this.lists[value]
      if (list && list.length > 0) {
        parts.push(list)
        size += list.length
      }
    }
    if (parts.length <= 4) {
      // A few sorted lists: merged, no sort.
      let merged: Uint32Array = new Uint32Array(0)
      for (const part of parts) merged = mergeUnion(merged, part.docs.subarray(0, part.length))
      return merged
    }
    if (universe > 0 && size > universe / 64) {
      const members = new Bitset(universe)
      for (const part of parts) members.addAll(part.docs.subarray(0, part.length))
      return members.toArray()
    }
    const docs = new Uint32Array(size)
    let at = 0
    for (const part of parts) {
      docs.set(part.docs.subarray(0, part.length), at)
      at += part.length
    }
    if (parts.length > 1) {
      docs.sort()
      return dedupeSorted(docs)
    }
    return docs
  }

  trim(): void {
    for (const list of this.lists) list?.trim()
  }

  /** Renames every document (see `Postings.renumber`). */
  renumber(rank: Uint32Array, naturalEnd: number): void {
    for (const list of this.lists) list?.renumber(rank, naturalEnd)
  }
}

/** The sorted union of two sorted lists of distinct values, always a new array (callers narrow it in place). */
export function mergeUnion(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (b.length === 0) return a.slice()
  if (a.length === 0) return b.slice()
  const merged = new Uint32Array(a.length + b.length)
  let i = 0
  let j = 0
  let at = 0
  while (i < a.length && j < b.length) {
    const x = a[i]!
    const y = b[j]!
    if (x < y) {
      merged[at++] = x
      i++
    } else if (y < x) {
      merged[at++] = y
      j++
    } else {
      merged[at++] = x
      i++
      j++
    }
  }
  while (i < a.length) merged[at++] = a[i++]!
  while (j < b.length) merged[at++] = b[j++]!
  return merged.subarray(0, at)
}

export function dedupeSorted(docs: Uint32Array): Uint32Array {
  let out = 0
  for (let i = 0; i < docs.length; i++) {
    if (i === 0 || docs[i] !== docs[i - 1]) docs[out++] = docs[i]!
  }
  return out === docs.length ? docs : docs.subarray(0, out)
}

/** First index in `docs[from..]` holding a value ≥ target (galloping then binary search). */
export function gallop(docs: Uint32Array, length: number, from: number, target: number): number {
  let step = 1
  let hi = from
  while (hi < length && docs[hi]! < target) {
    from = hi + 1
    hi += step
    step *= 2
  }
  if (hi > length) hi = length
  let lo = from
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (docs[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return lo
}
