import type { Offre } from '../domain/offers/offer.schema.js'
import { termOf } from './analyzer.js'
import { Column, Dictionary } from './columns.js'
import { weightedTerms, type OfferFeatures } from './offer-features.js'
import { TERMS } from './terms.js'

/**
 * How many served offers hold each term, appellation and commune, kept as offers come and go: the
 * document frequencies that spelling correction prefers and that suggestions are ranked by.
 *
 * The index calls `added` and `removed` with each document's slot (its number at insertion, which
 * renumbering never changes). A removed offer's appellations and commune are kept per slot (8
 * bytes an offer); its terms are not (they would cost as much memory as the postings), so they are
 * derived again from its JSON, which is what they were derived from when it was added.
 */
export class LiveVocabulary {
  private termCounts: Uint32Array = new Uint32Array(1024)
  private readonly appellationDictionary = new Dictionary()
  private appellationCounts: Uint32Array = new Uint32Array(1024)
  private readonly communeDictionary = new Dictionary()
  private communeCounts: Uint32Array = new Uint32Array(1024)
  /** The first appellation of each slot (-1: none), the others in `moreAppellations`. */
  private readonly slotAppellation = new Column(Int32Array, 1024, -1)
  private readonly moreAppellations = new Map<number, number[]>()
  private readonly slotCommune = new Column(Int32Array, 1024, -1)
  private changes = 0
  /** 1 for each term (by number) some offer has held: a term never seen before sends its offer's title to `harvest`. */
  private seenTerms = new Uint8Array(1024)
  private readonly harvestedSet = new Set<string>()
  private readonly harvested: string[] = []

  /** Changes with every addition and removal. */
  get version(): number {
    return this.changes
  }

