import { termOf } from './analyzer.js'
import { FuzzyKeys } from './fuzzy-keys.js'
import type { LiveVocabulary } from './live-vocabulary.js'
import { TERMS } from './terms.js'
import { foldAccents } from '../shared/text.js'

const WORD = /[\p{L}\p{N}]+/gu

/** A word as written in the reference texts, and the index term it stands for. */
export interface Surface {
  /** Lower case, accents kept: how it is shown ("électricien"). */
  readonly display: string
  /** The analyser's term of the word ("electricien"), which the index's postings are keyed by. */
  readonly term: string
}

/**
 * The words spelling correction and keyword suggestions work on, in two sets of fuzzy keys:
 *
 * - surfaces: words as people write them (lower case, accents folded), from the reference texts
 *   given to `addText` (ROME labels, compétences…) and the offers' title words a live vocabulary
 *   kept (`absorb`), each with the term it analyses to. The distance of a typed word is measured
 *   to these whole words: "infirmeir" is one swap from "infirmier", but two edits from its stem
 *   "infirmi".
 * - terms: every term the index knows (`TERMS`, which offers' texts extend), as keys of their own,
 *   so that words of offers outside both can still be reached. Added lazily, at the next search
 *   after they appear.
 *
 * One per process: the words are the same for every index; what an index serves is in its
 * `LiveVocabulary`, which every search consults.
 */
export class WordLexicon {
  private readonly surfaceKeys = new FuzzyKeys()
  private readonly surfaces: Surface[] = []
  private readonly surfaceByKey = new Map<string, number>()
  /** The shortest surface of each term (the masculine singular, usually): how a term is shown. */
  private readonly displayByTerm = new Map<string, string>()
  /** The `TERMS` number of each surface's term, once known (-1 before). */
  private termIds = new Int32Array(0)
  private readonly termKeys = new FuzzyKeys()
  private termsKnown = 0
  /** How many of each live vocabulary's harvested title words were added. */
  private readonly absorbed = new WeakMap<LiveVocabulary, number>()

  /** Adds the words of a text (of two letters or more, no digits, not stop words) as surfaces. */
  addText(text: string): void {
    for (const match of text.toLowerCase().matchAll(WORD)) this.addWord(match[0])
  }

  /** Adds one lower-case word as a surface. */
  addWord(word: string): void {
    if (word.length < 2 || /\d/.test(word)) return
    const key = foldAccents(word)
    if (this.surfaceByKey.has(key)) return
    const term = termOf(word)
    if (term === undefined) return
    const number = this.surfaces.length
    this.surfaces.push({ display: word, term })
    this.surfaceByKey.set(key, number)
    this.surfaceKeys.add(key, number)
    const shown = this.displayByTerm.get(term)
    if (shown === undefined || word.length < shown.length || (word.length === shown.length && word < shown)) {
      this.displayByTerm.set(term, word)
    }
  }

  /** How a term is shown: its shortest surface, or the term itself when no reference text has it. */
  displayOf(term: string): string {
    return this.displayByTerm.get(term) ?? term
  }

  /**
   * Adds the title words a live vocabulary has harvested since the last call: words of offers
   * that no reference text has ("marmiton") become surfaces too, for correction and suggestions.
   */
  absorb(vocabulary: LiveVocabulary): void {
    const from = this.absorbed.get(vocabulary) ?? 0
    const words = vocabulary.harvestedWords(from)
    if (words.length === 0) return
    for (const word of words) this.addWord(word)
    this.absorbed.set(vocabulary, from + words.length)
  }

  /** Number of surfaces. */
  get surfaceCount(): number {
    return this.surfaces.length
  }

  /** The surface a word folds to, if known. */
  surfaceOf(word: string): Surface | undefined {
    const number = this.surfaceByKey.get(foldAccents(word.toLowerCase()))
    return number === undefined ? undefined : this.surfaces[number]
  }

  /** Folds the reference words into their search structure; later additions are folded in as needed. */
  compact(): void {
    this.surfaceKeys.compact()
    this.syncTerms()
    this.termKeys.compact()
  }

  /**
   * Calls `visit` with every surface within `limit` edits of a folded word, and its distance.
   */
  forEachSurfaceNear(folded: string, limit: number, visit: (surface: Surface, distance: number, key: string) => void): void {
    this.surfaceKeys.forEachNear(folded, limit, (position, distance) => {
      visit(this.surfaces[this.surfaceKeys.valueAt(position)]!, distance, this.surfaceKeys.keyAt(position))
    })
  }

  /** Calls `visit` with every index term within `limit` edits of a word, and its distance. */
  forEachTermNear(word: string, limit: number, visit: (term: string, distance: number) => void): void {
    this.syncTerms()
    this.termKeys.forEachNear(word, limit, (position, distance) => visit(this.termKeys.keyAt(position), distance))
  }

  /**
   * Calls `visit` with the numbers of the surfaces starting with a prefix within `limit` edits of
   * `folded`, and that distance (a surface may come more than once, with different distances).
   */
  forEachSurfaceWithPrefix(folded: string, limit: number, visit: (surface: number, distance: number) => void): void {
    this.surfaceKeys.forEachPrefixNear(folded, limit, (from, to, distance) => {
      for (let at = from; at < to; at++) visit(this.surfaceKeys.valueAt(at), distance)
    })
  }

  /** The surface of a number given by `forEachSurfaceWithPrefix`. */
  surfaceAt(number: number): Surface {
    return this.surfaces[number]!
  }

  /** The `TERMS` number of a surface's term, or -1 while no offer has brought the term. */
  termIdOf(number: number): number {
    let id = this.termIds[number] ?? -1
    if (id < 0) {
      id = TERMS.get(this.surfaces[number]!.term) ?? -1
      if (id >= 0) {
        if (number >= this.termIds.length) {
          const grown = new Int32Array(Math.max(number + 1, this.surfaces.length, this.termIds.length * 2)).fill(-1)
          grown.set(this.termIds)
          this.termIds = grown
        }
        this.termIds[number] = id
      }
    }
    return id
  }

  /** Adds the index terms interned since the last call as keys. */
  private syncTerms(): void {
    for (; this.termsKnown < TERMS.size; this.termsKnown++) {
      const term = TERMS.codeOf(this.termsKnown)
      // Codes and numbers ("d1102", "35h") are kept whole by the analyser: nothing to correct.
      if (!/\d/.test(term)) this.termKeys.add(term, this.termsKnown)
    }
  }
}
