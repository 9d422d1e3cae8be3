import { beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../domain/offers/offer.schema.js'
import type { OfferChange, OfferLogRepository, OfferRecord } from '../domain/offers/offers.repository.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { generateOffers } from '../ingest/demo/generate-offers.js'
import { offerRecord } from '../ingest/offer-record.js'
import { loadReferentials } from '../storage/reference-data.js'
import { ChangeFollower } from './change-follower.js'
import type { OfferFeatures } from './offer-features.js'
import type { OfferIndex } from './offer-index.js'

let referentials: Referentials
let records: OfferRecord[]

beforeAll(() => {
  referentials = loadReferentials()
  const offers = [...generateOffers(referentials, { count: 6, seed: 'follower', now: new Date('2026-11-01T00:00:00Z') })]
  records = offers.map((offer: Offre) => offerRecord(offer, referentials, { appellations: [], source: 'deposit', owner: 'client' }))
})

/** The calls an index receives, in order. */
function recordingIndex() {
  const calls: string[] = []
  const index = {
    add: (features: OfferFeatures) => calls.push(`add ${features.id}`),
    remove: (id: string) => calls.push(`remove ${id}`),
  }
  return { calls, index: index as unknown as OfferIndex }
}

/** A change log holding `records` as changes 1…n; reads wait for `gate` when one is set. */
function changeLog(logged: readonly OfferRecord[]) {
  const state = { reads: 0, gate: undefined as Promise<void> | undefined }
  const changes: OfferChange[] = logged.map((record, at) => ({
    seq: at + 1,
    id: record.offer.id,
    kind: 'upsert',
    at: new Date(0),
    current: {
      id: record.offer.id,
      json: record.json,
      appellations: record.appellations,
      mrs: record.mrs,
      searchDoc: record.searchDoc,
      searchVersion: record.searchVersion,
      status: 'active',
      owner: 'client',
      dateCreation: new Date(record.offer.dateCreation),
      updatedAt: new Date(0),
      closedReason: null,
      closedAt: null,
      seq: at + 1,
    },
  }))
  const log = {
    changesAfter: async (seq: number, limit: number) => {
      state.reads++
      await state.gate
      return changes.filter((change) => change.seq > seq).slice(0, limit)
    },
  }
  return { state, log: log as unknown as OfferLogRepository }
}

const written = (from: number, items: readonly OfferRecord[]) => items.map((record, at) => ({ seq: from + at, created: true, record }))

describe('ChangeFollower', () => {
  it('applies the offers a node has just written from memory when they are the next changes', async () => {
    const { calls, index } = recordingIndex()
    const { state, log } = changeLog(records)
    const follower = new ChangeFollower(index, log, referentials, 0)
    const seen: number[] = []
    follower.subscribe((seq) => seen.push(seq))
    await follower.applyWritten(written(1, records.slice(0, 3)))
    expect(state.reads).toBe(0)
    expect(calls).toEqual(records.slice(0, 3).map((record) => `add ${record.offer.id}`))
    expect(follower.seq).toBe(3)
    expect(seen).toEqual([3])
  })

  it('reads the log when something else was written in between', async () => {
    const { calls, index } = recordingIndex()
    const { state, log } = changeLog(records)
    const follower = new ChangeFollower(index, log, referentials, 0)
    // Changes 1 and 2 were written by another node: the log is read, every change applied once, in order.
    await follower.applyWritten(written(3, records.slice(2, 4)))
    expect(state.reads).toBeGreaterThan(0)
    expect(calls).toEqual(records.map((record) => `add ${record.offer.id}`))
    expect(follower.seq).toBe(records.length)
  })

  it('lets a pass already reading the log go first, and applies nothing twice', async () => {
    const { calls, index } = recordingIndex()
    const { state, log } = changeLog(records)
    const follower = new ChangeFollower(index, log, referentials, 0)
    let open = () => undefined as void
    state.gate = new Promise<void>((resolve) => (open = resolve))
    // The periodic poll starts reading; meanwhile this node's write of every change is answered.
    const poll = follower.poke()
    const local = follower.applyWritten(written(1, records))
    open()
    await Promise.all([poll, local])
    // The poll's one read found them; the write path neither reads again nor applies them again.
    expect(state.reads).toBe(1)
    expect(calls).toEqual(records.map((record) => `add ${record.offer.id}`))
    expect(follower.seq).toBe(records.length)
  })

  it('tells since when the index holds every change: the start of the last pass that read to the log’s end', async () => {
    const { index } = recordingIndex()
    const { state, log } = changeLog(records)
    const errors: unknown[] = []
    const follower = new ChangeFollower(index, log, referentials, 0, (error) => errors.push(error))
    expect(follower.upToDateAt).toBeUndefined()
    const before = Date.now()
    await follower.poke()
    const first = follower.upToDateAt ?? 0
    expect(first).toBeGreaterThanOrEqual(before)
    expect(first).toBeLessThanOrEqual(Date.now())
    // A pass that fails (the store away) leaves it as it was: the lag grows until a pass succeeds.
    state.gate = Promise.reject(new Error('store away'))
    state.gate.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 2))
    await follower.poke()
    expect(errors).toHaveLength(1)
    expect(follower.upToDateAt).toBe(first)
  })
})
