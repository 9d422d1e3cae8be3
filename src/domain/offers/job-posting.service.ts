import type { OffresService } from './offres.service.js'
import type { Offre } from './offer.schema.js'
import type { Referentials } from '../referentials/referentials.js'
import { jobPostingJson, toJobPosting } from './job-posting.js'

/** When the store last wrote an active offer or saw it sent again unchanged (port). */
export interface OfferConfirmations {
  /** Undefined when the offer is unknown or no longer active. */
  confirmedAt(id: string): Promise<Date | undefined>
}

const DAY_MS = 86_400_000

/**
 * When active offers expire: OFFER_TTL_DAYS after their source last wrote or sent them. The date
 * moves on each time the source sends the offer again, so it is read from the store when asked.
 */
export class OfferExpiry {
  constructor(
    private readonly confirmations: OfferConfirmations,
    private readonly ttlDays: number,
  ) {}

  /** The date the offer leaves search unless its source sends it again; undefined when it is not active. */
  async expiresAt(id: string): Promise<Date | undefined> {
    const confirmed = await this.confirmations.confirmedAt(id)
    return confirmed === undefined ? undefined : new Date(confirmed.getTime() + this.ttlDays * DAY_MS)
  }
}

/** One active offer as a schema.org JobPosting (the detail's `Accept: application/ld+json`). */
export class JobPostingService {
  constructor(
    private readonly deps: {
      readonly offres: OffresService
      readonly referentials: Referentials
      /** Gives `validThrough`; without it the posting has none. */
      readonly expiry?: OfferExpiry | undefined
    },
  ) {}

  /**
   * The JSON-LD text of the offer served by the index, or undefined when it is unknown or no
   * longer active (the detail's 204).
   *
   * @throws UnavailableError while the index is loading, or when the store cannot say when the offer expires.
   */
  async jobPosting(id: string): Promise<string | undefined> {
    const body = this.deps.offres.detail(id)
    if (body === undefined) return undefined
    const offer = JSON.parse(body.toString('utf8')) as Offre
    const validThrough = await this.deps.expiry?.expiresAt(id)
    return jobPostingJson(toJobPosting(offer, { referentials: this.deps.referentials, validThrough }))
  }
}
