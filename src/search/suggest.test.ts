import { beforeAll, describe, expect, it } from 'vitest'
import { serializeOffer } from '../domain/offers/offer-json.js'
import type { Offre } from '../domain/offers/offer.schema.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { generateOffers } from '../ingest/demo/generate-offers.js'
import { loadReferentials } from '../storage/reference-data.js'
import { loadRomeVocabulary } from '../storage/rome-vocabulary.js'
import { LiveVocabulary } from './live-vocabulary.js'
import { NameIndex } from './name-index.js'
import { termOf } from './analyzer.js'
import { extractFeatures } from './offer-features.js'
import { SearchLexicon } from './search-lexicon.js'
import { suggest, type Suggestion } from './suggest.js'
import { TERMS } from './terms.js'

let referentials: Referentials
let lexicon: SearchLexicon
let offers: Offre[]
beforeAll(() => {
  referentials = loadReferentials()
  lexicon = new SearchLexicon(referentials, loadRomeVocabulary())
  offers = [...generateOffers(referentials, { count: 1500, seed: 'suggest', now: new Date('2026-11-28T00:00:00Z') })]
}, 60_000)

function served(list: readonly Offre[]): LiveVocabulary {
  const vocabulary = new LiveVocabulary()
  list.forEach((offer, slot) => vocabulary.added(slot, extractFeatures(offer, referentials)))
  return vocabulary
}

const ALL = ['appellation', 'commune', 'keyword'] as const
const labels = (suggestions: readonly Suggestion[]) => suggestions.map((item) => `${item.kind}:${item.label}`)

describe('NameIndex', () => {
  const index = new NameIndex()
  index.add(0, 'Agent de service hospitalier')
  index.add(1, 'Agent de sécurité')
  index.add(2, 'Infirmier de bloc opératoire')
  index.add(2, 'IBODE')
  index.compact()
  const match = (query: string, fuzzy = false) => {
    const found: [number, number][] = []
    index.match(query, fuzzy, (target, distance) => found.push([target, distance]))
    return found.sort((a, b) => a[0] - b[0])
  }

  it('finds names holding every word, the last one begun, in any order, accents and case aside', () => {
    expect(match('agent de s')).toEqual([[0, 0], [1, 0]])
    expect(match('service hosp')).toEqual([[0, 0]])
    expect(match('Sécu')).toEqual([[1, 0]])
    expect(match('secu')).toEqual([[1, 0]])
    expect(match('agent de ')).toEqual([[0, 0], [1, 0]])
    expect(match('ibo')).toEqual([[2, 0]])
  })

  it('lists the targets of one or two letters as any prefix would find them', () => {
    expect(match('s')).toEqual([[0, 0], [1, 0]])
    expect(match('SÉ')).toEqual([[0, 0], [1, 0]])
    expect(match('h')).toEqual([[0, 0]])
    expect(match('x')).toEqual([])
  })

  it('takes typed words within the allowed edits only when asked', () => {
    expect(match('infrimier')).toEqual([])
    expect(match('infrimier', true)).toEqual([[2, 1]])
    expect(match('agent hopsitalier', true)).toEqual([[0, 1]])
    expect(match('agnt', true)).toEqual([])
  })
})

describe('suggest', () => {
  it('proposes appellations with their ROME code, communes with their département, and keywords', () => {
    const vocabulary = served(offers)
    const found = suggest(lexicon, vocabulary, 'infirm', ALL, 50)
    const appellation = found.find((item) => item.kind === 'appellation')
    expect(appellation).toMatchObject({ romeCode: expect.stringMatching(/^J15/) as unknown, code: expect.any(String) as unknown })
    expect(found.find((item) => item.kind === 'keyword')?.label).toBe('infirmier')
    expect(suggest(lexicon, vocabulary, 'lyo', ['commune'], 3)[0]).toMatchObject({ kind: 'commune', code: '69123', label: 'LYON', departement: '69' })
  })

  it('ranks by the offers each would find, a city counting its arrondissements', () => {
    const vocabulary = served(offers)
    const found = suggest(lexicon, vocabulary, 'a', ALL, 20)
    const counts = found.map((item) => item.offers)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
    const lyon = offers.filter((offer) => /^6938\d$|^69123$/.test(offer.lieuTravail.commune ?? '')).length
    expect(suggest(lexicon, vocabulary, 'lyon', ['commune'], 1)[0]?.offers).toBe(lyon)
    const keyword = suggest(lexicon, vocabulary, 'infirmier', ['keyword'], 1)[0]
    const term = TERMS.get(termOf('infirmier') ?? '')
    expect(keyword?.offers).toBe(offers.filter((offer) => term !== undefined && extractFeatures(offer, referentials).terms.ids.includes(term)).length)
  })

  it('ignores accents and case, and forgives a typo when the prefix as typed finds too little', () => {
    const vocabulary = served(offers)
    expect(labels(suggest(lexicon, vocabulary, 'ÉLECTRI', ALL, 10))).toEqual(labels(suggest(lexicon, vocabulary, 'electri', ALL, 10)))
    const typo = suggest(lexicon, vocabulary, 'infrimier', ALL, 10)
    expect(typo.length).toBeGreaterThan(0)
    expect(typo.every((item) => item.distance === 1)).toBe(true)
    expect(labels(typo)).toContain('keyword:infirmier')
    expect(suggest(lexicon, vocabulary, 'ash', ['appellation'], 5).map((item) => item.code)).toContain('10698')
  })

  it('follows the offers as they come and go', () => {
    const vocabulary = served(offers)
    const before = suggest(lexicon, vocabulary, 'lyon', ['commune'], 1)[0]?.offers ?? 0
    const inLyon = offers.findIndex((offer) => offer.lieuTravail.commune === '69383' || offer.lieuTravail.commune === '69123')
    vocabulary.removed(inLyon, serializeOffer(offers[inLyon]!))
    expect(suggest(lexicon, vocabulary, 'lyon', ['commune'], 1)[0]?.offers).toBe(before - 1)
    expect(suggest(lexicon, served([]), 'infirmier', ['keyword'], 5)).toEqual([])
  })

  it('keeps to the kinds asked and to the limit', () => {
    const vocabulary = served(offers)
    expect(new Set(suggest(lexicon, vocabulary, 'sa', ['commune'], 10).map((item) => item.kind))).toEqual(new Set(['commune']))
    expect(suggest(lexicon, vocabulary, 'sa', ALL, 3)).toHaveLength(3)
  })
})
