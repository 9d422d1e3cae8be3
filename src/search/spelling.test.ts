import { describe, expect, it } from 'vitest'
import { termOf } from './analyzer.js'
import { allowedEdits, spellingCandidates } from './spelling.js'
import { TERMS } from './terms.js'
import { WordLexicon } from './word-lexicon.js'

/** A lexicon of reference texts, and served counts by word (their terms interned as offers would). */
function fixture(texts: readonly string[], served: Readonly<Record<string, number>>) {
  const lexicon = new WordLexicon()
  for (const text of texts) lexicon.addText(text)
  const docs = new Map<string, number>()
  for (const [word, count] of Object.entries(served)) {
    const term = termOf(word)!
    TERMS.intern(term)
    docs.set(term, count)
  }
  lexicon.compact()
  const docsOf = (term: string) => docs.get(term) ?? 0
  const best = (word: string, except?: string) => spellingCandidates(lexicon, word, docsOf, except)[0]
  return { lexicon, docsOf, best }
}

const LABELS = [
  'Infirmier / Infirmière de bloc opératoire',
  'Développeur / Développeuse informatique',
  'Électricien / Électricienne du bâtiment',
  'Comptable',
  'Agent / Agente de service hospitalier',
  'Technicien / Technicienne de maintenance',
  'Seine',
]
const SERVED = { infirmier: 40, developpeur: 12, electricien: 9, comptable: 30, agent: 50, service: 20, technicien: 15, maintenance: 8, seine: 3 }

describe('allowedEdits', () => {
  it('allows no edit below 5 letters, one from 5, two from 9', () => {
    expect([1, 4, 5, 8, 9, 20].map(allowedEdits)).toEqual([0, 0, 1, 1, 2, 2])
  })
})

describe('spellingCandidates', () => {
  it('corrects the four misspellings of the issue to the served words, shown as written', () => {
    const { best } = fixture(LABELS, SERVED)
    expect(best('infirmeir')).toMatchObject({ term: termOf('infirmier'), display: 'infirmier', distance: 1, docs: 40 })
    expect(best('devloppeur')).toMatchObject({ term: termOf('développeur'), display: 'développeur', distance: 1 })
    expect(best('electricein')).toMatchObject({ term: termOf('électricien'), display: 'électricien', distance: 1 })
    expect(best('comptabel')).toMatchObject({ term: termOf('comptable'), display: 'comptable', distance: 1 })
  })

  it('measures the allowed edits on the longer word: a letter dropped from 5 is one edit', () => {
    const { best } = fixture(LABELS, SERVED)
    expect(best('sene')).toMatchObject({ display: 'seine', distance: 1 })
    expect(best('agt')).toBeUndefined()
  })

  it('allows two edits from 9 letters only', () => {
    const { best } = fixture(LABELS, SERVED)
    expect(best('tecnhicein')).toMatchObject({ display: 'technicien', distance: 2 })
    expect(best('cmoptabel')).toMatchObject({ display: 'comptable', distance: 2 })
    expect(best('sevrcie')).toBeUndefined()
  })

  it('never proposes a term no served offer holds', () => {
    const { best } = fixture(LABELS, { ...SERVED, comptable: 0 })
    expect(best('comptabel')).toBeUndefined()
  })

  it('prefers the nearest, then the term held by the most offers', () => {
    const { lexicon, docsOf } = fixture(['Tourneur', 'Tourneuse', 'Sourceur', 'Fourreur'], { tourneur: 5, sourceur: 2, fourreur: 9 })
    const candidates = spellingCandidates(lexicon, 'xourneur', docsOf)
    expect(candidates.map((candidate) => candidate.display)).toEqual(['tourneur'])
    const tied = spellingCandidates(lexicon, 'hourreur', docsOf)
    expect(tied.map((candidate) => [candidate.display, candidate.docs])).toEqual([['fourreur', 9]])
  })

  it('prefers a reference word to a term as near: stems are nearer to typos in endings', () => {
    // "laveru" is one edit from "laveur" and from "laveri", the term of the more frequent "laverie".
    const { best } = fixture(['Laveur', 'Laverie'], { laveur: 2, laverie: 30 })
    expect(best('laveru')).toMatchObject({ display: 'laveur', distance: 1 })
  })

  it('reaches served terms outside the reference texts by the terms themselves', () => {
    const { best } = fixture([], { logisticien: 4 })
    expect(best('logistiscien')).toMatchObject({ term: termOf('logisticien'), distance: 1 })
  })

  it('leaves out the term given as an exception, for the other spellings of a correct word', () => {
    const { best } = fixture(['Boucher', 'Boucherie', 'Bouchère'], { boucher: 7, boucherie: 3 })
    expect(best('boucherie', termOf('boucherie'))?.term).not.toBe(termOf('boucherie'))
  })
})
