/**
 * String keys, each with a number, searched exactly, by prefix, and within an edit distance
 * (optimal string alignment: inserting, deleting or substituting a letter, or swapping two
 * neighbouring letters, each count as one edit).
 *
 * The keys are kept sorted, with a trie over them in typed arrays: each node knows the range of
 * sorted positions of the keys under it. A fuzzy search walks the trie depth first with one row of
 * the edit-distance table per node, computed only within the band of cells that can stay within
 * the allowed distance, and leaves a node as soon as its row has no cell within it: one or two
 * edits visit a few thousand nodes of a vocabulary of a hundred thousand words. Keys added later
 * are kept aside in a short list searched one by one, and folded into the trie (one linear
 * rebuild) once that list grows past a share of the whole.
 */
export class FuzzyKeys {
  private keys: string[] = []
  private values: number[] = []
  private pendingKeys: string[] = []
  private pendingValues: number[] = []
  private trie = EMPTY_TRIE
  /** Rows of the edit-distance table by depth, reused by every search. */
  private rows: Int32Array[] = []

  /** Adds a key (the same key may be added with several values). */
  add(key: string, value: number): void {
    this.pendingKeys.push(key)
    this.pendingValues.push(value)
  }

  /** Number of keys. */
  get size(): number {
    return this.keys.length + this.pendingKeys.length
  }

  /**
   * The key at a position, as given to the callbacks of the searches. Positions are valid until
   * the next `add`.
   */
  keyAt(position: number): string {
    return position < this.keys.length ? this.keys[position]! : this.pendingKeys[position - this.keys.length]!
  }

  /** The number of the key at a position. */
  valueAt(position: number): number {
    return position < this.keys.length ? this.values[position]! : this.pendingValues[position - this.keys.length]!
  }

  /** Folds every key added so far into the sorted list and its trie. */
  compact(): void {
    if (this.pendingKeys.length === 0) return
    const pending = this.pendingKeys
    const order = pending.map((_, i) => i).sort((a, b) => (pending[a]! < pending[b]! ? -1 : pending[a]! > pending[b]! ? 1 : a - b))
    const keys = new Array<string>(this.keys.length + order.length)
    const values = new Array<number>(keys.length)
    let i = 0
    let j = 0
    for (let at = 0; at < keys.length; at++) {
      if (j >= order.length || (i < this.keys.length && compare(this.keys[i]!, this.pendingKeys[order[j]!]!) <= 0)) {
        keys[at] = this.keys[i]!
        values[at] = this.values[i++]!
      } else {
        keys[at] = this.pendingKeys[order[j]!]!
        values[at] = this.pendingValues[order[j++]!]!
      }
    }
    this.keys = keys
    this.values = values
    this.pendingKeys = []
    this.pendingValues = []
    this.trie = buildTrie(keys)
  }

  /** Compacts when the keys added since the last compaction are more than a few percent of all. */
  private settle(): void {
    if (this.pendingKeys.length > Math.max(256, this.keys.length / 32)) this.compact()
  }

  /** Calls `visit` with the range of positions of the keys starting with `prefix` (every key for ''). */
  forEachWithPrefix(prefix: string, visit: (from: number, to: number) => void): void {
    this.settle()
    const from = lowerBound(this.keys, prefix)
    const to = lowerBound(this.keys, prefix + '\uffff', from)
    if (from < to) visit(from, to)
    const base = this.keys.length
    this.pendingKeys.forEach((key, i) => {
      if (key.startsWith(prefix)) visit(base + i, base + i + 1)
    })
  }

  /**
   * Calls `visit` with the position and the distance of every key within `maxDistance` edits of
   * `word` (the key itself when equal, at distance 0).
   */
  forEachNear(word: string, maxDistance: number, visit: (position: number, distance: number) => void): void {
    this.settle()
    if (maxDistance <= 0) {
      let at = lowerBound(this.keys, word)
      for (; at < this.keys.length && this.keys[at] === word; at++) visit(at, 0)
    } else if (this.keys.length > 0) {
      this.walk(word, maxDistance, false, (from, to, distance) => {
        for (let at = from; at < to; at++) visit(at, distance)
      })
    }
    const base = this.keys.length
    this.pendingKeys.forEach((key, i) => {
      const distance = editDistance(key, word, maxDistance)
      if (distance <= maxDistance) visit(base + i, distance)
    })
  }

