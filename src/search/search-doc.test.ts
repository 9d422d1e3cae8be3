import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../domain/offers/offer.schema.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { generateOffers } from '../ingest/demo/generate-offers.js'
import { loadReferentials } from '../storage/reference-data.js'
import { extractFeatures, withMetadata, type OfferFeatures } from './offer-features.js'
import { SEARCH_DOC_CODE_VERSION, decodeSearchDoc, encodeSearchDoc } from './search-doc.js'
import { TERMS } from './terms.js'

const REAL = JSON.parse(
  readFileSync(new URL('../../test/fixtures/offres/offres-appellation-404939-178.json', import.meta.url), 'utf8'),
) as Offre[]

/**
 * Digest of the search documents of the 178 real offers, recorded with the code version. When
 * extraction, analysis or the reference data change, this changes: bump SEARCH_DOC_CODE_VERSION
 * if code changed (data changes are caught by the referentials' fingerprint), then record the new
 * digest here.
 */
const RECORDED = { version: 1, digest: '89fdb6cd4693d9e0' }

let referentials: Referentials
beforeAll(() => {
  referentials = loadReferentials()
})

/** Features with terms as words, comparable across encodings. */
const comparable = (features: OfferFeatures) => ({
  ...features,
  terms: Object.fromEntries([...features.terms.ids].map((id, i) => [TERMS.codeOf(id), features.terms.weights[i]])),
})

describe('search documents', () => {
  it('decode to the features they were encoded from', () => {
    const generated = [...generateOffers(referentials, { count: 500, seed: 'docs', now: new Date('2026-11-01T00:00:00Z') })]
    for (const offer of [...REAL, ...generated]) {
      const features = extractFeatures(offer, referentials)
      expect(comparable(decodeSearchDoc(offer.id, encodeSearchDoc(features)))).toEqual(comparable(features))
    }
  })

  it('merge the store metadata like extraction does', () => {
    const offer = REAL[0] as Offre
    const metadata = { appellations: ['404939', '10200'], mrs: true }
    const decoded = decodeSearchDoc(offer.id, encodeSearchDoc(extractFeatures(offer, referentials)), metadata)
    expect(comparable(decoded)).toEqual(comparable(extractFeatures(offer, referentials, metadata)))
    // The writing node applies the features it encoded, with the metadata, without decoding them.
    expect(comparable(withMetadata(extractFeatures(offer, referentials), metadata))).toEqual(comparable(decoded))
    expect(comparable(withMetadata(extractFeatures(offer, referentials), {}))).toEqual(comparable(extractFeatures(offer, referentials)))
  })

  it('refuse a malformed document', () => {
    expect(() => decodeSearchDoc('X', '[1,2]')).toThrow(SyntaxError)
  })

  it('change only with a new version (see RECORDED)', () => {
    const digest = createHash('sha256')
    for (const offer of REAL) digest.update(encodeSearchDoc(extractFeatures(offer, referentials)))
    const actual = digest.digest('hex').slice(0, 16)
    expect({ version: SEARCH_DOC_CODE_VERSION, digest: actual }).toEqual(RECORDED)
  })
})
