import type { Offre } from '../domain/offers/offer.schema.js'
import type { OffersRepository } from '../domain/offers/offers.repository.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { extractFeatures } from './offer-features.js'
import type { OfferIndex } from './offer-index.js'

const BATCH = 5000

/**
 * Fills an empty index with the active offers of the store, newest first. The JSON was validated
 * when it was stored, so it is parsed, not re-validated; it is served as stored.
 */
export async function loadIndex(
  index: OfferIndex,
  offers: OffersRepository,
  referentials: Referentials,
  onProgress?: (loaded: number) => void,
): Promise<number> {
  let loaded = 0
  for await (const batch of offers.activeInIndexOrder(BATCH)) {
    for (const stored of batch) {
      const offer = JSON.parse(stored.json) as Offre
      const features = extractFeatures(offer, referentials, { appellations: stored.appellations, mrs: stored.mrs })
      index.add(features, Buffer.from(stored.json))
    }
    loaded += batch.length
    onProgress?.(loaded)
  }
  index.compact()
  return loaded
}
