/**
 * Small, seedable pseudo-random numbers for the demo corpus.
 *
 * `Math.random` cannot be seeded, and the corpus must be identical from one run, machine or Node
 * version to the next, so the generator is sfc32 (a 128-bit-state counter-based generator from
 * PractRand, good statistical quality, fast in 32-bit integer JavaScript). Everything here uses
 * only 32-bit integer operations (`Math.imul`, shifts), whose results JavaScript defines exactly.
 */

const TWO_POW_32 = 4_294_967_296

/** Four 32-bit words derived from any string (cyrb128): the state of a generator. */
export function hashSeed(seed: string | number): readonly [number, number, number, number] {
  const text = typeof seed === 'number' ? `#${seed}` : seed
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/** A well-mixed 32-bit hash of one integer (the murmur3 finaliser); handy for derived, stable choices. */
export function mix32(value: number): number {
  let h = value | 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** A seeded generator of uniform numbers and the few draws the corpus needs. */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0
    this.b = b | 0
    this.c = c | 0
    this.d = d | 0
    // The first outputs of sfc32 still show the seed's structure; the reference discards 12.
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** A generator seeded from a string or a number. */
  static from(seed: string | number): Random {
    const [a, b, c, d] = hashSeed(seed)
    return new Random(a, b, c, d)
  }

  /**
   * The generator of one item of a stream, from the stream's seed words and the item's index:
   * item `i` does not depend on the items before it, so any prefix of a stream is stable.
   */
  static forIndex(seed: readonly [number, number, number, number], index: number): Random {
    const low = index >>> 0
    const high = Math.floor(index / TWO_POW_32) >>> 0
    return new Random(
      seed[0] ^ mix32(low),
      seed[1] ^ mix32(low ^ 0x9e3779b9),
      seed[2] ^ mix32(high ^ 0x7f4a7c15),
      seed[3] + low,
    )
  }

  /** A uniform unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32
  }

  /** A uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** A uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** A uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /**
   * An element drawn with probability proportional to its weight, by a linear scan: for the short
   * lists of the corpus (a dozen items). Large lists use {@link WeightedTable}.
   */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0
    for (let i = 0; i < items.length; i++) total += weights[i] ?? 0
    let target = this.next() * total
    for (let i = 0; i < items.length; i++) {
      target -= weights[i] ?? 0
      if (target < 0) return items[i] as T
    }
    return this.lastPositive(items, weights)
  }

  /** A roughly normal number (Irwin–Hall sum of four uniforms): enough for amounts and lengths. */
  gaussian(mean: number, deviation: number): number {
    const sum = this.next() + this.next() + this.next() + this.next()
    // The sum of 4 uniforms has mean 2 and variance 1/3.
    return mean + (sum - 2) * Math.sqrt(3) * deviation
  }

  // Rounding can leave `target` at exactly 0 after the loop; the last weighted item is then the answer.
  private lastPositive<T>(items: readonly T[], weights: readonly number[]): T {
    for (let i = items.length - 1; i >= 0; i--) {
      if ((weights[i] ?? 0) > 0) return items[i] as T
    }
    throw new RangeError('weighted() needs at least one positive weight')
  }
}

/**
 * Weighted draws from a large list (35 000 communes, 13 000 appellations): the cumulative weights
 * are computed once, then each draw is a binary search, O(log n) instead of O(n).
 */
export class WeightedTable<T> {
  private readonly items: readonly T[]
  private readonly cumulative: Float64Array
  private readonly total: number

  constructor(items: readonly T[], weights: readonly number[] | Float64Array) {
    if (items.length !== weights.length) throw new RangeError('items and weights differ in length')
    this.items = items
    this.cumulative = new Float64Array(items.length)
    let total = 0
    for (let i = 0; i < items.length; i++) {
      const weight = weights[i] ?? 0
      if (!(weight >= 0)) throw new RangeError(`invalid weight ${String(weight)} at ${i}`)
      total += weight
      this.cumulative[i] = total
    }
    if (total <= 0) throw new RangeError('a weighted table needs at least one positive weight')
    this.total = total
  }

  get size(): number {
    return this.items.length
  }

  /** One item, with probability proportional to its weight. */
  pick(random: Random): T {
    const target = random.next() * this.total
    const cumulative = this.cumulative
    let low = 0
    let high = cumulative.length - 1
    // First index whose cumulative weight exceeds the target: zero-weight items are never chosen.
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((cumulative[middle] ?? 0) > target) high = middle
      else low = middle + 1
    }
    return this.items[low] as T
  }
}

/**
 * A keyed pseudo-random permutation of [0, size): a 4-round Feistel network on the smallest
 * even number of bits that covers `size`, with cycle walking for the values beyond it. Distinct
 * inputs give distinct outputs, which makes unique, random-looking identifiers without bookkeeping.
 */
export class Permutation {
  private readonly halfBits: number
  private readonly halfMask: number
  private readonly keys: readonly number[]

  constructor(
    readonly size: number,
    key: number,
  ) {
    if (!Number.isInteger(size) || size < 2 || size > 2 ** 30) throw new RangeError(`bad permutation size ${size}`)
    let bits = 2
    while (2 ** bits < size) bits += 2
    this.halfBits = bits / 2
    this.halfMask = (1 << this.halfBits) - 1
    this.keys = [mix32(key ^ 0x1b873593), mix32(key ^ 0xcc9e2d51), mix32(key ^ 0x6b43a9b5), mix32(key ^ 0x3c6ef372)]
  }

  /** The image of `index` (0 ≤ index < size). */
  apply(index: number): number {
    if (!(index >= 0 && index < this.size)) throw new RangeError(`index ${index} outside [0, ${this.size})`)
    let value = index
    // The walk ends: the permutation of the power-of-two domain has finitely many steps to `value`.
    do value = this.encrypt(value)
    while (value >= this.size)
    return value
  }

  private encrypt(value: number): number {
    let left = value >>> this.halfBits
    let right = value & this.halfMask
    for (const key of this.keys) {
      const next = left ^ (mix32(right ^ key) & this.halfMask)
      left = right
      right = next
    }
    return ((left << this.halfBits) | right) >>> 0
  }
}
