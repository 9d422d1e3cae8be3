import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { OffresService } from '../../src/domain/offers/offres.service.js'
import { serializeOffer } from '../../src/domain/offers/offer-json.js'
import type { Offre } from '../../src/domain/offers/offer.schema.js'
import type { Referentials } from '../../src/domain/referentials/referentials.js'
import { parseSearchParams } from '../../src/http/offres/search-params.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { termOf } from '../../src/search/analyzer.js'
import { MemoryBodyStore } from '../../src/search/body-store.js'
import { extractFeatures } from '../../src/search/offer-features.js'
import { OfferIndex } from '../../src/search/offer-index.js'
import { testLexicon, testReferentials } from '../support/test-app.js'

/**
 * Property (issue 14): keywords whose words all match offers give exactly the search as typed —
 * same total, same offers in the same order, same facets, same page — with correction on (the
 * default) and off (`rechercheExacte=true`), and no `X-Mots-Cles-Corriges`.
 */

const NOW = Date.parse('2026-11-20T12:00:00.000Z')
const REAL = new URL('../fixtures/offres/offres-appellation-404939-178.json', import.meta.url)
const WORD = /[\p{L}\p{N}]+/gu

let referentials: Referentials
let service: OffresService
/** Words of the offers' searched texts whose terms some served offer holds. */
let words: string[]

beforeAll(() => {
  referentials = testReferentials()
  const real = JSON.parse(readFileSync(REAL, 'utf8')) as Offre[]
  const offers = [...real, ...generateOffers(referentials, { count: 3000, seed: 'keyword-properties', now: new Date(NOW) })]
  const index = new OfferIndex(referentials, new MemoryBodyStore())
  for (const offer of offers) index.add(extractFeatures(offer, referentials), serializeOffer(offer))
  // Some offers leave: their words must still read as typed while others hold them.
  for (const offer of offers.filter((_, i) => i % 17 === 0)) index.remove(offer.id)
  index.finishLoad()
  service = new OffresService({ lexicon: testLexicon, pageCacheBytes: 0, searchCache: false })
  service.serve(index)
  const seen = new Set<string>()
  for (const offer of offers.filter((_, i) => i % 17 !== 0)) {
    for (const text of [offer.intitule, offer.appellationlibelle ?? '', ...(offer.competences ?? []).map((item) => item.libelle)]) {
      for (const match of text.matchAll(WORD)) {
        const word = match[0].toLowerCase()
        if (word.length >= 2 && termOf(word) !== undefined) seen.add(word)
      }
    }
  }
  words = [...seen].sort()
}, 120_000)

const run = (query: string) => {
  const { query: parsed, window, typedKeywords, keywordMode } = parseSearchParams(query, referentials, NOW)
  const { result, body, corrections } = service.search(parsed, window, { typed: typedKeywords, mode: keywordMode })
  return { total: result.total, docs: [...result.docs], facets: result.facets, body: body?.toString(), corrections }
}

describe('keywords that all match', () => {
  it('search exactly as with rechercheExacte=true, without corrections', () => {
    const keyword = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 3 })
    fc.assert(
      fc.property(
        fc.array(keyword, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('', '&sort=1', '&sort=0&range=0-9', '&typeContrat=CDI', '&departement=33,69', '&experience=1&sort=1', '&range=150-299'),
        (picks, filters) => {
          const keywords = picks.map((pick) => pick.map((at) => words[at % words.length] ?? '').join(' '))
          const query = `motsCles=${encodeURIComponent(keywords.join(','))}${filters}`
          const corrected = run(query)
          const exact = run(`${query}&rechercheExacte=true`)
          expect(corrected.corrections).toEqual([])
          expect(corrected).toEqual(exact)
        },
      ),
      { numRuns: 300, seed: 14 },
    )
  })
})
