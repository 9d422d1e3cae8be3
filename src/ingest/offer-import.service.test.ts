import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../domain/offers/offer.schema.js'
import type { OfferRecord, OffersRepository, StoredOffer, UpsertCounts } from '../domain/offers/offers.repository.js'
import { loadReferentials } from '../storage/reference-data.js'
import { readNdjson, readOfferFile, type RawRecord } from './offer-file.js'
import { OfferImportService } from './offer-import.service.js'

const REAL = JSON.parse(
  readFileSync(new URL('../../test/fixtures/offres/offres-exemple-data-engineer-2.json', import.meta.url), 'utf8'),
) as Offre[]

/** An in-memory store honouring the repository contract. */
class InMemoryOffers implements OffersRepository {
  readonly rows = new Map<string, OfferRecord>()
  batches = 0

  upsert(records: readonly OfferRecord[]): Promise<UpsertCounts> {
    this.batches++
    const counts = { created: 0, updated: 0, unchanged: 0 }
    for (const record of records) {
      const previous = this.rows.get(record.offer.id)
      if (!previous) counts.created++
      else if (previous.json === record.json) counts.unchanged++
      else counts.updated++
      this.rows.set(record.offer.id, record)
    }
    return Promise.resolve(counts)
  }

  countActive(): Promise<number> {
    return Promise.resolve(this.rows.size)
  }

  isEmpty(): Promise<boolean> {
    return Promise.resolve(this.rows.size === 0)
  }

  staleSearchDocs(): Promise<StoredOffer[]> {
    return Promise.resolve([])
  }

  updateSearchDocs(): Promise<void> {
    return Promise.resolve()
  }

  async forEachActive(batchSize: number, onBatch: (batch: StoredOffer[]) => void | Promise<void>): Promise<number> {
    const rows = [...this.rows.values()].map((row) => ({ id: row.offer.id, json: row.json, appellations: row.appellations, mrs: row.mrs }))
    for (let at = 0; at < rows.length; at += batchSize) await onBatch(rows.slice(at, at + batchSize))
    return rows.length
  }
}

const folder = mkdtempSync(join(tmpdir(), 'openemploi-import-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
let service: OfferImportService
let store: InMemoryOffers

beforeAll(() => {
  store = new InMemoryOffers()
  service = new OfferImportService({ offers: store, referentials: loadReferentials() })
})

async function collect(records: AsyncIterable<RawRecord>) {
  const all: RawRecord[] = []
  for await (const record of records) all.push(record)
  return all
}

describe('readOfferFile', () => {
  it('reads a JSON array, numbering items from 1', async () => {
    const path = join(folder, 'array.json')
    writeFileSync(path, `\uFEFF  ${JSON.stringify(REAL)}`)
    expect(await collect(readOfferFile(path))).toEqual([
      { position: 1, value: REAL[0] },
      { position: 2, value: REAL[1] },
    ])
  })

  it('reads NDJSON by line number, skipping blank lines and reporting bad JSON', async () => {
    const path = join(folder, 'lines.ndjson')
    writeFileSync(path, `${JSON.stringify(REAL[0])}\n\n{oops\r\n${JSON.stringify(REAL[1])}\n`)
    const records = await collect(readOfferFile(path))
    expect(records.map((record) => record.position)).toEqual([1, 3, 4])
    expect(records[1]).toMatchObject({ position: 3, error: expect.stringContaining('not valid JSON') as unknown })
  })

  it('fails clearly on a file that is JSON but not an array of offers', async () => {
    const path = join(folder, 'object.json')
    writeFileSync(path, '[1, 2')
    await expect(collect(readOfferFile(path))).rejects.toThrow()
  })
})

describe('readNdjson', () => {
  /** A stream handing the text over in chunks of `size` bytes, cutting lines and characters anywhere. */
  function chunks(text: string, size: number): Readable {
    const bytes = Buffer.from(text)
    const pieces: Buffer[] = []
    for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size))
    return Readable.from(pieces)
  }
  const lines = ['\uFEFF{"intitule":"Métreur / Métreuse — bâtiment"}', '', '  ', '{"a":[1,2]}\r', '{oops', '"€ à 1 ligne"']

  it('gives the same records whatever the chunks, lines and characters cut anywhere', async () => {
    const text = lines.join('\n')
    const expected = [
      { position: 1, value: { intitule: 'Métreur / Métreuse — bâtiment' } },
      { position: 4, value: { a: [1, 2] } },
      { position: 5, error: expect.stringContaining('not valid JSON') as unknown },
      { position: 6, value: '€ à 1 ligne' },
    ]
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      expect(await collect(readNdjson(chunks(text, size)))).toEqual(expected)
      expect(await collect(readNdjson(chunks(`${text}\n`, size)))).toEqual(expected)
    }
  })

  it('reports the lines past the limit without parsing them', async () => {
    const records = await collect(readNdjson(chunks('{"a":1}\n{"a":2}\n{not json', 5), { maxLines: 1 }))
    expect(records).toEqual([
      { position: 1, value: { a: 1 } },
      { position: 2, error: 'beyond the 1 lines one deposit may hold' },
      { position: 3, error: 'beyond the 1 lines one deposit may hold' },
    ])
  })

  it('reports the lines longer than the limit, whatever the chunks, and reads on', async () => {
    const long = `{"a":"${'x'.repeat(100)}"}`
    const text = ['{"a":1}', long, '{"a":"12345"}', long].join('\n')
    const tooLong = { error: 'longer than 20 bytes, the limit of one record' }
    for (const size of [1, 7, 64, 100_000]) {
      expect(await collect(readNdjson(chunks(text, size), { maxLineBytes: 20 }))).toEqual([
        { position: 1, value: { a: 1 } },
        { position: 2, ...tooLong },
        { position: 3, value: { a: '12345' } },
        { position: 4, ...tooLong },
      ])
    }
  })
})