  /**
   * Calls `visit` with ranges of positions [from, to) of the keys that start with a prefix within
   * `maxDistance` edits of `prefix`, and that distance. A key may be in several ranges (with
   * different distances): the smallest is its distance.
   */
  forEachPrefixNear(prefix: string, maxDistance: number, visit: (from: number, to: number, distance: number) => void): void {
    if (maxDistance <= 0 || prefix.length === 0) {
      this.forEachWithPrefix(prefix, (from, to) => visit(from, to, 0))
      return
    }
    this.settle()
    if (this.keys.length > 0) this.walk(prefix, maxDistance, true, visit)
    const base = this.keys.length
    this.pendingKeys.forEach((key, i) => {
      const distance = prefixDistance(key, prefix, maxDistance)
      if (distance <= maxDistance) visit(base + i, base + i + 1, distance)
    })
  }

  private row(depth: number, width: number): Int32Array {
    let row = this.rows[depth]
    if (!row || row.length < width) {
      row = new Int32Array(Math.max(width, 24))
      this.rows[depth] = row
    }
    return row
  }

  /**
   * Depth-first walk of the trie, one banded row of the edit-distance table per node. Whole-key
   * mode visits the keys ending at a node within the distance; prefix mode visits the whole range
   * under a node within the distance of the query.
   */
  private walk(query: string, limit: number, prefixMode: boolean, visit: (from: number, to: number, distance: number) => void): void {
    const { letter, firstChild, nextSibling, from, to, terminalEnd } = this.trie
    const m = query.length
    const width = m + 2
    const over = limit + 1
    const codes = new Int32Array(m + 1)
    for (let j = 0; j < m; j++) codes[j] = query.charCodeAt(j)
    const root = this.row(0, width)
    for (let j = 0; j <= m + 1; j++) root[j] = j <= limit ? j : over
    // Letters of the current path, for transpositions.
    const path = new Int32Array(256)
    const descend = (node: number, depth: number): void => {
      if (depth >= path.length - 1) return
      const previous = this.row(depth, width)
      const beforePrevious = depth > 0 ? this.row(depth - 1, width) : previous
      const row = this.row(depth + 1, width)
      const i = depth + 1
      const lo = Math.max(1, i - limit)
      const hi = Math.min(m, i + limit)
      for (let child = firstChild[node]!; child >= 0; child = nextSibling[child]!) {
        const code = letter[child]!
        path[depth] = code
        row[0] = i <= limit ? i : over
        if (lo - 1 >= 1) row[lo - 1] = over
        let best = row[0]
        for (let j = lo; j <= hi; j++) {
          let value = previous[j - 1]! + (codes[j - 1] === code ? 0 : 1)
          const up = previous[j]! + 1
          if (up < value) value = up
          const left = row[j - 1]! + 1
          if (left < value) value = left
          if (j > 1 && depth > 0 && codes[j - 1] === path[depth - 1] && codes[j - 2] === code) {
            const swap = beforePrevious[j - 2]! + 1
            if (swap < value) value = swap
          }
          if (value > over) value = over
          row[j] = value
          if (value < best) best = value
        }
        if (hi + 1 <= m + 1) row[hi + 1] = over
        if (best > limit) continue
        const distance = hi === m ? row[m]! : over
        if (prefixMode) {
          if (distance <= limit) visit(from[child]!, to[child]!, distance)
          // A longer prefix is at least as far as the nearest cell of this row.
          if (best < distance) descend(child, depth + 1)
        } else {
          if (distance <= limit && terminalEnd[child]! > from[child]!) visit(from[child]!, terminalEnd[child]!, distance)
          if (firstChild[child]! >= 0) descend(child, depth + 1)
        }
      }
    }
    // The empty prefix: keys that are empty, or every key for a query short enough to be deleted whole.
    if (m <= limit) {
      if (prefixMode) visit(from[0]!, to[0]!, m)
      else if (terminalEnd[0]! > 0) visit(0, terminalEnd[0]!, m)
    }
    if (!prefixMode || m > 0) descend(0, 0)
  }
}

