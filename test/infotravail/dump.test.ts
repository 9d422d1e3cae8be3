import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CellValue } from '../../src/datasets/definition.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { AGENCES, BASE, BMO_2025_ID, definitionRows, depositOffer, errorOf, fileOf, IDS, loadSmallPackages, OFFRES, STATS_SMALL } from './fixtures.js'

/** GET …/datastore/dump/<id>: whole resources as CSV, TSV, JSON or NDJSON, every row once. */

type Row = Record<string, CellValue>

let t: TestApp
const sources = new Map<string, Row[]>()

beforeAll(async () => {
  t = await createTestApp()
  await t.reload()
  await loadSmallPackages(t, [AGENCES, STATS_SMALL, OFFRES])
  for (const id of [IDS.agences, IDS.secteurs, IDS.series]) sources.set(id, await definitionRows(id))
})
afterAll(() => t.close())

const dump = (id: string, query = '') => t.get(`${BASE}/datastore/dump/${id}${query}`)
const header = (id: string) => ['_id', ...fileOf(id).fields.map((field) => field.id)]
/** A source row as the text of its cells (empty for null), in the order of the header. */
const asText = (id: string, row: Row) => header(id).map((field) => (row[field] === null || row[field] === undefined ? '' : String(row[field])))

describe('CSV', () => {
  // The agencies (many columns, decimals, nulls, commas and quotes in addresses); the job seekers
  // by sector (more rows than one read batch of the dump).
  it.each([IDS.agences, IDS.secteurs, IDS.series])('%s: a header row, then every row of the source once, in _id order', async (id) => {
    const response = await dump(id, '?format=csv')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${id}.csv"`)
    expect(response.body.startsWith('\uFEFF')).toBe(false)
    expect(response.body.split('\n', 1)[0]).toBe(header(id).join(','))
    const records: string[][] = parse(response.body, { relax_column_count: false })
    const source = sources.get(id) ?? []
    expect(records).toHaveLength(source.length + 1)
    expect(records[0]).toEqual(header(id))
    expect(records.slice(1)).toEqual(source.map((row) => asText(id, row)))
  })

  it('is the default format; bom=true puts a byte order mark before the header (for spreadsheets)', async () => {
    const plain = await dump(IDS.series)
    expect(plain.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(plain.body).toBe((await dump(IDS.series, '?format=csv')).body)
    const withBom = await dump(IDS.series, '?format=csv&bom=true')
    expect(withBom.body).toBe(`\uFEFF${plain.body}`)
  })

  it('quotes values that need it', async () => {
    const body = (await dump(IDS.agences)).body
    const withComma = (sources.get(IDS.agences) ?? []).find((row) => Object.values(row).some((value) => typeof value === 'string' && value.includes(',')))
    expect(withComma).toBeDefined()
    const value = Object.values(withComma ?? {}).find((item) => typeof item === 'string' && item.includes(',')) as string
    expect(body).toContain(`"${value.replaceAll('"', '""')}"`)
  })
})

describe('TSV, JSON and NDJSON', () => {
  it('TSV: the same rows, tab-separated', async () => {
    const response = await dump(IDS.secteurs, '?format=tsv')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${IDS.secteurs}.tsv"`)
    const records: string[][] = parse(response.body, { delimiter: '\t' })
    expect(records[0]).toEqual(header(IDS.secteurs))
    expect(records.slice(1)).toEqual((sources.get(IDS.secteurs) ?? []).map((row) => asText(IDS.secteurs, row)))
  })

  it('JSON: {fields, records} with each record a list in the order of the fields, typed values', async () => {
    const response = await dump(IDS.agences, '?format=json')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json;charset=utf-8')
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${IDS.agences}.json"`)
    const body = response.json<{ fields: { id: string; type: string }[]; records: unknown[][] }>()
    expect(Object.keys(body)).toEqual(['fields', 'records'])
    expect(body.fields).toEqual([{ id: '_id', type: 'int' }, ...fileOf(IDS.agences).fields.map((field) => ({ id: field.id, type: field.type }))])
    const source = sources.get(IDS.agences) ?? []
    expect(body.records).toHaveLength(source.length)
    expect(body.records).toEqual(source.map((row) => header(IDS.agences).map((field) => row[field] ?? null)))
    expect(typeof body.records[0]?.[header(IDS.agences).indexOf('LATITUDE')]).toBe('number')

    const many = (await dump(IDS.secteurs, '?format=JSON')).json<{ records: unknown[][] }>()
    expect(many.records).toEqual((sources.get(IDS.secteurs) ?? []).map((row) => header(IDS.secteurs).map((field) => row[field] ?? null)))
  })

  it('NDJSON: one object per line', async () => {
    const response = await dump(IDS.series, '?format=ndjson')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${IDS.series}.ndjson"`)
    expect(response.body.endsWith('\n')).toBe(true)
    const lines = response.body.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)
    expect(lines).toEqual(sources.get(IDS.series))
  })

  it('dumps a live view too (the anonymised offers)', async () => {
    const offer = await depositOffer(t, { intitule: 'Soudeur (H/F)', romeCode: 'H2913' })
    const lines = (await dump(IDS.offers, '?format=ndjson')).body.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ OFFER_ID: offer.id, ROME_PROFESSION_CARD_CODE: 'H2913', CREATION_DATE: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/) as unknown })
    const csv: string[][] = parse((await dump(IDS.offers)).body)
    expect(csv).toHaveLength(2)
    expect(csv[0]?.[0]).toBe('_id')
  })
})

describe('errors', () => {
  it('404 for an unknown resource (or one not loaded), 409 for a bad format, on both paths', async () => {
    for (const prefix of [`${BASE}/datastore/dump`, '/datastore/dump']) {
      for (const id of ['nope', BMO_2025_ID]) {
        expect(errorOf(await t.get(`${prefix}/${id}?format=csv`), 404, 'datastore_search')).toEqual({ __type: 'Not Found Error', message: `Not found: Resource "${id}" was not found.` })
      }
      expect(errorOf(await t.get(`${prefix}/${IDS.series}?format=xml`), 409, 'datastore_search')).toEqual({
        __type: 'Validation Error',
        format: ['Value must be one of ["csv", "tsv", "json", "ndjson"]'],
      })
    }
    expect((await t.get(`/datastore/dump/${IDS.series}`)).body).toBe((await dump(IDS.series)).body)
  })
})