describe('OfferImportService', () => {
  it('keeps the good records and reports the bad ones with position, id and reasons', async () => {
    const bad = { ...REAL[1], typeContrat: 'XXX' }
    const report = await service.importRecords(
      [
        { position: 1, value: REAL[0] },
        { position: 2, value: bad },
        { position: 3, error: 'not valid JSON' },
        { position: 4, value: 42 },
      ],
      { source: 'test' },
    )
    expect(report).toMatchObject({ read: 4, created: 1, updated: 0, unchanged: 0, rejected: 3 })
    expect(report.rejections).toEqual([
      { position: 2, id: REAL[1]?.id, reasons: ['/typeContrat: unknown code "XXX"'] },
      { position: 3, reasons: ['not valid JSON'] },
      { position: 4, reasons: [expect.stringMatching(/^\/: /) as unknown] },
    ])
    expect([...store.rows.keys()]).toEqual([REAL[0]?.id])
  })

  it('stores batches of the asked size and counts every record once', async () => {
    const fresh = new InMemoryOffers()
    const importer = new OfferImportService({ offers: fresh, referentials: loadReferentials() })
    const records = Array.from({ length: 7 }, (_, i) => ({ position: i + 1, value: { ...REAL[0], id: `00000${i}X`.slice(-7) } }))
    const report = await importer.importRecords(records, { source: 'test', batchSize: 3 })
    expect(report).toMatchObject({ read: 7, created: 7 })
    expect(fresh.batches).toBe(3)
    const again = await importer.importRecords(records, { source: 'test', batchSize: 3 })
    expect(again).toMatchObject({ read: 7, created: 0, unchanged: 7 })
  })

  it('refuses unknown appellation codes before importing anything', async () => {
    const fresh = new InMemoryOffers()
    const importer = new OfferImportService({ offers: fresh, referentials: loadReferentials() })
    await expect(importer.importRecords([{ position: 1, value: REAL[0] }], { source: 'test', appellations: ['1'] })).rejects.toThrow(
      'Unknown appellation code(s): 1',
    )
    expect(fresh.rows.size).toBe(0)
  })

  it('stores the JSON in the original key order with the given appellations', async () => {
    const fresh = new InMemoryOffers()
    const importer = new OfferImportService({ offers: fresh, referentials: loadReferentials() })
    const offer = REAL[0] as Offre
    await importer.importRecords([{ position: 1, value: Object.fromEntries(Object.entries(offer).reverse()) }], {
      source: 'test',
      appellations: ['404939'],
    })
    const stored = fresh.rows.get(offer.id)
    expect(stored?.json).toBe(JSON.stringify(offer))
    expect(stored?.appellations).toEqual(['404939'])
  })
})