  /**
   * Counts an offer in. When it brings a term no offer held before, the words of its title (its
   * JSON `body`) are kept as words people write (see `harvestedWords`): that happens for the
   * first offers of a load, then seldom.
   */
  added(slot: number, features: OfferFeatures, body?: string | Buffer): void {
    this.changes++
    const ids = features.terms.ids
    let max = 0
    for (let i = 0; i < ids.length; i++) if (ids[i]! > max) max = ids[i]!
    if (max >= this.termCounts.length) this.termCounts = grown(this.termCounts, max)
    if (max >= this.seenTerms.length) {
      const seen = new Uint8Array(this.termCounts.length)
      seen.set(this.seenTerms)
      this.seenTerms = seen
    }
    let fresh = false
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!
      this.termCounts[id]!++
      if (this.seenTerms[id] === 0) {
        this.seenTerms[id] = 1
        fresh = true
      }
    }
    if (fresh && body !== undefined) this.harvest(body)
    this.slotAppellation.ensure(slot + 1)
    this.slotCommune.ensure(slot + 1)
    const appellations = features.appellations.map((code) => this.appellationDictionary.intern(code))
    for (const number of appellations) this.countAppellation(number, 1)
    this.slotAppellation.values[slot] = appellations[0] ?? -1
    if (appellations.length > 1) this.moreAppellations.set(slot, appellations.slice(1))
    if (features.commune !== undefined) {
      const number = this.communeDictionary.intern(features.commune)
      if (number >= this.communeCounts.length) this.communeCounts = grown(this.communeCounts, number)
      this.communeCounts[number]!++
      this.slotCommune.values[slot] = number
    }
  }

  /** Counts an offer out, given the JSON it was added with. */
  removed(slot: number, body: string | Buffer): void {
    this.changes++
    for (const id of termsOfBody(body)) {
      if (id < this.termCounts.length && this.termCounts[id]! > 0) this.termCounts[id]!--
    }
    const first = this.slotAppellation.values[slot] ?? -1
    if (first >= 0) this.countAppellation(first, -1)
    for (const number of this.moreAppellations.get(slot) ?? []) this.countAppellation(number, -1)
    this.moreAppellations.delete(slot)
    this.slotAppellation.values[slot] = -1
    const commune = this.slotCommune.values[slot] ?? -1
    if (commune >= 0) this.communeCounts[commune]!--
    this.slotCommune.values[slot] = -1
  }

  /** Served offers holding the term (by its string, as the analyser gives it). */
  termDocs(term: string): number {
    const id = TERMS.get(term)
    return id === undefined ? 0 : this.termDocsById(id)
  }

  /** Served offers holding the term of this number (`TERMS`). */
  termDocsById(id: number): number {
    return this.termCounts[id] ?? 0
  }

  /** Served offers classified under the appellation. */
  appellationDocs(code: string): number {
    const number = this.appellationDictionary.get(code)
    return number === undefined ? 0 : (this.appellationCounts[number] ?? 0)
  }

  /** Served offers placed in the commune (its own code only; arrondissements count for themselves). */
  communeDocs(code: string): number {
    const number = this.communeDictionary.get(code)
    return number === undefined ? 0 : (this.communeCounts[number] ?? 0)
  }

  /**
   * The numbers of some appellation codes here (-1: never seen), for callers that count many
   * codes often: `appellationDocsAt` then costs an array read. Numbers never change; codes seen
   * later get new ones, which `codesSeen` tells.
   */
  appellationNumbers(codes: readonly string[]): Int32Array {
    return Int32Array.from(codes, (code) => this.appellationDictionary.get(code) ?? -1)
  }

  /** Served offers classified under the appellation of a number of `appellationNumbers`. */
  appellationDocsAt(number: number): number {
    return number < 0 ? 0 : (this.appellationCounts[number] ?? 0)
  }

  /** The numbers of some commune codes here (-1: never seen); see `appellationNumbers`. */
  communeNumbers(codes: readonly string[]): Int32Array {
    return Int32Array.from(codes, (code) => this.communeDictionary.get(code) ?? -1)
  }

  /** Served offers placed in the commune of a number of `communeNumbers`. */
  communeDocsAt(number: number): number {
    return number < 0 ? 0 : (this.communeCounts[number] ?? 0)
  }

  /** How many appellation and commune codes have been seen: numbers taken before stay valid. */
  get codesSeen(): number {
    return this.appellationDictionary.size + this.communeDictionary.size
  }

  /** Title words kept so far (lower case, as written), from the `from`-th on. */
  harvestedWords(from = 0): readonly string[] {
    return from === 0 ? this.harvested : this.harvested.slice(from)
  }

  private harvest(body: string | Buffer): void {
    const title = titleOf(body)
    if (title === undefined) return
    for (const match of title.toLowerCase().matchAll(WORD)) {
      const word = match[0]
      if (word.length < 2 || /\d/.test(word) || this.harvestedSet.has(word) || termOf(word) === undefined) continue
      this.harvestedSet.add(word)
      this.harvested.push(word)
    }
  }

  /** Bytes of the typed arrays held (the maps of codes are small: one entry per code). */
  get arrayBytes(): number {
    return (
      this.termCounts.byteLength +
      this.appellationCounts.byteLength +
      this.communeCounts.byteLength +
      this.slotAppellation.values.byteLength +
      this.slotCommune.values.byteLength
    )
  }

  private countAppellation(number: number, delta: 1 | -1): void {
    if (number >= this.appellationCounts.length) this.appellationCounts = grown(this.appellationCounts, number)
    if (delta > 0 || this.appellationCounts[number]! > 0) this.appellationCounts[number]! += delta
  }
}

const WORD = /[\p{L}\p{N}]+/gu
const TITLE = '"intitule":"'

/** The `intitule` of an offer's JSON as stored (compact, `intitule` a string), or undefined. */
function titleOf(body: string | Buffer): string | undefined {
  const text = typeof body === 'string' ? body : body.toString('utf8', 0, Math.min(body.length, 4096))
  const start = text.indexOf(TITLE)
  if (start < 0) return undefined
  let end = start + TITLE.length
  for (;;) {
    end = text.indexOf('"', end)
    if (end < 0) return undefined
    let backslashes = 0
    for (let at = end - 1; text[at] === '\\'; at--) backslashes++
    if (backslashes % 2 === 0) break
    end++
  }
  try {
    return JSON.parse(text.slice(start + TITLE.length - 1, end + 1)) as string
  } catch {
    return undefined
  }
}

function grown(counts: Uint32Array, index: number): Uint32Array {
  const next = new Uint32Array(Math.max(index + 1, counts.length * 2))
  next.set(counts)
  return next
}

/** The term numbers of an offer's JSON, none when it is not an offer's (a placeholder body in tests). */
function termsOfBody(body: string | Buffer): Uint32Array {
  let offer: unknown
  try {
    offer = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'))
  } catch {
    return new Uint32Array(0)
  }
  if (typeof offer !== 'object' || offer === null || typeof (offer as { intitule?: unknown }).intitule !== 'string') {
    return new Uint32Array(0)
  }
  return weightedTerms(offer as Offre).ids
}
