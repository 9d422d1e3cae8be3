import { stopwords } from '@orama/stopwords/french'
import { FuzzyKeys } from './fuzzy-keys.js'
import { allowedEdits } from './spelling.js'
import { foldAccents } from '../shared/text.js'

const WORD = /[\p{L}\p{N}]+/gu
/** Prefixes up to this length have their targets listed in advance. */
const SHORT = 2
const STOP_WORDS = new Set<string>(stopwords.map((word) => foldAccents(word)))

/** The words of a text as names are matched on: lower case, accents folded, split on anything else. */
export function nameWords(text: string): string[] {
  return [...foldAccents(text.toLowerCase()).matchAll(WORD)].map((match) => match[0])
}

/**
 * Targets (appellations, communes: numbers 0…n-1) found by the words of their names, for
 * typeahead: every word of a query must be in one of a target's names, the last one as the start
 * of a word (unless the query ends with a space); typed words may be within the allowed edits of
 * the names' words (one from 5 letters, two from 9, on the typed length for the last, partial,
 * word). Word order is free: "service hosp" finds "Agent de service hospitalier". Stop words
 * typed in full ("de", "la") are not required.
 *
 * A match walks the postings of the matching words with typed arrays (a stamp per target instead
 * of a set), so that a one-letter query, whose words lead to most of the targets, stays within a
 * millisecond.
 */
export class NameIndex {
  private readonly keys = new FuzzyKeys()
  private readonly wordNumbers = new Map<string, number>()
  private building: number[][] = []
  /** Targets of each word, all words' lists one after the other: word w's are `targets[starts[w]…starts[w+1])`. */
  private targets = new Int32Array(0)
  private starts = new Int32Array(1)
  private size = 0
  private stamps = new Uint32Array(0)
  /** Words of the query matched so far by each target touched, and the summed distance. */
  private hits = new Uint8Array(0)
  private distances = new Uint8Array(0)
  /** Best distance of a target within the current query word. */
  private wordDistances = new Uint8Array(0)
  private generation = 0
  /** The targets of every word starting with each prefix of one or two letters. */
  private shortPrefixes = new Map<string, Int32Array>()

  /** Adds a name of a target. */
  add(target: number, name: string): void {
    for (const word of nameWords(name)) {
      let number = this.wordNumbers.get(word)
      if (number === undefined) {
        number = this.building.length
        this.wordNumbers.set(word, number)
        this.building.push([])
        this.keys.add(word, number)
      }
      const list = this.building[number]!
      if (list.at(-1) !== target) list.push(target)
    }
    if (target >= this.size) this.size = target + 1
  }

  /** Folds the names into their search structure (call once all names are added). */
  compact(): void {
    this.keys.compact()
    const lists = this.building.map((list) => [...new Set(list)].sort((a, b) => a - b))
    this.starts = new Int32Array(lists.length + 1)
    for (let word = 0; word < lists.length; word++) this.starts[word + 1] = this.starts[word]! + lists[word]!.length
    this.targets = new Int32Array(this.starts[lists.length]!)
    for (let word = 0; word < lists.length; word++) this.targets.set(lists[word]!, this.starts[word])
    const short = new Map<string, number[]>()
    for (const [word, number] of this.wordNumbers) {
      for (let length = 1; length <= Math.min(SHORT, word.length); length++) {
        const prefix = word.slice(0, length)
        const list = short.get(prefix) ?? []
        for (const target of lists[number]!) list.push(target)
        short.set(prefix, list)
      }
    }
    this.shortPrefixes = new Map([...short].map(([prefix, list]) => [prefix, Int32Array.from(new Set(list)).sort()]))
    this.building = []
    this.stamps = new Uint32Array(this.size)
    this.hits = new Uint8Array(this.size)
    this.distances = new Uint8Array(this.size)
    this.wordDistances = new Uint8Array(this.size)
  }

  /** Number of distinct words. */
  get wordCount(): number {
    return this.starts.length - 1
  }

  /** Bytes of the postings, of the short prefixes' lists and of the per-target scratch arrays. */
  get arrayBytes(): number {
    let short = 0
    for (const list of this.shortPrefixes.values()) short += list.byteLength
    return this.targets.byteLength + this.starts.byteLength + short + this.stamps.byteLength + 3 * this.size
  }

  /**
   * Calls `visit` with every target matching a query and its distance (the sum over the query's
   * words of the edits to the name word each matched). `fuzzy: false` takes the words as typed.
   */
  match(query: string, fuzzy: boolean, visit: (target: number, distance: number) => void): void {
    const words = nameWords(query)
    const partial = !/[\s\p{P}]$/u.test(query)
    const last = partial ? words.pop() : undefined
    if (!fuzzy && words.length === 0 && last !== undefined && last.length <= SHORT) {
      // One or two letters: the targets are listed in advance (their union would be most of them).
      for (const target of this.shortPrefixes.get(last) ?? []) visit(target, 0)
      return
    }
    // Each word is matched at the smallest number of edits that finds something: one edit is
    // tried before two, which costs several times more and would only add farther matches.
    const steps: ((collect: (word: number, distance: number) => void) => void)[] = []
    for (const word of words) {
      if (STOP_WORDS.has(word)) continue
      const widest = fuzzy ? allowedEdits(word.length + 2) : 0
      steps.push((collect) => {
        let found = false
        for (let limit = Math.min(1, widest); limit <= widest && !found; limit++) {
          this.keys.forEachNear(word, limit, (position, distance) => {
            if (distance <= allowedEdits(Math.max(word.length, this.keys.keyAt(position).length))) {
              found = true
              collect(this.keys.valueAt(position), distance)
            }
          })
        }
      })
    }
    if (last !== undefined) {
      const widest = fuzzy ? allowedEdits(last.length) : 0
      steps.push((collect) => {
        let found = false
        for (let limit = Math.min(1, widest); limit <= widest && !found; limit++) {
          this.keys.forEachPrefixNear(last, limit, (from, to, distance) => {
            found = true
            for (let at = from; at < to; at++) collect(this.keys.valueAt(at), distance)
          })
        }
      })
    }
    if (steps.length === 0 || steps.length > 250) return
    let touched: number[] = []
    for (const [step, run] of steps.entries()) {
      const generation = ++this.generation
      const now: number[] = []
      run((word, distance) => {
        for (let at = this.starts[word]!; at < this.starts[word + 1]!; at++) {
          const target = this.targets[at]!
          if (this.stamps[target] === generation) {
            if (distance < this.wordDistances[target]!) this.wordDistances[target] = distance
          } else if (step === 0 || this.hits[target] === step) {
            this.stamps[target] = generation
            this.wordDistances[target] = distance
            now.push(target)
          }
        }
      })
      for (const target of now) {
        this.hits[target] = step + 1
        this.distances[target] = (step === 0 ? 0 : this.distances[target]!) + this.wordDistances[target]!
      }
      if (step === 0) touched = now
      if (step === steps.length - 1) for (const target of now) visit(target, this.distances[target]!)
    }
    // The first word's targets include every later one: clearing them leaves no trace for the next query.
    for (const target of touched) this.hits[target] = 0
    if (this.generation > 0xfffff000) {
      this.generation = 0
      this.stamps.fill(0)
    }
  }
}
