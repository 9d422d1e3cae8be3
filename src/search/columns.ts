type TypedArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array

type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T

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
