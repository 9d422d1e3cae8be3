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

  /** Adds every value of a sorted or unsorted list. */
  addAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.add(values[i]!)
  }
}
