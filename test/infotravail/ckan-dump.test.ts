import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parse } from 'csv-parse/sync'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CellValue, PackageDefinition } from '../../src/datasets/definition.js'
import { imtPackage } from '../../src/datasets/packages/imt.js'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import type { SqlDatastore } from '../../src/storage/datastore/sql-datastore.js'
import { appStores } from '../support/databases.js'
import { createTestApp } from '../support/test-app.js'
import { actionUrl, AGENCES, BASE, BMO_2025_ID, definitionRows, DEPOT, fileOf, IDS, OFFRES, offerDeposit, okResult, STATS_SMALL } from './fixtures.js'

/**
 * GET …/datastore/dump/{id} as CKAN 2.11's (ckanext/datastore/blueprint.py `dump` and `dump_to`,
 * writer.py; its tests in ckanext/datastore/tests/test_dump.py): the rows of the datastore_search
 * its parameters describe, page by page, in CSV, TSV, JSON, XML (and our NDJSON). On the embedded
 * store, and on PostgreSQL where TEST_DATABASE_URL names a server.
 */

type Row = Record<string, CellValue>

/** IMT tensions by ROME × bassin (27,135 rows): six pages of a dump. */
const TENSIONS = '6061ddce-9bb8-43f0-841f-09ae23fcda60'
const TENSIONS_PACKAGE: PackageDefinition = { ...imtPackage, resources: imtPackage.resources.filter((resource) => resource.id === TENSIONS) }
const PACKAGES = [AGENCES, STATS_SMALL, OFFRES, TENSIONS_PACKAGE]
const OCTET_STREAM = 'application/octet-stream'
const XSI = '<data xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'

interface Harness {
  readonly app: FastifyInstance
  readonly token: string
  readonly store: SqlDatastore
  /** Lines the server logged (info and above). */
  readonly logs: { msg?: string; rows?: number }[]
  get(url: string, options?: Omit<InjectOptions, 'url'>): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

function capture(logs: Harness['logs']) {
  return pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Harness['logs'][number]) })
}

/** The application on the embedded store, and on a PostgreSQL schema of its own where TEST_DATABASE_URL is set. */
async function openHarness(databaseUrl: string | undefined): Promise<Harness> {
  const logs: Harness['logs'] = []
  const t = await createTestApp({ logger: capture(logs), ...(databaseUrl ? { databaseUrl } : {}) })
  await t.reload()
  await t.datastore.syncShipped(PACKAGES, DATA_DIR)
  t.infotravail.invalidate()
  return { app: t.app, token: t.client.token, store: t.datastore, logs, get: (url, options) => t.get(url, options), close: () => t.close() }
}

const targets = appStores().map(({ name, databaseUrl }) => ({ name: name === 'embedded' ? 'embedded store' : name, open: () => openHarness(databaseUrl) }))

/** A cell as PostgreSQL's COPY csv writes it (CKAN's CSV records): null empty, quoted when it must be. */
function copyCell(value: CellValue, delimiter = ','): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return text === '' || /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text
}

/** CKAN's CSV: the header ends in \r\n, the records in \n. */
const readCsv = (text: string): string[][] => parse(text, { record_delimiter: ['\r\n', '\n'] })

