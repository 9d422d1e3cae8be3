import type { OfferChange, OfferLogRepository, WrittenOffers } from '../domain/offers/offers.repository.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { Coalesced } from '../shared/coalesced.js'
import { featuresOf } from './index-loader.js'
import { withMetadata } from './offer-features.js'
import type { OfferIndex } from './offer-index.js'
import { searchDocVersion } from './search-doc.js'

const PAGE = 1000

/**
 * Keeps one node's index equal to the store by applying the change log in order, from the number
 * the index was loaded at. `poke()` is called after a local write, on a notification from another
 * node, and by a periodic timer (which catches up whatever a lost notification missed); calls
 * while a catch-up runs are folded into one more pass, so no change is applied twice at once and
 * none is skipped.
 */
export class ChangeFollower {
  private readonly passes: Coalesced
  private readonly version: string
  private readonly listeners = new Set<(seq: number) => void>()
  private upToDate: number | undefined

  constructor(
    private readonly index: OfferIndex,
    private readonly log: OfferLogRepository,
    private readonly referentials: Referentials,
    private applied: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.version = searchDocVersion(referentials.fingerprint)
    this.passes = new Coalesced(async () => {
      try {
        await this.catchUp()
      } catch (error) {
        this.onError(error)
      }
    })
  }

  /** Number of the last change applied to the index. */
  get seq(): number {
    return this.applied
  }

  /**
   * When (ms since the epoch) the last pass that read the log to its end started: the index holds
   * every change committed before then. Undefined until a pass has reached the end.
   */
  get upToDateAt(): number | undefined {
    return this.upToDate
  }

  /** Calls `listener` with the new number each time changes have been applied. */
  subscribe(listener: (seq: number) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Applies every change not applied yet; resolves once the index has caught up with the store as of the call. */
  poke(): Promise<void> {
    return this.passes.run()
  }

  /**
   * Applies offers this node has just created from memory, when they are exactly the next changes
   * of the log (contiguous numbers right after the last applied one); otherwise reads the log as
   * `poke()` does. A pass already reading the log goes first: it may have applied them. Either way
   * the index ends up as the log says. Updates are always read back: the store merges an offer's
   * appellation codes with its former ones.
   */
  async applyWritten(written: WrittenOffers): Promise<void> {
    while (this.passes.running) await this.passes.running
    const sorted = [...written].sort((a, b) => a.seq - b.seq)
    const last = sorted.at(-1)?.seq
    if (last !== undefined && last <= this.applied) return
    const next = sorted.every((item, at) => item.seq === this.applied + 1 + at)
    if (last === undefined || !next || !sorted.every((item) => item.created)) return this.poke()
    for (const { record } of sorted) {
      // The features the record's search document encodes, as decoding it would give them.
      this.index.add(withMetadata(record.features, record), record.json)
    }
    this.applied = last
    for (const listener of this.listeners) listener(this.applied)
  }

  private async catchUp(): Promise<void> {
    const started = Date.now()
    for (;;) {
      const changes = await this.log.changesAfter(this.applied, PAGE)
      for (const change of changes) this.apply(change)
      if (changes.length > 0) {
        this.applied = changes.at(-1)?.seq ?? this.applied
        for (const listener of this.listeners) listener(this.applied)
      }
      if (changes.length < PAGE) {
        this.upToDate = started
        return
      }
    }
  }

  private apply(change: OfferChange): void {
    // A superseded change is applied by the later one, which is further in the log.
    const current = change.current
    if (!current) return
    if (current.status === 'active') {
      this.index.add(featuresOf(current, this.referentials, this.version).features, current.json)
    } else {
      this.index.remove(current.id)
    }
  }
}
