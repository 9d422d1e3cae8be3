import { stemmer } from '@orama/stemmers/french'
import { stopwords } from '@orama/stopwords/french'
import { foldAccents } from '../shared/text.js'

const STOP_WORDS = new Set<string>(stopwords.map((word) => foldAccents(word)))

/**
 * Feminine (and plural feminine) endings mapped to the masculine singular before stemming.
 *
 * Job titles come in both genders ("Infirmier / Infirmière", "Vendeur / Vendeuse"); the Snowball
 * French stemmer leaves pairs such as vendeur/vendeux or infirmi/infirmier apart, and it stems
 * accented and unaccented spellings differently. Folding accents first and then mapping these
 * endings makes 99 % of the gender pairs of the ROME vocabulary meet, whatever the accents the user
 * typed. The same mapping runs on offers and on queries, so an over-eager rule only widens recall.
 */
const FEMININE_ENDINGS: readonly (readonly [string, string])[] = [
  ['ieres', 'ier'],
  ['iere', 'ier'],
  ['euses', 'eur'],
  ['euse', 'eur'],
  ['trices', 'teur'],
  ['trice', 'teur'],
  ['iennes', 'ien'],
  ['ienne', 'ien'],
  ['eres', 'er'],
  ['ere', 'er'],
  ['ees', 'e'],
  ['ee', 'e'],
]

function toMasculine(word: string): string {
  for (const [ending, replacement] of FEMININE_ENDINGS) {
    if (word.endsWith(ending) && word.length - ending.length >= 2) {
      return word.slice(0, -ending.length) + replacement
    }
  }
  return word
}

const TOKEN = /[\p{L}\p{N}]+/gu
const cache = new Map<string, string>()
const CACHE_LIMIT = 200_000

/** The index term of one already lower-cased word, or undefined for a stop word. */
export function termOf(word: string): string | undefined {
  const cached = cache.get(word)
  if (cached !== undefined) return cached === '' ? undefined : cached
  const folded = foldAccents(word)
  let term = ''
  if (!STOP_WORDS.has(folded)) {
    // Codes and numbers ("d1102", "35h") are kept whole; words are normalised then stemmed.
    term = /\d/.test(folded) ? folded : stemmer(toMasculine(folded))
  }
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(word, term)
  return term === '' ? undefined : term
}

/**
 * French analysis of a text into index terms: lower case, accents folded, split on anything that
 * is not a letter or a digit, stop words dropped, gender endings unified, Snowball stemming.
 * Terms keep their order and repeats (callers that need a set dedupe).
 */
export function analyze(text: string): string[] {
  const terms: string[] = []
  forEachTerm(text, (term) => terms.push(term))
  return terms
}

/** `analyze` without building the list: calls `callback` with each term in order. */
export function forEachTerm(text: string, callback: (term: string) => void): void {
  for (const match of text.toLowerCase().matchAll(TOKEN)) {
    const term = termOf(match[0])
    if (term !== undefined) callback(term)
  }
}

/** A word as typed (lower case) and its index term. */
export interface TypedWord {
  readonly word: string
  readonly term: string
}

/** The words of a text that give a term (stop words dropped), each with it, in order. */
export function typedWords(text: string): TypedWord[] {
  const words: TypedWord[] = []
  for (const match of text.toLowerCase().matchAll(TOKEN)) {
    const term = termOf(match[0])
    if (term !== undefined) words.push({ word: match[0], term })
  }
  return words
}