describe.each(targets)('datastore dumps as CKAN 2.11 on the $name', ({ open }) => {
  let h: Harness
  const sources = new Map<string, Row[]>()
  const dump = (id: string, query = '') => h.get(`${BASE}/datastore/dump/${id}${query}`)
  const header = (id: string) => ['_id', ...fileOf(id).fields.map((field) => field.id)]
  const csvLine = (id: string, row: Row, delimiter = ',') => header(id).map((field) => copyCell(row[field] ?? null, delimiter)).join(delimiter)
  const source = (id: string) => sources.get(id) ?? []

  beforeAll(async () => {
    h = await open()
    for (const id of [IDS.agences, IDS.secteurs, IDS.series]) sources.set(id, await definitionRows(id))
  }, 120_000)
  afterAll(() => h.close())

  describe('CSV and TSV', () => {
    // CKAN 2.11 test_dump_basic / test_dump_limit: the header from Python's csv writer ends in
    // \r\n, the records from PostgreSQL's COPY … csv in \n.
    it('a header ending in \\r\\n, then records ending in \\n; limit absent: every row', async () => {
      const response = await dump(IDS.series)
      expect(response.statusCode).toBe(200)
      const rows = source(IDS.series)
      expect(response.body).toBe(`${header(IDS.series).join(',')}\r\n${rows.map((row) => `${csvLine(IDS.series, row)}\n`).join('')}`)
      expect(rows.some((row) => Object.values(row).includes(null))).toBe(true)
    })

    // CKAN 2.11 dump_to: offset and limit page through datastore_search; limit=0 writes the header only.
    it('limit and offset choose the rows; limit=0 writes the header alone', async () => {
      const rows = source(IDS.series)
      expect((await dump(IDS.series, '?limit=2')).body).toBe(`${header(IDS.series).join(',')}\r\n${csvLine(IDS.series, rows[0] ?? {})}\n${csvLine(IDS.series, rows[1] ?? {})}\n`)
      expect((await dump(IDS.series, '?offset=238&limit=5')).body).toBe(`${header(IDS.series).join(',')}\r\n${rows.slice(238).map((row) => `${csvLine(IDS.series, row)}\n`).join('')}`)
      expect((await dump(IDS.series, '?limit=0')).body).toBe(`${header(IDS.series).join(',')}\r\n`)
    })

    // CKAN 2.11 dump_to pages by PAGINATE_BY until a short page: rows across pages come once, in order.
    it('every row of a resource larger than a page, once, in _id order; limit across pages', async () => {
      const rows = source(IDS.secteurs)
      const all: string[][] = readCsv((await dump(IDS.secteurs)).body)
      expect(all.slice(1)).toEqual(rows.map((row) => header(IDS.secteurs).map((field) => (row[field] === null ? '' : String(row[field])))))
      const some: string[][] = readCsv((await dump(IDS.secteurs, '?offset=10&limit=6000')).body)
      expect(some.slice(1).map((record) => Number(record[0]))).toEqual(rows.slice(10, 6010).map((row) => row._id))
    })

    it('quotes what COPY quotes: commas, quotes, line breaks; decimals as stored', async () => {
      const response = await dump(IDS.agences)
      const rows = source(IDS.agences)
      expect(response.body.split('\r\n', 1)[0]).toBe(header(IDS.agences).join(','))
      expect(response.body.slice(response.body.indexOf('\r\n') + 2)).toBe(rows.map((row) => `${csvLine(IDS.agences, row)}\n`).join(''))
      expect(rows.some((row) => Object.values(row).some((value) => typeof value === 'string' && value.includes(',')))).toBe(true)
    })

    // CKAN 2.11 test_dump_tsv: Python's excel-tab header (\r\n), COPY … csv DELIMITER '\t' records.
    it('TSV: the same with tabs', async () => {
      const response = await dump(IDS.agences, '?format=tsv&limit=3')
      expect(response.statusCode).toBe(200)
      const rows = source(IDS.agences).slice(0, 3)
      expect(response.body).toBe(`${header(IDS.agences).join('\t')}\r\n${rows.map((row) => `${csvLine(IDS.agences, row, '\t')}\n`).join('')}`)
    })
  })

  describe('the search of the dump', () => {
    const search = async (params: Record<string, unknown>) =>
      okResult<{ records: Record<string, unknown>[] }>(await h.get(actionUrl('datastore_search', { resource_id: IDS.agences, limit: 32000, ...params })), 'datastore_search').records

    // CKAN 2.11 test_dump_q_and_fields: `q` and `fields` are datastore_search's; with fields, no rank column.
    it('q and fields: the rows datastore_search finds, those columns only, in _id order', async () => {
      const response = await dump(IDS.agences, `?q=${encodeURIComponent('Bordeaux')}&fields=CITY_NAME,AGENCY_NAME,_id`)
      const expected = await search({ q: 'Bordeaux', fields: 'CITY_NAME,AGENCY_NAME,_id', sort: '_id' })
      expect(expected.length).toBeGreaterThan(0)
      expect(response.body).toBe(`CITY_NAME,AGENCY_NAME,_id\r\n${expected.map((row) => `${copyCell(row.CITY_NAME as CellValue)},${copyCell(row.AGENCY_NAME as CellValue)},${String(row._id)}\n`).join('')}`)
    })

    // CKAN 2.11 datastore_search with q and no fields: the `rank` column follows the resource's (_result_fields).
    it('q without fields: every column, then rank', async () => {
      const records: string[][] = readCsv((await dump(IDS.agences, '?q=Bordeaux')).body)
      expect(records[0]).toEqual([...header(IDS.agences), 'rank'])
      const expected = await search({ q: 'Bordeaux', sort: '_id' })
      expect(records.slice(1).map((record) => Number(record[0]))).toEqual(expected.map((row) => row._id))
      expect(records.slice(1).every((record) => Number(record.at(-1)) > 0)).toBe(true)
    })

    // CKAN 2.11 dump_schema: `filters` is JSON in the query string; `sort` defaults to _id.
    it('filters (JSON) and sort, as datastore_search reads them', async () => {
      const rows = source(IDS.secteurs)
      const bassin = String(rows[0]?.[header(IDS.secteurs)[1] ?? ''])
      const field = header(IDS.secteurs)[1] ?? ''
      const filtered: string[][] = readCsv((await dump(IDS.secteurs, `?filters=${encodeURIComponent(JSON.stringify({ [field]: bassin }))}`)).body)
      expect(filtered.slice(1).map((record) => Number(record[0]))).toEqual(rows.filter((row) => String(row[field]) === bassin).map((row) => row._id))

      const sorted: string[][] = readCsv((await dump(IDS.series, `?sort=${encodeURIComponent('NB_OFFER_CAT_A desc')}&fields=_id,NB_OFFER_CAT_A`)).body)
      const expected = [...source(IDS.series)]
        .sort((a, b) => (b.NB_OFFER_CAT_A === null ? 1 : 0) - (a.NB_OFFER_CAT_A === null ? 1 : 0) || Number(b.NB_OFFER_CAT_A) - Number(a.NB_OFFER_CAT_A) || Number(a._id) - Number(b._id))
        .map((row) => [String(row._id), row.NB_OFFER_CAT_A === null ? '' : String(row.NB_OFFER_CAT_A)])
      expect(sorted.slice(1).map((record) => [record[0], record[1]]).sort()).toEqual(expected.sort())
      expect(sorted.slice(2).every((record, at) => record[1] === '' || Number(record[1]) <= Number(sorted[at + 1]?.[1] ?? Infinity) || sorted[at + 1]?.[1] === '')).toBe(true)
    })
  })

  describe('JSON, XML, NDJSON', () => {
    // CKAN 2.11 writer.py json_writer: `{\n  "fields": […],\n  "records": [` then `\n    [..]` per row, `\n]}\n`;
    // fields as datastore_search gives them (with their data dictionary `info`).
    it('JSON: CKAN’s layout, records as lists, fields with their info', async () => {
      const response = await dump(IDS.series, '?format=json&limit=2')
      expect(response.statusCode).toBe(200)
      const fields = [{ id: '_id', type: 'int' }, ...fileOf(IDS.series).fields.map((field) => ({ id: field.id, type: field.type, info: field.info }))]
      const records = source(IDS.series).slice(0, 2).map((row) => header(IDS.series).map((field) => row[field] ?? null))
      expect(response.body).toBe(`{\n  "fields": ${JSON.stringify(fields)},\n  "records": [\n    ${JSON.stringify(records[0])},\n    ${JSON.stringify(records[1])}\n]}\n`)
      expect((await dump(IDS.series, '?format=json&limit=0')).body).toBe(`{\n  "fields": ${JSON.stringify(fields)},\n  "records": [\n]}\n`)
      const whole = JSON.parse((await dump(IDS.agences, '?format=json')).body) as { records: unknown[][] }
      expect(whole.records).toEqual(source(IDS.agences).map((row) => header(IDS.agences).map((field) => row[field] ?? null)))
    })

    // CKAN 2.11 test_dump_xml: <data xmlns:xsi=…>, one <row _id="…"> per row, an element per
    // column, xsi:nil="true" for null (ElementTree's self-closed ` />`), `</data>\n`.
    it('XML: CKAN’s elements, _id as the row’s attribute, null as xsi:nil', async () => {
      const response = await dump(IDS.series, '?format=xml&offset=238')
      expect(response.statusCode).toBe(200)
      const element = (field: string, value: CellValue) => (value === null ? `<${field} xsi:nil="true" />` : `<${field}>${String(value)}</${field}>`)
      const rows = source(IDS.series).slice(238)
      expect(rows.some((row) => Object.values(row).includes(null))).toBe(true)
      const expected = rows.map((row) => `<row _id="${String(row._id)}">${fileOf(IDS.series).fields.map((field) => element(field.id, row[field.id] ?? null)).join('')}</row>\n`)
      expect(response.body).toBe(`${XSI}${expected.join('')}</data>\n`)
      // Without _id first, no attribute; decimals as Python's str of a float; & < > escaped.
      const agencies = (await dump(IDS.agences, '?format=xml&fields=AGENCY_NAME,LATITUDE&limit=1')).body
      const first = source(IDS.agences)[0] ?? {}
      const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
      const latitude = Number(first.LATITUDE)
      expect(agencies).toBe(`${XSI}<row><AGENCY_NAME>${escape(String(first.AGENCY_NAME))}</AGENCY_NAME><LATITUDE>${Number.isInteger(latitude) ? `${latitude}.0` : String(latitude)}</LATITUDE></row>\n</data>\n`)
    })

    it('NDJSON (ours): one object per line', async () => {
      const response = await dump(IDS.series, '?format=ndjson')
      expect(response.statusCode).toBe(200)
      expect(response.body.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(source(IDS.series))
    })

    // CKAN 2.11 writer.py: every writer puts the BOM first when bom is true.
    it.each(['csv', 'tsv', 'json', 'xml', 'ndjson'])('bom=true puts a byte order mark first (%s)', async (format) => {
      const plain = await dump(IDS.series, `?format=${format}&limit=3`)
      expect(plain.body.startsWith('\uFEFF')).toBe(false)
      expect((await dump(IDS.series, `?format=${format}&limit=3&bom=true`)).body).toBe(`\uFEFF${plain.body}`)
    })

    // CKAN 2.11 blueprint.py: Content-disposition `attachment; filename="<id>.<format>"`, and Flask's
    // Response(mimetype='application/octet-stream') overriding the text/csv… type it also sets.
    it.each(['csv', 'tsv', 'json', 'xml', 'ndjson'])('%s: an attachment named after the resource, as application/octet-stream', async (format) => {
      const response = await dump(IDS.series, `?format=${format}&limit=1`)
      expect(response.headers['content-type']).toBe(OCTET_STREAM)
      expect(response.headers['content-disposition']).toBe(`attachment; filename="${IDS.series}.${format}"`)
    })

    it('dumps a live view too (the anonymised offers)', async () => {
      const deposited = await h.get(DEPOT, { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(offerDeposit({ intitule: 'Soudeur (H/F)', romeCode: 'H2913' })) })
      expect(deposited.statusCode, deposited.body).toBe(201)
      const lines = (await dump(IDS.offers, '?format=ndjson')).body.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatchObject({ OFFER_ID: deposited.json<{ id: string }>().id, ROME_PROFESSION_CARD_CODE: 'H2913' })
    })
  })

  describe('errors, as CKAN’s HTML error pages', () => {
    const page = (response: LightMyRequestResponse, status: number, detail: string) => {
      expect(response.statusCode, response.body).toBe(status)
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.body).toContain(`<h1>${status} ${status === 400 ? 'Bad Request' : 'Not Found'}</h1>\n    ${detail}\n`)
    }

    // CKAN 2.11 dump: one_of(DUMP_FORMATS) fails → abort(400, "format: Value must be one of (…)"),
    // rendered by error_document_template.html (Jinja escapes the quotes).
    it('an unknown format: 400 and the formats, on both paths', async () => {
      for (const prefix of [`${BASE}/datastore/dump`, '/datastore/dump']) {
        page(await h.get(`${prefix}/${IDS.series}?format=xlsx`), 400, 'format: Value must be one of (&#39;csv&#39;, &#39;tsv&#39;, &#39;json&#39;, &#39;xml&#39;, &#39;ndjson&#39;)')
      }
    })

    // CKAN 2.11 dump_schema: int_validator ("Invalid integer"), json_validator ("Cannot parse JSON"), one line each.
    it('offset, limit and filters that CKAN’s dump_schema refuses: 400, a line per parameter', async () => {
      page(await dump(IDS.series, '?limit=ten'), 400, 'limit: Invalid integer')
      page(await dump(IDS.series, '?offset=1.5&filters=%7Bnope'), 400, 'offset: Invalid integer\nfilters: Cannot parse JSON')
    })

    // CKAN 2.11 answers what its datastore_search refuses with a 500 (uncaught ValidationError): ours is the 400 of the search's message.
    it('what datastore_search refuses: 400 with its message', async () => {
      page(await dump(IDS.series, `?filters=${encodeURIComponent('{"NOPE":"1"}')}`), 400, 'filters: field &#34;NOPE&#34; not in table')
      page(await dump(IDS.series, '?fields=NOPE'), 400, 'fields: field &#34;NOPE&#34; not in table')
      page(await dump(IDS.series, '?limit=-1'), 400, 'limit: Must be a natural number')
    })

    // CKAN 2.11 dump: datastore_search(limit 0) first; ObjectNotFound → abort(404, "DataStore resource not found").
    it('an unknown resource: 404, before the parameters are read', async () => {
      for (const prefix of [`${BASE}/datastore/dump`, '/datastore/dump']) {
        for (const id of ['nope', BMO_2025_ID]) page(await h.get(`${prefix}/${id}?format=xlsx`), 404, 'DataStore resource not found')
      }
      expect((await h.get(`/datastore/dump/${IDS.series}`)).body).toBe((await dump(IDS.series)).body)
    })

    it('without a token: 401 as every Infotravail route', async () => {
      const response = await h.app.inject({ url: `${BASE}/datastore/dump/${IDS.series}` })
      expect(response.statusCode).toBe(401)
    })
  })

  describe('streaming', () => {
    // CKAN ≥ 2.10.2 streams dumps (PR #7839); a client that goes away ends the reads and nothing else.
    it('a client gone mid-dump stops the reads; the server keeps answering', async () => {
      const original = h.store.search.bind(h.store)
      let release: () => void = () => undefined
      const released = new Promise<void>((resolve) => (release = resolve))
      let reads = 0
      const spy = vi.spyOn(h.store, 'search').mockImplementation(async (resource, request) => {
        reads++
        if (reads === 2) await released
        return original(resource, request)
      })
      try {
        await h.app.listen({ port: 0, host: '127.0.0.1' })
        const { port } = h.app.server.address() as AddressInfo
        await new Promise<void>((resolve, reject) => {
          const client = httpRequest({ host: '127.0.0.1', port, path: `${BASE}/datastore/dump/${TENSIONS}?fields=_id,ROME_PROFESSION_CARD_CODE`, headers: { authorization: `Bearer ${h.token}` } }, (response) => {
            expect(response.statusCode).toBe(200)
            response.once('data', () => {
              client.destroy()
              resolve()
            })
          })
          client.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)))
          client.end()
        })
        const stopped = new Promise<{ rows?: number }>((resolve) => {
          const look = () => {
            const line = h.logs.find((item) => item.msg === 'datastore dump stopped before its end')
            if (line) resolve(line)
            else setImmediate(look)
          }
          look()
        })
        release()
        const line = await stopped
        expect(line.rows).toBeLessThan(27_135)
        // The pages after the one under way when the client left are never read.
        expect(reads).toBe(2)
      } finally {
        spy.mockRestore()
      }
      const records: string[][] = readCsv((await dump(TENSIONS, '?fields=_id')).body)
      expect(records).toHaveLength(27_136)
    })
  })
})
