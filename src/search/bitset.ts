/** A fixed-size set of small non-negative integers (document numbers), one bit each. */
export class Bitset {
  readonly words: Uint32Array

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32))
  }

  add(value: number): void {
    this.words[value >>> 5]! |= 1 << (value & 31)
  }

  has(value: number): boolean {
    return ((this.words[value >>> 5]! >>> (value & 31)) & 1) === 1
  }

  /** The values, in increasing order. */
  toArray(): Uint32Array {
    let count = 0
    for (const word of this.words) count += popcount(word)
    const values = new Uint32Array(count)
    let at = 0
    for (let index = 0; index < this.words.length; index++) {
      let word = this.words[index]!
      while (word !== 0) {
        const lowest = word & -word
        values[at++] = index * 32 + 31 - Math.clz32(lowest)
        word ^= lowest
      }
    }
    return values
  }

  /** Adds every value of a sorted or unsorted list. */
  addAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.add(values[i]!)
  }
}

function popcount(word: number): number {
  let value = word - ((word >>> 1) & 0x55555555)
  value = (value & 0x33333333) + ((value >>> 2) & 0x33333333)
  return (((value + (value >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}
