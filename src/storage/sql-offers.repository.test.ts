import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../domain/offers/offer.schema.js'
import { serializeOffer } from '../domain/offers/offer-json.js'
import type { OfferRecord } from '../domain/offers/offers.repository.js'
import { testDatabases } from '../../test/support/databases.js'
import { SqlOffersRepository } from './sql-offers.repository.js'

const REAL = JSON.parse(
  readFileSync(new URL('../../test/fixtures/offres/offres-appellation-404939-178.json', import.meta.url), 'utf8'),
) as Offre[]

const record = (offer: Offre, appellations: string[] = []): OfferRecord => ({
  offer,
  json: serializeOffer(offer),
  appellations,
  mrs: false,
  source: 'test',
})

async function all(repository: SqlOffersRepository, batchSize: number) {
  const rows = []
  for await (const batch of repository.activeInIndexOrder(batchSize)) rows.push(...batch)
  return rows
}

describe.each(testDatabases())('offers store on $name', (store) => {
  let database: Awaited<ReturnType<typeof store.open>>
  let repository: SqlOffersRepository

  beforeAll(async () => {
    database = await store.open()
    repository = new SqlOffersRepository(database.db)
  })
  afterAll(() => database.drop())

  it('starts empty', async () => {
    expect(await repository.isEmpty()).toBe(true)
    expect(await repository.countActive()).toBe(0)
  })

  it('creates, then reports unchanged offers as unchanged', async () => {
    expect(await repository.upsert(REAL.map((offer) => record(offer)))).toEqual({ created: 178, updated: 0, unchanged: 0 })
    expect(await repository.upsert(REAL.map((offer) => record(offer)))).toEqual({ created: 0, updated: 0, unchanged: 178 })
    expect(await repository.countActive()).toBe(178)
    expect(await repository.isEmpty()).toBe(false)
  })

  it('updates a changed offer and keeps its JSON text exactly', async () => {
    const first = REAL[0]
    if (!first) throw new Error('empty fixture')
    const changed = { ...first, intitule: `${first.intitule} (modifiée)` }
    expect(await repository.upsert([record(changed)])).toEqual({ created: 0, updated: 1, unchanged: 0 })
    const stored = (await all(repository, 500)).find((row) => row.id === first.id)
    expect(stored?.json).toBe(serializeOffer(changed))
    await repository.upsert([record(first)])
  })

  it('accumulates appellation codes across imports', async () => {
    const offer = REAL[1]
    if (!offer) throw new Error('empty fixture')
    await repository.upsert([record(offer, ['404939'])])
    await repository.upsert([record(offer, ['10200'])])
    expect(await repository.upsert([record(offer, ['404939'])])).toMatchObject({ unchanged: 1 })
    const stored = (await all(repository, 500)).find((row) => row.id === offer.id)
    expect(stored?.appellations).toEqual(['10200', '404939'])
  })

  it('lists active offers newest first, then by origin and id, across batches', async () => {
    const rows = await all(repository, 7)
    expect(rows).toHaveLength(178)
    const byId = new Map(REAL.map((offer) => [offer.id, offer]))
    const key = (id: string) => {
      const offer = byId.get(id)
      return { date: Date.parse(offer?.dateCreation ?? ''), origine: offer?.origineOffre.origine ?? '', id }
    }
    for (let i = 1; i < rows.length; i++) {
      const a = key(rows[i - 1]?.id ?? '')
      const b = key(rows[i]?.id ?? '')
      const ordered = a.date > b.date || (a.date === b.date && (a.origine < b.origine || (a.origine === b.origine && a.id < b.id)))
      expect(ordered).toBe(true)
    }
  })

  it('keeps the last of two records with the same id in one batch', async () => {
    const offer = REAL[2]
    if (!offer) throw new Error('empty fixture')
    const counts = await repository.upsert([record({ ...offer, intitule: 'A' }), record({ ...offer, intitule: 'B' })])
    expect(counts.created + counts.updated + counts.unchanged).toBe(2)
    const stored = (await all(repository, 500)).find((row) => row.id === offer.id)
    expect(JSON.parse(stored?.json ?? '{}')).toMatchObject({ intitule: 'B' })
    await repository.upsert([record(offer)])
  })
})