interface Trie {
  readonly letter: Uint16Array
  readonly firstChild: Int32Array
  readonly nextSibling: Int32Array
  /** Sorted positions [from, to) of the keys under the node; [from, terminalEnd) end at it. */
  readonly from: Int32Array
  readonly to: Int32Array
  readonly terminalEnd: Int32Array
}

const EMPTY_TRIE = buildTrie([])

/** The trie of sorted keys: node 0 is the root (the empty prefix). */
function buildTrie(keys: readonly string[]): Trie {
  let capacity = 1
  for (let k = 0; k < keys.length; k++) {
    const previous = k > 0 ? keys[k - 1]! : ''
    capacity += keys[k]!.length - commonPrefix(previous, keys[k]!)
  }
  const letter = new Uint16Array(capacity)
  const firstChild = new Int32Array(capacity).fill(-1)
  const nextSibling = new Int32Array(capacity).fill(-1)
  const from = new Int32Array(capacity)
  const to = new Int32Array(capacity)
  const terminalEnd = new Int32Array(capacity)
  const lastChild = new Int32Array(capacity).fill(-1)
  // The nodes of the previous key's path, by depth.
  const stack: number[] = [0]
  let nodes = 1
  to[0] = keys.length
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!
    const shared = k > 0 ? commonPrefix(keys[k - 1]!, key) : 0
    while (stack.length > shared + 1) to[stack.pop()!] = k
    for (let depth = shared; depth < key.length; depth++) {
      const parent = stack[depth]!
      const node = nodes++
      letter[node] = key.charCodeAt(depth)
      from[node] = k
      terminalEnd[node] = k
      if (lastChild[parent]! < 0) firstChild[parent] = node
      else nextSibling[lastChild[parent]!] = node
      lastChild[parent] = node
      stack.push(node)
    }
    terminalEnd[stack[key.length]!] = k + 1
  }
  while (stack.length > 1) to[stack.pop()!] = keys.length
  return { letter, firstChild, nextSibling, from, to, terminalEnd }
}

function commonPrefix(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  let at = 0
  while (at < length && a.charCodeAt(at) === b.charCodeAt(at)) at++
  return at
}

function lowerBound(keys: readonly string[], target: string, from = 0): number {
  let lo = from
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return lo
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The edit-distance table of `a` against `b`, row by row; `onRow` gets each row and its index. */
function distanceRows(a: string, b: string, limit: number, onRow: (row: Int32Array, i: number) => boolean): void {
  let beforePrevious = new Int32Array(b.length + 1)
  let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j)
  let row = new Int32Array(b.length + 1)
  if (!onRow(previous, 0)) return
  for (let i = 1; i <= a.length; i++) {
    row[0] = i
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, beforePrevious[j - 2]! + 1)
      }
      row[j] = value
      if (value < best) best = value
    }
    if (!onRow(row, i) || best > limit) return
    ;[beforePrevious, previous, row] = [previous, row, beforePrevious]
  }
}

/**
 * The optimal string alignment distance of two strings (Damerau–Levenshtein where no letter is
 * edited twice), or `limit + 1` as soon as it exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let result = limit + 1
  distanceRows(a, b, limit, (row, i) => {
    if (i === a.length) result = Math.min(row[b.length]!, limit + 1)
    return true
  })
  return result
}

/** The smallest distance between `query` and a prefix of `key` (or `limit + 1`). */
export function prefixDistance(key: string, query: string, limit = Infinity): number {
  let result = limit + 1
  distanceRows(key, query, limit, (row) => {
    if (row[query.length]! < result) result = row[query.length]!
    return true
  })
  return Math.min(result, limit + 1)
}
