import type { LiveVocabulary } from './live-vocabulary.js'
import { nameWords } from './name-index.js'
import type { SearchLexicon } from './search-lexicon.js'
import { allowedEdits } from './spelling.js'

export type SuggestionKind = 'appellation' | 'commune' | 'keyword'

/** One suggestion: what to search, and how many served offers that search finds. */
export interface Suggestion {
  readonly kind: SuggestionKind
  /** Appellation code (OGR) or commune code (INSEE); none for a keyword. */
  readonly code?: string
  /** The appellation's label, the commune's, or the keyword. */
  readonly label: string
  readonly romeCode?: string
  readonly departement?: string
  /**
   * Served offers found by `appellation=code`, by `commune=code&distance=0` (a city with
   * arrondissements counts theirs), or by `motsCles=label`.
   */
  readonly offers: number
  /** Edits between what was typed and the suggestion's words (0: the prefix as typed). */
  readonly distance: number
}

const KINDS: readonly SuggestionKind[] = ['appellation', 'commune', 'keyword']
const APPELLATION = 0
const COMMUNE = 1
const KEYWORD = 2

/**
 * The `limit` best candidates seen, in order, in parallel arrays of numbers (a candidate is its
 * kind, its number in its kind's list, its distance and its offers): most candidates of a short
 * prefix cost one comparison with the worst kept, and no allocation. Nearest first, then the most
 * offers, then by kind (appellations, communes, keywords), then in the lists' order.
 */
class Best {
  readonly kinds: number[] = []
  readonly ids: number[] = []
  readonly distances: number[] = []
  readonly offers: number[] = []
  seen = 0

  constructor(private readonly limit: number) {}

  offer(kind: number, id: number, distance: number, offers: number): void {
    this.seen++
    let at = this.ids.length
    if (at === this.limit && !this.before(kind, id, distance, offers, at - 1)) return
    while (at > 0 && this.before(kind, id, distance, offers, at - 1)) at--
    this.kinds.splice(at, 0, kind)
    this.ids.splice(at, 0, id)
    this.distances.splice(at, 0, distance)
    this.offers.splice(at, 0, offers)
    if (this.ids.length > this.limit) {
      this.kinds.pop()
      this.ids.pop()
      this.distances.pop()
      this.offers.pop()
    }
  }

  private before(kind: number, id: number, distance: number, offers: number, at: number): boolean {
    return (
      distance - this.distances[at]! ||
      this.offers[at]! - offers ||
      kind - this.kinds[at]! ||
      id - this.ids[at]!
    ) < 0
  }
}

/**
 * Suggestions for what a user is typing, of the asked kinds: appellations and communes whose
 * names hold every typed word (the last one as the start of a word), and keywords completing a
 * single typed word; accents and case aside, and within the allowed edits when the words as
 * typed do not give `limit` suggestions. Ranked by distance, then by the served offers they find
 * (counted live), then by kind.
 */
export function suggest(
  lexicon: SearchLexicon,
  counts: LiveVocabulary,
  query: string,
  kinds: readonly SuggestionKind[],
  limit: number,
): Suggestion[] {
  lexicon.words.absorb(counts)
  let best = new Best(limit)
  collect(lexicon, counts, query, kinds, false, best)
  if (best.seen < limit) {
    best = new Best(limit)
    collect(lexicon, counts, query, kinds, true, best)
  }
  return best.ids.map((id, at) => write(lexicon, best.kinds[at]!, id, best.distances[at]!, best.offers[at]!))
}

/** The numbers in a vocabulary of the lexicon's appellations and communes, renewed when it has seen new codes. */
const numbering = new WeakMap<LiveVocabulary, { seen: number; appellations: Int32Array; communes: Int32Array }>()

function numbersIn(lexicon: SearchLexicon, counts: LiveVocabulary): { appellations: Int32Array; communes: Int32Array } {
  let numbers = numbering.get(counts)
  if (!numbers || numbers.seen !== counts.codesSeen) {
    numbers = {
      seen: counts.codesSeen,
      appellations: counts.appellationNumbers(lexicon.appellationCodes),
      communes: counts.communeNumbers(lexicon.communeCodes),
    }
    numbering.set(counts, numbers)
  }
  return numbers
}

