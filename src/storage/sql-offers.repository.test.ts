import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../domain/offers/offer.schema.js'
import { serializeOffer } from '../domain/offers/offer-json.js'
import type { OfferRecord, StoredOffer } from '../domain/offers/offers.repository.js'
import { testDatabases } from '../../test/support/databases.js'
import { extractFeatures } from '../search/offer-features.js'
import { loadReferentials } from './reference-data.js'
import { SqlOffersRepository } from './sql-offers.repository.js'

const REAL = JSON.parse(
  readFileSync(new URL('../../test/fixtures/offres/offres-appellation-404939-178.json', import.meta.url), 'utf8'),
) as Offre[]
const referentials = loadReferentials()

const record = (offer: Offre, appellations: string[] = [], searchVersion = 'v1'): OfferRecord => ({
  offer,
  json: serializeOffer(offer),
  appellations,
  mrs: false,
  source: 'test',
  searchDoc: `["${offer.id}"]`,
  searchVersion,
  features: extractFeatures(offer, referentials),
})

async function all(repository: SqlOffersRepository, batchSize: number) {
  const rows: StoredOffer[] = []
  const sizes: number[] = []
  const total = await repository.forEachActive(batchSize, (batch) => {
    sizes.push(batch.length)
    rows.push(...batch)
  })
  expect(total).toBe(rows.length)
  expect(sizes.slice(0, -1).every((size) => size === batchSize)).toBe(true)
  return rows
}

describe.each(testDatabases())('offers store on $name', (store) => {
  let database: Awaited<ReturnType<typeof store.open>>
  let repository: SqlOffersRepository

  beforeAll(async () => {
    database = await store.open()
    repository = new SqlOffersRepository(database.db, database.streamRows)
  })
  afterAll(() => database.drop())

  it('starts empty', async () => {
    expect(await repository.isEmpty()).toBe(true)
    expect(await repository.countActive()).toBe(0)
  })

  it('creates, then reports unchanged offers as unchanged', async () => {
    const created = await repository.upsert(REAL.map((offer) => record(offer)))
    expect(created).toMatchObject({ created: 178, updated: 0, unchanged: 0 })
    expect(new Set(created.changed.map((item) => item.id))).toEqual(new Set(REAL.map((offer) => offer.id)))
    expect(created.changed.every((item) => item.created)).toBe(true)
    expect(await repository.upsert(REAL.map((offer) => record(offer)))).toEqual({ created: 0, updated: 0, unchanged: 178, changed: [] })
    expect(await repository.countActive()).toBe(178)
    expect(await repository.isEmpty()).toBe(false)
  })

  it('updates a changed offer and keeps its JSON text exactly', async () => {
    const first = REAL[0]
    if (!first) throw new Error('empty fixture')
    const changed = { ...first, intitule: `${first.intitule} (modifiée)` }
    expect(await repository.upsert([record(changed)])).toEqual({
      created: 0,
      updated: 1,
      unchanged: 0,
      changed: [{ id: first.id, created: false, seq: expect.any(Number) as number }],
    })
    const stored = (await all(repository, 500)).find((row) => row.id === first.id)
    expect(stored?.json.toString()).toBe(serializeOffer(changed))
    await repository.upsert([record(first)])
  })

  it('keeps every character of the JSON and of the search document, escapes included', async () => {
    const first = REAL[2]
    if (!first) throw new Error('short fixture')
    const tricky = `Guillemets " et \\ barre, « chevrons », tab\tligne\nsaut, \u2028, emoji 👩‍🍳, \u0000 nul, \ud800 seul`
    const changed = { ...first, description: tricky, entreprise: { ...first.entreprise, nom: '"ACME\\" & Cie' } }
    // A search document holds analysed terms (letters and digits), never a NUL.
    const written = { ...record(changed), searchDoc: `["${first.id}","\\\\\\"",${JSON.stringify(tricky.replace('\u0000', ''))}]` }
    await repository.upsert([written])
    const stored = (await all(repository, 500)).find((row) => row.id === first.id)
    expect(stored?.json.toString()).toBe(written.json)
    expect(stored?.searchDoc?.toString()).toBe(written.searchDoc)
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

  it('hands every active offer over exactly once, across batches', async () => {
    const rows = await all(repository, 7)
    expect(rows).toHaveLength(178)
    expect(new Set(rows.map((row) => row.id))).toEqual(new Set(REAL.map((offer) => offer.id)))
    for (const row of rows) expect(JSON.parse(row.json.toString())).toEqual(REAL.find((offer) => offer.id === row.id))
  })

  it('reads the same offers through the bulk path and through the cursor', async () => {
    const plain = new SqlOffersRepository(database.db)
    const rows: StoredOffer[] = []
    await plain.forEachActive(50, (batch) => void rows.push(...batch))
    const bulk = await all(repository, 50)
    const byId = (list: StoredOffer[]) =>
      new Map(list.map((row) => [row.id, { json: row.json.toString(), appellations: row.appellations, mrs: row.mrs }]))
    expect(byId(bulk)).toEqual(byId(rows))
  })

  it('hands the search documents over with their version', async () => {
    const rows = await all(repository, 100)
    for (const row of rows) {
      expect(row.searchDoc?.toString()).toBe(`["${row.id}"]`)
      expect(row.searchVersion).toBe('v1')
    }
  })

  it('finds the offers whose search document is stale, and updates them', async () => {
    expect(await repository.staleSearchDocs('v1', 500)).toEqual([])
    const stale = await repository.staleSearchDocs('v2', 10)
    expect(stale).toHaveLength(10)
    await repository.updateSearchDocs(stale.map((row) => ({ id: row.id, searchDoc: '["new"]', searchVersion: 'v2' })))
    expect((await repository.staleSearchDocs('v2', 500)).map((row) => row.id)).not.toContain(stale[0]?.id)
    expect(await repository.staleSearchDocs('v2', 500)).toHaveLength(168)
    const updated = (await all(repository, 500)).find((row) => row.id === stale[0]?.id)
    expect(updated?.searchDoc?.toString()).toBe('["new"]')
    await repository.upsert(REAL.map((offer) => record(offer)))
    expect(await repository.staleSearchDocs('v1', 500)).toEqual([])
  })

  it('keeps the last of two records with the same id in one batch', async () => {
    const offer = REAL[2]
    if (!offer) throw new Error('empty fixture')
    const counts = await repository.upsert([record({ ...offer, intitule: 'A' }), record({ ...offer, intitule: 'B' })])
    expect(counts.created + counts.updated + counts.unchanged).toBe(2)
    const stored = (await all(repository, 500)).find((row) => row.id === offer.id)
    expect(JSON.parse(stored?.json.toString() ?? '{}')).toMatchObject({ intitule: 'B' })
    await repository.upsert([record(offer)])
  })

  it('compresses the offers\' JSON with LZ4 where the server has it, else as before', async () => {
    const offer = REAL[3]
    if (!offer) throw new Error('short fixture')
    // Long enough to be compressed whatever the fixture: past the 2 KB threshold, compressible.
    await repository.upsert([record({ ...offer, description: 'Poste polyvalent. '.repeat(400) })])
    const { rows } = await sql<{ method: string | null }>`select pg_column_compression(payload) as method from offers where id = ${offer.id}`.execute(database.db)
    expect(rows[0]?.method).toBe(database.kind === 'postgres' ? 'lz4' : 'pglz')
    await repository.upsert([record(offer)])
  })
})
