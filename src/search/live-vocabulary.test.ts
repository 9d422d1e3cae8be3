import { beforeAll, describe, expect, it } from 'vitest'
import { serializeOffer } from '../domain/offers/offer-json.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { generateOffers } from '../ingest/demo/generate-offers.js'
import { loadReferentials } from '../storage/reference-data.js'
import { LiveVocabulary } from './live-vocabulary.js'
import { extractFeatures, type OfferFeatures } from './offer-features.js'
import { TERMS } from './terms.js'

let referentials: Referentials
beforeAll(() => {
  referentials = loadReferentials()
})

/** Counts of terms, appellations and communes over some offers, the slow way. */
function expected(features: readonly OfferFeatures[]) {
  const terms = new Map<number, number>()
  const appellations = new Map<string, number>()
  const communes = new Map<string, number>()
  for (const item of features) {
    for (const id of item.terms.ids) terms.set(id, (terms.get(id) ?? 0) + 1)
    for (const code of item.appellations) appellations.set(code, (appellations.get(code) ?? 0) + 1)
    if (item.commune !== undefined) communes.set(item.commune, (communes.get(item.commune) ?? 0) + 1)
  }
  return { terms, appellations, communes }
}

describe('LiveVocabulary', () => {
  it('counts the offers holding each term, appellation and commune as offers come and go', () => {
    const offers = [...generateOffers(referentials, { count: 400, seed: 'vocabulary', now: new Date('2026-11-28T00:00:00Z') })]
    // Some offers carry an appellation tag of the store besides the one of their label.
    const features = offers.map((offer, i) => extractFeatures(offer, referentials, { appellations: i % 9 === 0 ? ['10698'] : [] }))
    const vocabulary = new LiveVocabulary()
    features.forEach((item, slot) => vocabulary.added(slot, item))
    const removed = new Set<number>()
    offers.forEach((offer, slot) => {
      if (slot % 3 === 0) {
        vocabulary.removed(slot, serializeOffer(offer))
        removed.add(slot)
      }
    })
    const served = features.filter((_, slot) => !removed.has(slot))
    const { terms, appellations, communes } = expected(served)
    for (let id = 0; id < TERMS.size; id++) expect(vocabulary.termDocsById(id), TERMS.codeOf(id)).toBe(terms.get(id) ?? 0)
    for (const code of new Set(features.flatMap((item) => item.appellations))) expect(vocabulary.appellationDocs(code), code).toBe(appellations.get(code) ?? 0)
    for (const code of new Set(features.flatMap((item) => item.commune ?? []))) expect(vocabulary.communeDocs(code), code).toBe(communes.get(code) ?? 0)
    expect(vocabulary.termDocs('infirmi')).toBe(terms.get(TERMS.get('infirmi') ?? -1) ?? 0)
    expect(vocabulary.termDocs('never-seen-term')).toBe(0)
  })

  it('ignores a body that is not an offer’s JSON', () => {
    const vocabulary = new LiveVocabulary()
    const [offer] = generateOffers(referentials, { count: 1, seed: 'placeholder', now: new Date('2026-11-28T00:00:00Z') })
    const features = extractFeatures(offer!, referentials)
    vocabulary.added(0, features)
    vocabulary.removed(0, '{}')
    expect(vocabulary.communeDocs(features.commune ?? '')).toBe(0)
    expect(vocabulary.version).toBe(2)
  })

  it('keeps the title words of the offers that bring terms never seen, as written', () => {
    const vocabulary = new LiveVocabulary()
    const [first, second] = generateOffers(referentials, { count: 2, seed: 'harvest', now: new Date('2026-11-28T00:00:00Z') })
    const titled = { ...first!, intitule: 'Marmiton "chef" de partie (H/F)' }
    vocabulary.added(0, extractFeatures(titled, referentials), serializeOffer(titled))
    expect(vocabulary.harvestedWords()).toEqual(['marmiton', 'chef', 'partie'])
    // The same terms again: nothing to harvest.
    const again = { ...second!, intitule: 'Chef de partie' }
    vocabulary.added(1, extractFeatures({ ...again, competences: [], formations: [], langues: [], permis: [], romeLibelle: titled.romeLibelle, appellationlibelle: titled.appellationlibelle, romeCode: titled.romeCode }, referentials), serializeOffer(again))
    expect(vocabulary.harvestedWords(3)).toEqual([])
  })
})