/** Offers every candidate to `best`. */
function collect(
  lexicon: SearchLexicon,
  counts: LiveVocabulary,
  query: string,
  kinds: readonly SuggestionKind[],
  fuzzy: boolean,
  best: Best,
): void {
  const numbers = numbersIn(lexicon, counts)
  if (kinds.includes('appellation')) {
    const appellations = numbers.appellations
    lexicon.appellations.match(query, fuzzy, (id, distance) =>
      best.offer(APPELLATION, id, distance, counts.appellationDocsAt(appellations[id]!)),
    )
  }
  if (kinds.includes('commune')) {
    const communes = numbers.communes
    const members = lexicon.cityMembers
    lexicon.communes.match(query, fuzzy, (id, distance) => {
      let offers = counts.communeDocsAt(communes[id]!)
      const city = members[id]
      if (city) for (const member of city) offers += counts.communeDocsAt(communes[member]!)
      best.offer(COMMUNE, id, distance, offers)
    })
  }
  if (kinds.includes('keyword')) keywords(lexicon, counts, query, fuzzy, best)
}

function write(lexicon: SearchLexicon, kind: number, id: number, distance: number, offers: number): Suggestion {
  if (kind === APPELLATION) {
    const code = lexicon.appellationCodes[id]!
    const appellation = lexicon.referentials.appellations.get(code)
    return { kind: KINDS[kind]!, code, label: appellation?.libelle ?? code, romeCode: appellation?.romeCode ?? '', offers, distance }
  }
  if (kind === COMMUNE) {
    const code = lexicon.communeCodes[id]!
    const commune = lexicon.referentials.communes.get(code)
    return { kind: KINDS[kind]!, code, label: commune?.libelle ?? code, departement: commune?.codeDepartement ?? '', offers, distance }
  }
  return { kind: 'keyword', label: lexicon.words.surfaceAt(id).display, offers, distance }
}

/** Per term number: the query it was last seen in, its best surface and distance (scratch, grown as needed). */
const scratch = { query: 0, stamps: new Uint32Array(0), surfaces: new Int32Array(0), distances: new Uint8Array(0) }

/**
 * Served terms whose words start with the typed word: one candidate per term, its word the
 * nearest to what was typed, then the shortest (the masculine singular, usually).
 */
function keywords(lexicon: SearchLexicon, counts: LiveVocabulary, query: string, fuzzy: boolean, best: Best): void {
  const words = nameWords(query)
  if (words.length !== 1) return
  const typed = words[0]!
  const stamp = ++scratch.query
  const terms: number[] = []
  lexicon.words.forEachSurfaceWithPrefix(typed, fuzzy ? allowedEdits(typed.length) : 0, (surface, distance) => {
    const term = lexicon.words.termIdOf(surface)
    if (term < 0) return
    if (term >= scratch.stamps.length) {
      const size = Math.max(term + 1, scratch.stamps.length * 2, 1024)
      const stamps = new Uint32Array(size)
      stamps.set(scratch.stamps)
      const surfaces = new Int32Array(size)
      surfaces.set(scratch.surfaces)
      const distances = new Uint8Array(size)
      distances.set(scratch.distances)
      Object.assign(scratch, { stamps, surfaces, distances })
    }
    if (scratch.stamps[term] !== stamp) {
      scratch.stamps[term] = stamp
      scratch.surfaces[term] = surface
      scratch.distances[term] = distance
      terms.push(term)
      return
    }
    const known = scratch.distances[term]!
    const shorter = lexicon.words.surfaceAt(surface).display.length < lexicon.words.surfaceAt(scratch.surfaces[term]!).display.length
    if (distance < known || (distance === known && shorter)) {
      scratch.surfaces[term] = surface
      scratch.distances[term] = distance
    }
  })
  for (const term of terms) {
    const offers = counts.termDocsById(term)
    if (offers > 0) best.offer(KEYWORD, scratch.surfaces[term]!, scratch.distances[term]!, offers)
  }
}
