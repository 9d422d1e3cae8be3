import { serializeOffer } from '../domain/offers/offer-json.js'
import type { Offre } from '../domain/offers/offer.schema.js'
import type { OfferRecord } from '../domain/offers/offers.repository.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { extractFeatures } from '../search/offer-features.js'
import { encodeSearchDoc, searchDocVersion } from '../search/search-doc.js'

/** What the store keeps of a valid offer: its served JSON, its search document, its provenance. */
export function offerRecord(
  offer: Offre,
  referentials: Referentials,
  options: { appellations: readonly string[]; source: string; mrs?: boolean; owner?: string },
): OfferRecord {
  const features = extractFeatures(offer, referentials)
  return {
    offer,
    json: serializeOffer(offer),
    appellations: options.appellations,
    mrs: options.mrs ?? false,
    source: options.source,
    ...(options.owner === undefined ? {} : { owner: options.owner }),
    searchDoc: encodeSearchDoc(features),
    searchVersion: searchDocVersion(referentials.fingerprint),
    features,
  }
}
