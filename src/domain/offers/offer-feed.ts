import { GoneError } from '../../shared/errors.js'
import { jsonText, type OfferChange, type OfferLogRepository, type OfferState, type StoredOffer } from './offers.repository.js'

/** One entry of the change feed: an offer in full, or the tombstone of a closed one. */
export type FeedEntry =
  | { readonly seq: number; readonly type: 'offre'; readonly id: string; readonly date: string; readonly offre: unknown }
  | {
      readonly seq: number
      readonly type: 'fermeture'
      readonly id: string
      readonly date: string
      readonly raison: string
      /** The codes a copy filters on, so that a client that kept only some offers knows this one. */
      readonly codes: Record<string, string>
    }

/** A page of the feed and the cursor to ask for the next one. */
export interface FeedPage {
  readonly curseur: string
  readonly changements: readonly FeedEntry[]
}

const SNAPSHOT_PAGE = 1000

/** The filterable codes of a closed offer: what its tombstone carries. */
function codesOf(state: OfferState): Record<string, string> {
  const offer = JSON.parse(jsonText(state)) as {
    romeCode?: string
    typeContrat?: string
    natureContrat?: string
    codeNAF?: string
    secteurActivite?: string
    qualificationCode?: string
    experienceExige?: string
    lieuTravail?: { commune?: string; codePostal?: string }
    origineOffre?: { origine?: string }
  }
  const codes: Record<string, string | undefined> = {
    romeCode: offer.romeCode,
    commune: offer.lieuTravail?.commune,
    codePostal: offer.lieuTravail?.codePostal,
    typeContrat: offer.typeContrat,
    natureContrat: offer.natureContrat,
    codeNAF: offer.codeNAF,
    secteurActivite: offer.secteurActivite,
    qualificationCode: offer.qualificationCode,
    experienceExige: offer.experienceExige,
    origineOffre: offer.origineOffre?.origine,
  }
  return Object.fromEntries(Object.entries(codes).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/** The feed entry of a change, or undefined when a later change supersedes it. */
export function feedEntry(change: OfferChange): FeedEntry | undefined {
  const current = change.current
  if (!current) return undefined
  const date = change.at.toISOString()
  if (current.status === 'active') return { seq: change.seq, type: 'offre', id: change.id, date, offre: JSON.parse(jsonText(current)) }
  return { seq: change.seq, type: 'fermeture', id: change.id, date, raison: current.closedReason ?? 'annulee', codes: codesOf(current) }
}

/**
 * The change feed and the snapshot of the active offers. The feed is the change log read after a
 * cursor, each offer given as it is now; a change that a later one supersedes is left out (the
 * later one follows), so replaying the feed in order on a copy gives the store's state. The
 * snapshot's cursor is taken before it is read: changes made while it streams are in the feed
 * from that cursor, and replaying them on the snapshot is harmless.
 */
export class OfferFeed {
  constructor(private readonly log: OfferLogRepository) {}

  /**
   * Changes after `cursor` (0: from the start of what is kept), at most `limit` log entries read.
   *
   * @throws GoneError when changes after the cursor may have been forgotten: the client must start
   *   again from a snapshot.
   */
  async page(cursor: number, limit: number): Promise<FeedPage> {
    await this.checkCursor(cursor)
    const changes = await this.log.changesAfter(cursor, limit)
    const entries = changes.map(feedEntry).filter((entry): entry is FeedEntry => entry !== undefined)
    return { curseur: String(changes.at(-1)?.seq ?? cursor), changements: entries }
  }

  /** @throws GoneError when changes after `cursor` may have been forgotten. */
  async checkCursor(cursor: number): Promise<void> {
    if (cursor > 0 && cursor < (await this.log.prunedThrough())) {
      throw new GoneError('Curseur expiré : des changements postérieurs ne sont plus conservés ; repartir d’un instantané (/offres/instantane).')
    }
  }

  /** The cursor of a snapshot about to be read. */
  cursor(): Promise<number> {
    return this.log.lastSeq()
  }

  /** Every active offer's JSON, by pages of short reads (the store is never held by a slow reader). */
  async *activeOffers(): AsyncGenerator<StoredOffer> {
    let after = ''
    for (;;) {
      const page = await this.log.activeAfter(after, SNAPSHOT_PAGE)
      yield* page
      if (page.length < SNAPSHOT_PAGE) return
      after = page.at(-1)?.id ?? after
    }
  }
}
