import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Random } from '../../src/ingest/demo/random.js'
import {
  drawKeywordQueries,
  editDistance,
  editWord,
  EDIT_KINDS,
  misspellAll,
  misspellQuery,
  MIN_TYPO_LETTERS,
} from '../../bench/typos/misspell.js'

/**
 * The misspelled queries of `npm run bench:typos` and `npm run bench:peers` (bench/typos/misspell.ts):
 * one edit each, to a word of at least 5 letters, the same for the same seed.
 */

const TITLES = [
  'Infirmier / Infirmière en soins généraux (IDE) H/F',
  'Développeur / Développeuse web',
  'Électricien du bâtiment',
  'Comptable (F/H)',
  'Chauffeur poids lourd',
  'Aide-soignant de nuit',
  'Agent de quai',
]
const STOP_WORDS = new Set(['de', 'du', 'en', 'web'])
const isStopWord = (word: string) => STOP_WORDS.has(word)

const letters = (word: string) => [...word].length
const WORD = /\p{L}+/gu

describe('editWord', () => {
  it.each(EDIT_KINDS)('makes exactly one %s', (edit) => {
    const random = Random.from(`edit-${edit}`)
    for (const word of ['infirmier', 'électricien', 'comptable', 'aaaab']) {
      const typo = editWord(word, edit, random)
      expect(typo).not.toBe(word)
      expect(editDistance(word, typo)).toBe(1)
      const lengthChange = { insertion: 1, deletion: -1, substitution: 0, transposition: 0 }[edit]
      expect(letters(typo) - letters(word)).toBe(lengthChange)
    }
  })

  it('leaves a word with no two different neighbours alone when asked to transpose', () => {
    expect(editWord('aaaaa', 'transposition', Random.from('t'))).toBe('aaaaa')
  })
})

describe('misspellQuery', () => {
  it('edits one word of at least 5 letters, once, and leaves the rest of the query as it was', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zéèàç]{1,12}$/), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(' ', ','),
        fc.integer(),
        (words, separator, seed) => {
          const query = words.join(separator)
          const misspelling = misspellQuery(query, Random.from(seed))
          if (!words.some((word) => letters(word) >= MIN_TYPO_LETTERS)) {
            expect(misspelling).toBeUndefined()
            return
          }
          expect(misspelling).toBeDefined()
          if (!misspelling) return
          expect(letters(misspelling.word)).toBeGreaterThanOrEqual(MIN_TYPO_LETTERS)
          expect(editDistance(misspelling.word, misspelling.typo)).toBe(1)
          expect(editDistance(query, misspelling.misspelled)).toBe(1)
          const before = [...query.matchAll(WORD)].map((match) => match[0])
          const after = [...misspelling.misspelled.matchAll(WORD)].map((match) => match[0])
          // Only the edited word changed: the separators and every other word are as they were.
          expect(after.filter((word, at) => word !== before[at])).toEqual([misspelling.typo])
        },
      ),
    )
  })

  it('draws again when the caller refuses an edit', () => {
    const misspelling = misspellQuery('vendeur', Random.from('s'), (_word, typo) => !typo.endsWith('s') && typo.length === 7)
    expect(misspelling?.typo).toHaveLength(7)
    expect(misspellQuery('vendeur', Random.from('s'), () => false)).toBeUndefined()
  })
})

describe('drawKeywordQueries and misspellAll', () => {
  it('are deterministic for a seed and differ with another', () => {
    const draw = (seed: string) => drawKeywordQueries(TITLES, { count: 12, seed, isStopWord })
    expect(draw('a')).toEqual(draw('a'))
    expect(draw('a')).not.toEqual(draw('b'))
    const queries = draw('a').map((query) => query.motsCles)
    expect(misspellAll(queries, 'x')).toEqual(misspellAll(queries, 'x'))
    expect(misspellAll(queries, 'x')).not.toEqual(misspellAll(queries, 'y'))
  })

  it('draws distinct queries of title words, with a long word, no stop word and no one-letter word', () => {
    const queries = drawKeywordQueries(TITLES, { count: 15, seed: 'shapes', isStopWord })
    expect(new Set(queries.map((query) => query.motsCles)).size).toBe(queries.length)
    for (const { motsCles, shape } of queries) {
      const words = [...motsCles.matchAll(WORD)].map((match) => match[0])
      expect(words.some((word) => letters(word) >= MIN_TYPO_LETTERS)).toBe(true)
      expect(words.every((word) => letters(word) >= 2 && !isStopWord(word))).toBe(true)
      expect(words.every((word) => TITLES.some((title) => title.toLowerCase().includes(word)))).toBe(true)
      expect(motsCles.includes(',')).toBe(shape === 'keywords')
    }
    expect(new Set(queries.map((query) => query.shape))).toEqual(new Set(['word', 'phrase', 'keywords']))
  })

  it('misspells every query that has a word of 5 letters, each with one edit', () => {
    const queries = drawKeywordQueries(TITLES, { count: 15, seed: 'all', isStopWord }).map((query) => query.motsCles)
    const misspellings = misspellAll(queries, 'all')
    expect(misspellings.map((item) => item.original)).toEqual(queries)
    for (const item of misspellings) expect(editDistance(item.original, item.misspelled)).toBe(1)
  })
})

describe('editDistance', () => {
  it('counts a transposition as one edit (optimal string alignment)', () => {
    expect(editDistance('infirmier', 'infirmeir')).toBe(1)
    expect(editDistance('comptable', 'comptabel')).toBe(1)
    expect(editDistance('developpeur', 'devloppeur')).toBe(1)
    expect(editDistance('electricien', 'electricein')).toBe(1)
    expect(editDistance('abc', 'ca')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
  })
})
