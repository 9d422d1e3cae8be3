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

const KIND_ORDER: Readonly<Record<SuggestionKind, number>> = { appellation: 0, commune: 1, keyword: 2 }

/** A suggestion before it is written out: its kind, its number in its kind's list, how near, how many offers. */
interface Candidate {
  readonly kind: SuggestionKind
  readonly id: number
  readonly distance: number
  readonly offers: number
  /** Keywords only (their number is not in a fixed list). */
  readonly label?: string
}

/** Nearest first, then the most offers, then by kind, then in the referential's order (or by label). */
function compare(a: Candidate, b: Candidate): number {
  return (
    a.distance - b.distance ||
    b.offers - a.offers ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.id - b.id ||
    ((a.label ?? '') < (b.label ?? '') ? -1 : (a.label ?? '') > (b.label ?? '') ? 1 : 0)
  )
}

/** The `limit` best candidates seen, in order: one comparison with the worst kept for most candidates. */
class Best {
  readonly kept: Candidate[] = []

  constructor(private readonly limit: number) {}

  offer(candidate: Candidate): void {
    const kept = this.kept
    if (kept.length === this.limit && compare(candidate, kept[kept.length - 1]!) >= 0) return
    let at = kept.length
    while (at > 0 && compare(candidate, kept[at - 1]!) < 0) at--
    kept.splice(at, 0, candidate)
    if (kept.length > this.limit) kept.pop()
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
  const found = collect(lexicon, counts, query, kinds, false, best)
  if (found < limit) {
    best = new Best(limit)
    collect(lexicon, counts, query, kinds, true, best)
  }
  return best.kept.map((candidate) => write(lexicon, candidate))
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

/** Offers every candidate to `best`; returns how many there were. */
function collect(
  lexicon: SearchLexicon,
  counts: LiveVocabulary,
  query: string,
  kinds: readonly SuggestionKind[],
  fuzzy: boolean,
  best: Best,
): number {
  let found = 0
  const numbers = numbersIn(lexicon, counts)
  if (kinds.includes('appellation')) {
    lexicon.appellations.match(query, fuzzy, (id, distance) => {
      found++
      best.offer({ kind: 'appellation', id, distance, offers: counts.appellationDocsAt(numbers.appellations[id]!) })
    })
  }
  if (kinds.includes('commune')) {
    lexicon.communes.match(query, fuzzy, (id, distance) => {
      found++
      let offers = counts.communeDocsAt(numbers.communes[id]!)
      const members = lexicon.cityMembers.size > 0 ? lexicon.cityMembers.get(id) : undefined
      for (const member of members ?? []) offers += counts.communeDocsAt(numbers.communes[member]!)
      best.offer({ kind: 'commune', id, distance, offers })
    })
  }
  if (kinds.includes('keyword')) {
    for (const candidate of keywords(lexicon, counts, query, fuzzy)) {
      found++
      best.offer(candidate)
    }
  }
  return found
}

function write(lexicon: SearchLexicon, candidate: Candidate): Suggestion {
  const { kind, distance, offers } = candidate
  if (kind === 'appellation') {
    const code = lexicon.appellationCodes[candidate.id]!
    const appellation = lexicon.referentials.appellations.get(code)
    return { kind, code, label: appellation?.libelle ?? code, romeCode: appellation?.romeCode ?? '', offers, distance }
  }
  if (kind === 'commune') {
    const code = lexicon.communeCodes[candidate.id]!
    const commune = lexicon.referentials.communes.get(code)
    return { kind, code, label: commune?.libelle ?? code, departement: commune?.codeDepartement ?? '', offers, distance }
  }
  return { kind, label: candidate.label ?? '', offers, distance }
}

/** Served terms whose reference words start with the typed word, one candidate per term. */
function keywords(lexicon: SearchLexicon, counts: LiveVocabulary, query: string, fuzzy: boolean): Candidate[] {
  const words = nameWords(query)
  if (words.length !== 1) return []
  const typed = words[0]!
  const best = new Map<string, { display: string; distance: number }>()
  lexicon.words.forEachSurfaceWithPrefix(typed, fuzzy ? allowedEdits(typed.length) : 0, (surface, distance) => {
    const known = best.get(surface.term)
    if (
      !known ||
      distance < known.distance ||
      (distance === known.distance && surface.display.length < known.display.length)
    ) {
      best.set(surface.term, { display: surface.display, distance })
    }
  })
  const candidates: Candidate[] = []
  for (const [term, { display, distance }] of best) {
    const offers = counts.termDocs(term)
    if (offers > 0) candidates.push({ kind: 'keyword', id: 0, label: display, offers, distance })
  }
  return candidates
}
