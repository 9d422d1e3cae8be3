import type { Offre } from '../domain/offers/offer.schema.js'
import type { OffersRepository, StoredOffer } from '../domain/offers/offers.repository.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { extractFeatures, type OfferFeatures } from './offer-features.js'
import { decodeSearchDoc, encodeSearchDoc, searchDocVersion } from './search-doc.js'
import type { OfferIndex } from './offer-index.js'

const BATCH = 5000
const DESCRIPTION = Buffer.from('"description":"')

/**
 * The offer's JSON text without its first `description` member. Nothing the index derives comes
 * from the description, which is 40 % of an offer: skipping it before decoding and parsing saves
 * a sixth of a million-offer load. In a JSON text every quote inside a string is escaped, so the
 * byte sequence `"description":"` can only be a member name; the top-level one comes first in the
 * stored key order.
 */
export function withoutDescription(json: Buffer): string {
  const start = json.indexOf(DESCRIPTION)
  if (start < 0) return json.toString('utf8')
  let end = start + DESCRIPTION.length
  for (;;) {
    end = json.indexOf(0x22, end)
    if (end < 0) return json.toString('utf8')
    let backslashes = 0
    for (let at = end - 1; json[at] === 0x5c; at--) backslashes++
    if (backslashes % 2 === 0) break
    end++
  }
  // Remove the member with one of the commas around it.
  if (json[end + 1] === 0x2c) return json.toString('utf8', 0, start) + json.toString('utf8', end + 2)
  if (json[start - 1] === 0x2c) return json.toString('utf8', 0, start - 1) + json.toString('utf8', end + 1)
  return json.toString('utf8', 0, start) + json.toString('utf8', end + 1)
}

/** What a load found. */
export interface LoadReport {
  readonly loaded: number
  /** Offers whose stored search document was missing or stale: derived from their JSON instead. */
  readonly stale: number
}

/**
 * The search features of a stored offer: from its stored search document when that is current,
 * else from its JSON (validated when stored, so parsed, not re-validated).
 */
export function featuresOf(stored: StoredOffer, referentials: Referentials, version: string): { features: OfferFeatures; stale: boolean } {
  const metadata = { appellations: stored.appellations, mrs: stored.mrs }
  if (stored.searchDoc !== undefined && stored.searchVersion === version) {
    return { features: decodeSearchDoc(stored.id, stored.searchDoc.toString(), metadata), stale: false }
  }
  const text = typeof stored.json === 'string' ? stored.json : withoutDescription(stored.json)
  return { features: extractFeatures(JSON.parse(text) as Offre, referentials, metadata), stale: true }
}

/**
 * Fills an empty index with the active offers of the store. Each offer's features come from its
 * stored search document when that is current, else from its JSON (validated when stored, so
 * parsed, not re-validated). The JSON is served as stored.
 */
export async function loadIndex(
  index: OfferIndex,
  offers: OffersRepository,
  referentials: Referentials,
  onProgress?: (loaded: number) => void,
): Promise<LoadReport> {
  const version = searchDocVersion(referentials.fingerprint)
  let loaded = 0
  let stale = 0
  await offers.forEachActive(BATCH, (batch) => {
    for (const stored of batch) {
      const { features, stale: wasStale } = featuresOf(stored, referentials, version)
      if (wasStale) stale++
      index.add(features, stored.json)
    }
    loaded += batch.length
    onProgress?.(loaded)
  })
  index.finishLoad()
  return { loaded, stale }
}

/**
 * Recomputes the search documents the load found stale, in small batches so that the store stays
 * available to other work; returns how many were rewritten.
 */
export async function refreshSearchDocs(offers: OffersRepository, referentials: Referentials, batchSize = 500): Promise<number> {
  const version = searchDocVersion(referentials.fingerprint)
  let refreshed = 0
  let afterId = ''
  for (;;) {
    const stale = await offers.staleSearchDocs(version, batchSize, afterId)
    if (stale.length === 0) return refreshed
    afterId = stale.at(-1)?.id ?? afterId
    await offers.updateSearchDocs(
      stale.map((stored) => ({
        id: stored.id,
        searchDoc: encodeSearchDoc(extractFeatures(JSON.parse(stored.json.toString()) as Offre, referentials)),
        searchVersion: version,
      })),
    )
    refreshed += stale.length
  }
}
