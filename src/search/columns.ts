type TypedArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array

type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T

/** First index of a sorted array (its first `length` entries) holding a value ≥ target. */
export function lowerBound(values: Float64Array | Uint32Array, target: number, length = values.length): number {
  let lo = 0
  let hi = length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** A typed array that grows by doubling; `values` may be longer than `length`. */
export class Column<T extends TypedArray> {
  values: T
  length = 0

  constructor(
    private readonly Kind: TypedArrayConstructor<T>,
    capacity = 1024,
    private readonly fill = 0,
  ) {
    this.values = new Kind(capacity)
    if (fill !== 0) this.values.fill(fill)
  }

  push(value: number): void {
    if (this.length === this.values.length) this.grow(this.length * 2)
    this.values[this.length++] = value
  }

  /** Makes room for `length` entries, new ones holding the fill value. */
  ensure(length: number): void {
    if (length > this.values.length) this.grow(Math.max(length, this.values.length * 2))
  }

  /** Reorders the entries: entry `i` becomes the old entry `order[i]`. */
  permute(order: Uint32Array): void {
    const next = new this.Kind(order.length)
    const values = this.values
    for (let i = 0; i < order.length; i++) next[i] = values[order[i]!]!
    this.values = next
    this.length = order.length
  }

  /**
   * Renumbers in place a column whose first `naturalEnd` entries keep their order, the entry of
   * each tail document `tail[k]` going before the prefix entry `before[k]`. From the back: each
   * run of the prefix moves right by one native copy (a generic loop over every kind of typed
   * array, or a view per run, costs several times more).
   */
  insertTail(naturalEnd: number, tail: Uint32Array, before: Uint32Array): void {
    const values = this.values
    const saved = new this.Kind(tail.length)
    for (let k = 0; k < tail.length; k++) saved[k] = values[tail[k]!]!
    let end = naturalEnd
    for (let k = tail.length - 1; k >= 0; k--) {
      const from = before[k]!
      values.copyWithin(from + k + 1, from, end)
      values[from + k] = saved[k]!
      end = from
    }
  }

  private grow(capacity: number): void {
    const next = new this.Kind(capacity)
    if (this.fill !== 0) next.fill(this.fill)
    next.set(this.values)
    this.values = next
  }
}

/** A sorted list of document numbers with one weight byte each (weights optional). */
export class Postings {
  docs = new Uint32Array(4)
  weights: Uint8Array | undefined
  length = 0

  constructor(withWeights: boolean) {
    if (withWeights) this.weights = new Uint8Array(4)
  }

  push(doc: number, weight = 0): void {
    if (this.length === this.docs.length) {
      const docs = new Uint32Array(this.length * 2)
      docs.set(this.docs)
      this.docs = docs
      if (this.weights) {
        const weights = new Uint8Array(this.length * 2)
        weights.set(this.weights)
        this.weights = weights
      }
    }
    this.docs[this.length] = doc
    if (this.weights) this.weights[this.length] = weight
    this.length++
  }

  /** Releases the unused tail of the arrays once building is done. */
  trim(): void {
    if (this.docs.length > this.length) {
      this.docs = this.docs.slice(0, this.length)
      if (this.weights) this.weights = this.weights.slice(0, this.length)
    }
  }

  /**
   * Renames every document (`rank[old]` is its new number), keeping the list sorted and the
   * weights with their documents. `rank` must be increasing over the documents below
   * `naturalEnd`: those, first in the list, stay sorted once renamed; the others (the tail, at the
   * end of the list) are renamed, sorted and merged in from the back.
   */
  renumber(rank: Uint32Array, naturalEnd: number): void {
    const { docs, weights, length } = this
    const split = lowerBound(docs, naturalEnd, length)
    for (let i = 0; i < split; i++) docs[i] = rank[docs[i]!]!
    if (split === length) return
    // The tail as 32-bit keys, document and weight packed, so that one native sort moves both.
    const tail = new Uint32Array(length - split)
    for (let i = split; i < length; i++) tail[i - split] = rank[docs[i]!]! * 256 + (weights ? weights[i]! : 0)
    tail.sort()
    let i = split - 1
    let j = tail.length - 1
    for (let at = length - 1; j >= 0; at--) {
      const key = tail[j]!
      const doc = key >>> 8
      if (i >= 0 && docs[i]! > doc) {
        docs[at] = docs[i]!
        if (weights) weights[at] = weights[i]!
        i--
      } else {
        docs[at] = doc
        if (weights) weights[at] = key & 255
        j--
      }
    }
  }
}

/** Maps codes to small dense numbers and back; unknown codes get the next number. */
export class Dictionary {
  private readonly numbers = new Map<string, number>()
  readonly codes: string[] = []

  constructor(initial: Iterable<string> = []) {
    for (const code of initial) this.intern(code)
  }

  intern(code: string): number {
    let number = this.numbers.get(code)
    if (number === undefined) {
      number = this.codes.length
      this.numbers.set(code, number)
      this.codes.push(code)
    }
    return number
  }

  get(code: string): number | undefined {
    return this.numbers.get(code)
  }

  /** The code of a number. */
  codeOf(number: number): string {
    const code = this.codes[number]
    if (code === undefined) throw new RangeError(`No code ${number}`)
    return code
  }

  get size(): number {
    return this.codes.length
  }
}
