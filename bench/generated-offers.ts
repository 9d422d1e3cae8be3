import { serializeOffer } from '../src/domain/offers/offer-json.js'
import type { Offre } from '../src/domain/offers/offer.schema.js'
import type { OffersRepository, SearchDocUpdate, StoredOffer, UpsertCounts } from '../src/domain/offers/offers.repository.js'
import type { Referentials } from '../src/domain/referentials/referentials.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'

/** The corpus of the search benchmarks: `npm run bench`'s seed and date. */
export const BENCH_SEED = 'bench'
export const BENCH_NOW = new Date('2026-11-28T00:00:00.000Z')

/** The generated offers of a bench (seeded: offer `i` is the same in every run and every size). */
export function benchOffers(referentials: Referentials, count: number): Generator<Offre> {
  return generateOffers(referentials, { count, seed: BENCH_SEED, now: BENCH_NOW })
}

/** The generated offers as a store hands them to the index loader: JSON as served, no producer metadata (as the demo import leaves them). */
export function* storedOffers(offers: Iterable<Offre>): Generator<StoredOffer> {
  for (const offer of offers) yield { id: offer.id, json: serializeOffer(offer), appellations: [], mrs: false }
}

const notInBench = (what: string) => Promise.reject(new Error(`${what} is not part of the benchmark's store`))

/**
 * Offers as the index loader reads a store, from memory or generated on the fly: with no stored
 * search document, the loader derives the features from the JSON. The bench thus builds its index
 * the way a node does at start (`loadIndex`), without spending minutes importing into a store.
 */
export class BenchOffersRepository implements OffersRepository {
  /** @param offers the offers, read once per `forEachActive` */
  constructor(private readonly offers: () => Iterable<StoredOffer>) {}

  async forEachActive(batchSize: number, onBatch: (batch: StoredOffer[]) => void | Promise<void>): Promise<number> {
    let batch: StoredOffer[] = []
    let handed = 0
    for (const offer of this.offers()) {
      batch.push(offer)
      if (batch.length === batchSize) {
        await onBatch(batch)
        handed += batch.length
        batch = []
      }
    }
    if (batch.length > 0) await onBatch(batch)
    return handed + batch.length
  }

  countActive(): Promise<number> {
    return notInBench('countActive')
  }

  isEmpty(): Promise<boolean> {
    return notInBench('isEmpty')
  }

  upsert(): Promise<UpsertCounts> {
    return notInBench('upsert')
  }

  staleSearchDocs(): Promise<StoredOffer[]> {
    return notInBench('staleSearchDocs')
  }

  updateSearchDocs(_updates: readonly SearchDocUpdate[]): Promise<void> {
    return notInBench('updateSearchDocs')
  }
}
