import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CellValue } from '../../src/datasets/definition.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import {
  actionUrl,
  BASE,
  BMO_2025_ID,
  definitionRows,
  depositOffer,
  errorOf,
  fileOf,
  IDS,
  JSON_TYPE,
  loadSmallPackages,
  okResult,
  resourceOf,
  SMALL_PACKAGES,
  type SearchResult,
} from './fixtures.js'

/**
 * Every read action of Infotravail v1 through HTTP: CKAN's envelope, its statuses and error
 * bodies, and datastore_search's parameters checked against the shipped files.
 */

let t: TestApp
let grandsDomaines: Record<string, CellValue>[]
let fiches: Record<string, CellValue>[]
let competences: Record<string, CellValue>[]
let salaires: Record<string, CellValue>[]

const search = (params: Record<string, unknown>) => t.get(actionUrl('datastore_search', params))
const searchOk = async (params: Record<string, unknown>) => okResult<SearchResult>(await search(params), 'datastore_search')
const post = (path: string, body: string) => t.get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, payload: body })

/** The keys of a record, `_id` first, as a resource's fields. */
const fieldIds = (id: string) => ['_id', ...fileOf(id).fields.map((field) => field.id)]

beforeAll(async () => {
  t = await createTestApp()
  await t.reload()
  await loadSmallPackages(t)
  await depositOffer(t)
  await depositOffer(t, { intitule: 'Boulanger (H/F)', romeCode: 'D1102', typeContrat: 'CDD', lieuTravail: { commune: '69123' } })
  ;[grandsDomaines, fiches, competences, salaires] = await Promise.all([
    definitionRows(IDS.grandsDomaines),
    definitionRows(IDS.romeFiches),
    definitionRows(IDS.competences),
    definitionRows(IDS.salaires),
  ])
})
afterAll(() => t.close())

describe('the action endpoint', () => {
  it('answers an unknown action with 400 and CKAN’s bare JSON string, on every path', async () => {
    for (const prefix of [BASE, '/api/3/action', '/api/action']) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await t.get(`${prefix}/foo`, { method })
        expect(response.statusCode).toBe(400)
        expect(response.headers['content-type']).toBe(JSON_TYPE)
        expect(response.json()).toBe('Bad request: Action name not known: foo')
        expect(response.body).toBe('"Bad request: Action name not known: foo"')
      }
    }
  })

  it('answers an invalid JSON body with 400 and a bare “JSON Error” string', async () => {
    for (const body of ['{"resource_id":', '{oops}']) {
      const response = await post(`${BASE}/datastore_search`, body)
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toBe(JSON_TYPE)
      const message = response.json<unknown>()
      expect(typeof message).toBe('string')
      expect(message as string).toMatch(/^Bad request: JSON Error: ./)
    }
  })

  it('answers a JSON body that is not an object with 400, as CKAN (“it needs to be a dictionary”)', async () => {
    for (const [body, shown] of [['[1, 2]', '[1,2]'], ['"x"', '"x"'], ['null', 'null'], ['3', '3']] as const) {
      const response = await post(`${BASE}/datastore_search`, body)
      expect(response.statusCode, body).toBe(400)
      expect(response.headers['content-type']).toBe(JSON_TYPE)
      expect(response.json()).toBe(`Bad request: JSON Error: Request data JSON decoded to ${shown} but it needs to be a dictionary.`)
    }
    // A POST without a body reads the query string, as a GET.
    expect(okResult<SearchResult>(await t.get(actionUrl('datastore_search', { resource_id: IDS.grandsDomaines, limit: 1 }), { method: 'POST' }), 'datastore_search').records).toEqual(grandsDomaines.slice(0, 1))
  })

  it('serves the same result at /partenaire/infotravail/v1, /api/3/action and /api/action, by GET and by POST', async () => {
    const params = { resource_id: IDS.grandsDomaines, limit: 3, sort: 'MAIN_PROF_AREA_CODE desc' }
    const reference = await searchOk(params)
    expect(reference.records.map((record) => record.MAIN_PROF_AREA_CODE)).toEqual(['N', 'M', 'L'])
    for (const prefix of [BASE, '/api/3/action', '/api/action']) {
      expect(okResult(await t.get(actionUrl('datastore_search', params, prefix)), 'datastore_search')).toEqual(reference)
      expect(okResult(await post(`${prefix}/datastore_search`, JSON.stringify(params)), 'datastore_search')).toEqual(reference)
    }
  })

  it('takes JSON values in a POST body: filters as an object, fields and sort as lists', async () => {
    const result = okResult<SearchResult>(
      await post(
        `${BASE}/datastore_search`,
        JSON.stringify({ resource_id: IDS.romeFiches, filters: { MAIN_PROF_AREA_CODE: ['A', 'N'] }, fields: ['ROME_PROFESSION_CARD_CODE'], sort: ['ROME_PROFESSION_CARD_CODE desc'], limit: 1000 }),
      ),
      'datastore_search',
    )
    const expected = fiches
      .filter((row) => row.MAIN_PROF_AREA_CODE === 'A' || row.MAIN_PROF_AREA_CODE === 'N')
      .map((row) => String(row.ROME_PROFESSION_CARD_CODE))
      .sort()
      .reverse()
    expect(result.records).toEqual(expected.map((code) => ({ ROME_PROFESSION_CARD_CODE: code })))
    expect(result.total).toBe(expected.length)
    expect(result.filters).toEqual({ MAIN_PROF_AREA_CODE: ['A', 'N'] })
  })

  it('help_show returns an action’s documentation; 404 for an unknown one, 409 without a name', async () => {
    const help = okResult<string>(await t.get(actionUrl('help_show', { name: 'datastore_search' })), 'help_show')
    expect(help).toMatch(/^Search a DataStore resource\./)
    expect(help).toContain(':param resource_id:')
    for (const name of ['package_list', 'package_show', 'package_search', 'organization_show', 'resource_show', 'resource_search', 'datastore_search_sql', 'datastore_info', 'status_show']) {
      expect(okResult<string>(await t.get(actionUrl('help_show', { name })), 'help_show').length, name).toBeGreaterThan(10)
    }
    expect(errorOf(await t.get(actionUrl('help_show', { name: 'zzz' })), 404, 'help_show')).toEqual({ __type: 'Not Found Error', message: 'Not found: Action function not found' })
    expect(errorOf(await t.get(actionUrl('help_show')), 409, 'help_show')).toEqual({ __type: 'Validation Error', name: ['Missing value'] })
  })

  it('status_show describes the site', async () => {
    const status = okResult<Record<string, unknown>>(await t.get(actionUrl('status_show')), 'status_show')
    expect(status).toMatchObject({ site_url: 'http://localhost:80', ckan_version: '2.3', locale_default: 'fr', extensions: ['datastore'] })
    expect(typeof status.site_title).toBe('string')
  })
})

describe('the catalogue', () => {
  const names = SMALL_PACKAGES.map((pkg) => pkg.name).sort()

  it('package_list: the names, sorted; limit and offset', async () => {
    expect(okResult(await t.get(actionUrl('package_list')), 'package_list')).toEqual(names)
    expect(okResult(await t.get(actionUrl('package_list', { limit: 2, offset: 1 })), 'package_list')).toEqual(names.slice(1, 3))
    expect(errorOf(await t.get(actionUrl('package_list', { limit: 'x' })), 409, 'package_list')).toEqual({ __type: 'Validation Error', limit: ['Invalid integer'] })
  })

  it('package_show by name or id: the resources with their row count as size and the pe_* extras', async () => {
    for (const pkg of SMALL_PACKAGES) {
      const byName = okResult<Record<string, unknown> & { resources: Record<string, unknown>[] }>(await t.get(actionUrl('package_show', { id: pkg.name })), 'package_show')
      expect(okResult(await t.get(actionUrl('package_show', { id: pkg.id })), 'package_show')).toEqual(byName)
      expect(byName).toMatchObject({ id: pkg.id, name: pkg.name, title: pkg.title, type: 'dataset', num_resources: pkg.resources.length })
      expect(byName.resources.map((resource) => resource.id)).toEqual(pkg.resources.map((resource) => resource.id))
      for (const resource of pkg.resources) {
        const shown = byName.resources.find((item) => item.id === resource.id)
        expect(shown).toMatchObject({
          package_id: pkg.id,
          name: resource.name,
          pe_source: resource.peSource,
          pe_version: resource.peVersion,
          pe_type: resource.peType,
          url: `http://localhost:80${BASE}/datastore/dump/${resource.id}`,
          datastore_active: true,
        })
        if (resource.kind === 'file') expect(shown?.size, resource.name).toBe(resource.expectedRows)
      }
    }
  })

  it('package_show: 404 for an unknown package, 409 without an id', async () => {
    expect(errorOf(await t.get(actionUrl('package_show', { id: 'nope' })), 404, 'package_show')).toEqual({ __type: 'Not Found Error', message: 'Not found: Dataset not found' })
    expect(errorOf(await t.get(actionUrl('package_show')), 409, 'package_show')).toEqual({ __type: 'Validation Error', id: ['Missing value'] })
  })

  it('organization_show?id=digidata lists the packages by default (as the original’s clients expect), not with include_datasets=false', async () => {
    const organization = okResult<{ name: string; package_count: number; packages: { name: string; type: string; resources: unknown[] }[] }>(
      await t.get(actionUrl('organization_show', { id: 'digidata' })),
      'organization_show',
    )
    expect(organization.name).toBe('digidata')
    expect(organization.package_count).toBe(SMALL_PACKAGES.length)
    expect(organization.packages.map((pkg) => pkg.name).sort()).toEqual(names)
    for (const pkg of organization.packages) expect(pkg.type).toBe('dataset')
    expect(organization.packages.find((pkg) => pkg.name === 'agences')?.resources).toHaveLength(1)

    const bare = okResult<Record<string, unknown>>(await t.get(actionUrl('organization_show', { id: 'digidata', include_datasets: 'false' })), 'organization_show')
    expect(bare).toMatchObject({ name: 'digidata', package_count: SMALL_PACKAGES.length })
    expect(bare).not.toHaveProperty('packages')

    expect(errorOf(await t.get(actionUrl('organization_show', { id: 'autre' })), 404, 'organization_show')).toMatchObject({ __type: 'Not Found Error' })
    expect(okResult(await t.get(actionUrl('organization_list')), 'organization_list')).toEqual(['digidata'])
  })

  it('package_search: q, fq, rows, start and facet.field', async () => {
    type Found = { count: number; results: { name: string }[]; facets: Record<string, Record<string, number>>; search_facets: Record<string, { items: { name: string; count: number }[] }> }
    const all = okResult<Found>(await t.get(actionUrl('package_search', { rows: 100 })), 'package_search')
    expect(all.count).toBe(SMALL_PACKAGES.length)
    expect(all.results.map((pkg) => pkg.name).sort()).toEqual(names)

    const rome = okResult<Found>(await t.get(actionUrl('package_search', { q: 'Répertoire opérationnel' })), 'package_search')
    expect(rome.results.map((pkg) => pkg.name)).toEqual(['rome'])
    const byName = okResult<Found>(await t.get(actionUrl('package_search', { fq: 'name:bmo' })), 'package_search')
    expect(byName).toMatchObject({ count: 1, results: [{ name: 'bmo' }] })
    const tagged = okResult<Found>(await t.get(actionUrl('package_search', { fq: 'tags:ROME', rows: 100 })), 'package_search')
    const withRomeTag = SMALL_PACKAGES.filter((pkg) => pkg.tags.includes('ROME')).map((pkg) => pkg.name)
    expect(tagged.results.map((pkg) => pkg.name).sort()).toEqual(withRomeTag.sort())

    const sorted = okResult<Found>(await t.get(actionUrl('package_search', { sort: 'name asc', rows: 2, start: 2 })), 'package_search')
    expect(sorted.count).toBe(SMALL_PACKAGES.length)
    expect(sorted.results.map((pkg) => pkg.name)).toEqual(names.slice(2, 4))

    const faceted = okResult<Found>(await t.get(actionUrl('package_search', { 'facet.field': ['tags'], rows: 0 })), 'package_search')
    expect(faceted.results).toEqual([])
    const tagCounts: Record<string, number> = {}
    for (const pkg of SMALL_PACKAGES) for (const tag of pkg.tags) tagCounts[tag] = (tagCounts[tag] ?? 0) + 1
    expect(faceted.facets).toEqual({ tags: tagCounts })
    expect(faceted.search_facets.tags?.items.find((item) => item.name === 'ROME')?.count).toBe(withRomeTag.length)
  })

  it('package_search: CKAN’s validation errors (a facet.field that is not JSON, a negative rows)', async () => {
    expect(errorOf(await t.get(actionUrl('package_search', { 'facet.field': 'tags' })), 409, 'package_search')).toEqual({
      __type: 'Validation Error',
      'facet.field': ['Could not parse as valid JSON'],
    })
    expect(errorOf(await t.get(actionUrl('package_search', { 'facet.field': {} })), 409, 'package_search')).toEqual({ __type: 'Validation Error', 'facet.field': ['Not a list'] })
    expect(errorOf(await t.get(actionUrl('package_search', { rows: -1 })), 409, 'package_search')).toEqual({ __type: 'Validation Error', rows: ['Must be a natural number'] })
  })

  it('resource_show: a file’s size is its row count, a view’s is counted when asked; 404 for an unknown resource', async () => {
    expect(okResult(await t.get(actionUrl('resource_show', { id: IDS.agences })), 'resource_show')).toMatchObject({
      id: IDS.agences,
      size: fileOf(IDS.agences).expectedRows,
      pe_type: 'data',
      format: 'CSV',
    })
    expect(okResult(await t.get(actionUrl('resource_show', { id: IDS.offers })), 'resource_show')).toMatchObject({ id: IDS.offers, size: 2, resource_type: 'view' })
    expect(errorOf(await t.get(actionUrl('resource_show', { id: 'x' })), 404, 'resource_show')).toEqual({ __type: 'Not Found Error', message: 'Not found: Resource "x" was not found.' })
  })

  it('resource_search?query=pe_type:reference finds the referentials; an unknown field is a validation error', async () => {
    const found = okResult<{ count: number; results: { id: string; size: number; pe_type: string }[] }>(
      await t.get(actionUrl('resource_search', { query: 'pe_type:reference' })),
      'resource_search',
    )
    const references = SMALL_PACKAGES.flatMap((pkg) => pkg.resources).filter((resource) => resource.peType === 'reference')
    expect(references.length).toBeGreaterThan(3)
    expect(found.count).toBe(references.length)
    expect(found.results.map((resource) => resource.id).sort()).toEqual(references.map((resource) => resource.id).sort())
    for (const resource of found.results) {
      const definition = resourceOf(resource.id)
      if (definition.kind === 'file') expect(resource.size).toBe(definition.expectedRows)
    }
    // Several terms (AND): repeated in a query string, a list in a JSON body.
    const both = okResult<{ count: number; results: { id: string }[] }>(
      await t.get(`${BASE}/resource_search?query=pe_type:reference&query=${encodeURIComponent('name:domaines')}`),
      'resource_search',
    )
    expect(both.results.map((resource) => resource.id).sort()).toEqual([IDS.domaines, IDS.grandsDomaines].sort())
    expect(okResult(await post(`${BASE}/resource_search`, JSON.stringify({ query: ['pe_type:reference', 'name:domaines'] })), 'resource_search')).toEqual(both)
    expect(errorOf(await t.get(actionUrl('resource_search', { query: 'foo:bar' })), 409, 'resource_search')).toEqual({
      __type: 'Validation Error',
      query: ['Field "foo" not recognised in resource_search.'],
    })
    // `fields` (a JSON object of field → term) as in CKAN 2.x; not JSON → CKAN's message.
    const byFields = okResult<{ results: { id: string }[] }>(await t.get(actionUrl('resource_search', { fields: { pe_type: 'reference', name: 'domaines' } })), 'resource_search')
    expect(byFields.results.map((resource) => resource.id).sort()).toEqual([IDS.domaines, IDS.grandsDomaines].sort())
    expect(errorOf(await t.get(actionUrl('resource_search', { fields: '{pe_type' })), 409, 'resource_search')).toEqual({ __type: 'Validation Error', fields: ['Could not parse as valid JSON'] })
  })

  it('datastore_info: the fields and the row count', async () => {
    const info = okResult<{ meta: { id: string; count: number; table_type: string }; fields: { id: string; type: string }[] }>(
      await t.get(actionUrl('datastore_info', { id: IDS.salaires })),
      'datastore_info',
    )
    expect(info.meta).toMatchObject({ id: IDS.salaires, count: 616, table_type: 'BASE TABLE' })
    expect(info.fields.map((field) => [field.id, field.type])).toEqual(fileOf(IDS.salaires).fields.map((field) => [field.id, field.type]))
    expect(okResult<{ meta: { count: number; table_type: string } }>(await t.get(actionUrl('datastore_info', { id: IDS.offerCounts })), 'datastore_info').meta).toMatchObject({
      count: 2,
      table_type: 'VIEW',
    })
    expect(errorOf(await t.get(actionUrl('datastore_info', { id: BMO_2025_ID })), 404, 'datastore_info')).toEqual({
      __type: 'Not Found Error',
      message: `Not found: Resource/Alias "${BMO_2025_ID}" was not found.`,
    })
  })
})

describe('datastore_search', () => {
  it('returns the rows of a resource as the file has them, in the verbatim response’s shape', async () => {
    const result = await searchOk({ resource_id: IDS.grandsDomaines })
    expect(result.resource_id).toBe(IDS.grandsDomaines)
    expect(result.fields.map((field) => field.id)).toEqual(fieldIds(IDS.grandsDomaines))
    expect(result.fields[0]).toEqual({ id: '_id', type: 'int' })
    expect(result.fields[1]).toMatchObject({ id: 'MAIN_PROF_AREA_CODE', type: 'text', info: { label: expect.any(String) as unknown } })
    expect(result.records).toEqual(grandsDomaines)
    expect(result).toMatchObject({ total: 14, total_was_estimated: false, limit: 100, offset: 0 })
    expect(result._links).toEqual({
      start: `/api/action/datastore_search?resource_id=${IDS.grandsDomaines}`,
      next: expect.stringMatching(new RegExp(`^/api/action/datastore_search\\?resource_id=${IDS.grandsDomaines}&offset=100(&|$)`)) as unknown,
    })
  })

  it('accepts id= as an alias of resource_id (python-emploi-store)', async () => {
    const byAlias = await searchOk({ id: IDS.grandsDomaines, limit: 5 })
    expect(byAlias.resource_id).toBe(IDS.grandsDomaines)
    expect(byAlias.records).toEqual(grandsDomaines.slice(0, 5))
    expect(byAlias._links.start).toBe(`/api/action/datastore_search?limit=5&resource_id=${IDS.grandsDomaines}`)
  })

  it('validates resource_id: missing → 409, unknown → 404', async () => {
    expect(errorOf(await search({}), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', resource_id: ['Missing value'] })
    expect(errorOf(await search({ resource_id: 'x' }), 404, 'datastore_search')).toEqual({ __type: 'Not Found Error', message: 'Not found: Resource "x" was not found.' })
    expect(errorOf(await post(`${BASE}/datastore_search`, '{"limit": 1}'), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', resource_id: ['Missing value'] })
  })

  it('filters: a JSON string with one value or a list of values', async () => {
    const one = await searchOk({ resource_id: IDS.romeFiches, filters: '{"MAIN_PROF_AREA_CODE":"N"}', limit: 1000 })
    const expectedN = fiches.filter((row) => row.MAIN_PROF_AREA_CODE === 'N')
    expect(one.records).toEqual(expectedN)
    expect(one.total).toBe(expectedN.length)
    expect(one.filters).toEqual({ MAIN_PROF_AREA_CODE: 'N' })

    const several = await searchOk({ resource_id: IDS.romeFiches, filters: { MAIN_PROF_AREA_CODE: ['A', 'B'], PROFESSIONAL_AREA_CODE: 'A11' }, limit: 1000 })
    const expected = fiches.filter((row) => ['A', 'B'].includes(String(row.MAIN_PROF_AREA_CODE)) && row.PROFESSIONAL_AREA_CODE === 'A11')
    expect(expected.length).toBeGreaterThan(0)
    expect(several.records).toEqual(expected)
    expect(several.total).toBe(expected.length)

    const numeric = await searchOk({ resource_id: IDS.salaires, filters: { MEDIAN_SALARY: 1482 } })
    const expectedSalary = salaires.filter((row) => row.MEDIAN_SALARY === 1482)
    expect(expectedSalary.length).toBeGreaterThan(0)
    expect(numeric.records).toEqual(expectedSalary)
  })

  it('values a column cannot take: 409, never a server error', async () => {
    const error = (params: Record<string, unknown>) => search({ resource_id: IDS.series, ...params })
    expect(errorOf(await error({ filters: { NB_OFFER_CAT_A: 'abc' } }), 409, 'datastore_search')).toEqual({
      __type: 'Validation Error',
      filters: ['invalid value "abc" for field "NB_OFFER_CAT_A" (int)'],
    })
    for (const [params, orig] of [
      [{ filters: { NB_OFFER_CAT_A: 99999999999 } }, /out of range for type integer/],
      [{ filters: { MONTH: '1996-13-45' } }, /out of range/],
      [{ offset: '99999999999999999999' }, /out of range/],
    ] as const) {
      const body = errorOf(await error(params), 409, 'datastore_search')
      expect(body, JSON.stringify(params)).toMatchObject({ __type: 'Validation Error', query: ['Invalid query'] })
      expect((body.info as { orig: string[] }).orig[0]).toMatch(orig)
    }
    expect(errorOf(await error({ language: 'klingon' }), 409, 'datastore_search')).toMatchObject({ __type: 'Validation Error', language: [expect.stringMatching(/^Value must be one of /) as unknown] })
    expect(errorOf(await error({ sort: '"MONTH' }), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', sort: ['not valid syntax for sort clause'] })
    expect(errorOf(await error({ distinct: 'true', fields: 'MONTH', sort: 'NB_OFFER_CAT_A' }), 409, 'datastore_search')).toEqual({
      __type: 'Validation Error',
      sort: ['field NB_OFFER_CAT_A must be among the fields returned when distinct is true'],
    })
  })

  it('filters: CKAN’s errors for a non-object, bad JSON and an unknown field', async () => {
    const error = (filters: unknown) => search({ resource_id: IDS.grandsDomaines, filters })
    expect(errorOf(await error('[1]'), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', filters: ['Not a json object'] })
    expect(errorOf(await error('"A"'), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', filters: ['Not a json object'] })
    expect(errorOf(await error('{'), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', filters: ['Could not parse as valid JSON'] })
    expect(errorOf(await error({ X: 1 }), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', filters: ['field "X" not in table'] })
  })

  it('q as text: French full text over the row, stemmed (a plural finds the singular), with a rank field', async () => {
    const result = await searchOk({ resource_id: IDS.competences, q: 'véhicules', limit: 1000 })
    const texts = (row: Record<string, CellValue>) => Object.entries(row).filter(([key]) => key !== '_id' && key !== 'rank').map(([, value]) => String(value ?? '')).join(' ')
    const expected = competences.filter((row) => /v[ée]hicul/i.test(texts(row)))
    expect(expected.length).toBeGreaterThan(1)
    expect(result.total).toBe(expected.length)
    expect(result.records.map((record) => record._id).sort((a, b) => Number(a) - Number(b))).toEqual(expected.map((row) => row._id))
    const singular = competences.find((row) => row.SKILL_NAME === "Conduite d'un véhicule deux roues motorisé")
    expect(result.records.map((record) => record._id)).toContain(singular?._id)
    expect(result.fields.at(-1)).toEqual({ id: 'rank', type: 'float' })
    const ranks = result.records.map((record) => record.rank as number)
    for (const rank of ranks) expect(rank).toBeGreaterThan(0)
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks)
    expect(result.q).toBe('véhicules')
    expect(result.total_was_estimated).toBe(false)
  })

  it('q as an object: full text on given columns only', async () => {
    const result = await searchOk({ resource_id: IDS.romeFiches, q: { MAIN_PROF_AREA_NAME: 'santé' }, fields: '_id,MAIN_PROF_AREA_NAME', limit: 1000 })
    const expected = fiches.filter((row) => String(row.MAIN_PROF_AREA_NAME).toLowerCase().includes('santé'))
    expect(expected.length).toBeGreaterThan(0)
    expect(result.records.map((record) => record._id)).toEqual(expected.map((row) => row._id))
    for (const record of result.records) expect(Object.keys(record)).toEqual(['_id', 'MAIN_PROF_AREA_NAME'])
    expect(errorOf(await search({ resource_id: IDS.romeFiches, q: { NOPE: 'x' } }), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', q: ['field "NOPE" not in table'] })
  })

  it('plain=false: q in to_tsquery syntax; a syntax error is CKAN’s “Invalid query”', async () => {
    const both = await searchOk({ resource_id: IDS.competences, q: 'véhicule & tourisme', plain: 'false', limit: 1000 })
    expect(both.records.map((record) => record.SKILL_NAME)).toEqual(['Caractéristiques des véhicules de tourisme'])
    const either = await searchOk({ resource_id: IDS.competences, q: 'hippomobile | tourisme', plain: 'false', fields: 'SKILL_NAME', sort: '_id', limit: 1000 })
    expect(either.records.map((record) => record.SKILL_NAME)).toEqual(expect.arrayContaining(['Caractéristiques des véhicules hippomobiles', 'Caractéristiques des véhicules de tourisme']))
    expect(either.plain).toBe(false)
    const error = errorOf(await search({ resource_id: IDS.competences, q: 'véhicule & | tourisme', plain: 'false' }), 409, 'datastore_search')
    expect(error).toMatchObject({ __type: 'Validation Error', query: ['Invalid query'] })
    expect((error.info as { orig: string[] }).orig[0]).toMatch(/syntax error in tsquery/)
  })

  it('distinct: distinct rows of the fields asked, the total counting distinct rows (CKAN counts over SELECT DISTINCT)', async () => {
    const result = await searchOk({ resource_id: IDS.romeFiches, fields: 'MAIN_PROF_AREA_CODE', distinct: 'true' })
    const codes = [...new Set(fiches.map((row) => String(row.MAIN_PROF_AREA_CODE)))].sort()
    expect(result.records).toEqual(codes.map((code) => ({ MAIN_PROF_AREA_CODE: code })))
    expect(result.total).toBe(codes.length)
    expect(codes.length).toBeLessThan(fiches.length)
    expect(result.distinct).toBe(true)
    const sorted = await searchOk({ resource_id: IDS.romeFiches, fields: ['MAIN_PROF_AREA_CODE'], distinct: true, sort: 'MAIN_PROF_AREA_CODE desc' })
    expect(sorted.records.map((record) => record.MAIN_PROF_AREA_CODE)).toEqual([...codes].reverse())
  })

  it('fields: a comma-separated string or a JSON list, in the order given; an unknown field is refused', async () => {
    const asString = await searchOk({ resource_id: IDS.grandsDomaines, fields: 'MAIN_PROF_AREA_NAME, _id' })
    expect(asString.fields.map((field) => field.id)).toEqual(['MAIN_PROF_AREA_NAME', '_id'])
    expect(asString.records).toEqual(grandsDomaines.map((row) => ({ MAIN_PROF_AREA_NAME: row.MAIN_PROF_AREA_NAME, _id: row._id })))
    expect(asString.fields).toEqual(expect.arrayContaining([{ id: '_id', type: 'int' }]))
    const asList = await searchOk({ resource_id: IDS.grandsDomaines, fields: '["MAIN_PROF_AREA_NAME","_id"]' })
    expect(asList.records).toEqual(asString.records)
    expect(asList.fields).toEqual(asString.fields)
    expect(errorOf(await search({ resource_id: IDS.grandsDomaines, fields: 'MAIN_PROF_AREA_CODE,FOO' }), 409, 'datastore_search')).toEqual({
      __type: 'Validation Error',
      fields: ['field "FOO" not in table'],
    })
  })

  it('sort: asc and desc on a column with nulls (PostgreSQL order: nulls last ascending, first descending), ties by _id', async () => {
    const salary = (row: Record<string, unknown>) => row.MEDIAN_SALARY as number | null
    expect(salaires.some((row) => salary(row) === null)).toBe(true)
    const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a._id) - Number(b._id)
    const ascending = [...salaires].sort((a, b) => {
      const x = salary(a)
      const y = salary(b)
      if (x === y) return byId(a, b)
      if (x === null) return 1
      if (y === null) return -1
      return x - y
    })
    const descending = [...salaires].sort((a, b) => {
      const x = salary(a)
      const y = salary(b)
      if (x === y) return byId(a, b)
      if (x === null) return -1
      if (y === null) return 1
      return y - x
    })
    expect((await searchOk({ resource_id: IDS.salaires, sort: 'MEDIAN_SALARY', limit: 1000 })).records).toEqual(ascending)
    expect((await searchOk({ resource_id: IDS.salaires, sort: 'MEDIAN_SALARY asc', limit: 1000 })).records).toEqual(ascending)
    expect((await searchOk({ resource_id: IDS.salaires, sort: 'MEDIAN_SALARY DESC', limit: 1000 })).records).toEqual(descending)
    const twoKeys = await searchOk({ resource_id: IDS.salaires, sort: 'PERIOD desc, _id desc', limit: 1000 })
    expect(twoKeys.records).toEqual([...salaires].sort((a, b) => String(b.PERIOD).localeCompare(String(a.PERIOD)) || byId(b, a)))
    expect(twoKeys.sort).toBe('PERIOD desc, _id desc')
    expect((await searchOk({ resource_id: IDS.salaires, sort: '"MEDIAN_SALARY" desc', limit: 1000 })).records).toEqual(descending)
  })

  // CKAN 2.1–2.3 `_sort`: `field "X" not in table` (the unquoted "not it table" was CKAN 2.0's typo, fixed in 2.1).
  it('sort: CKAN’s errors for an unknown field and a bad direction', async () => {
    expect(errorOf(await search({ resource_id: IDS.grandsDomaines, sort: 'X desc' }), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', sort: ['field "X" not in table'] })
    expect(errorOf(await search({ resource_id: IDS.grandsDomaines, sort: 'MAIN_PROF_AREA_CODE up' }), 409, 'datastore_search')).toEqual({
      __type: 'Validation Error',
      sort: ['sorting can only be asc or desc'],
    })
  })

  it('limit: default 100, clamped to 32000; offset; bad values are refused', async () => {
    const clamped = await searchOk({ resource_id: IDS.secteurs, limit: 70000, fields: '_id' })
    expect(clamped.limit).toBe(32000)
    expect(clamped.total).toBe(fileOf(IDS.secteurs).expectedRows)
    expect(clamped.records).toHaveLength(fileOf(IDS.secteurs).expectedRows)
    expect(clamped.records.map((record) => record._id)).toEqual(Array.from({ length: fileOf(IDS.secteurs).expectedRows }, (_, at) => at + 1))
    expect((await searchOk({ resource_id: IDS.secteurs, fields: '_id' })).records).toHaveLength(100)

    const page = await searchOk({ resource_id: IDS.grandsDomaines, offset: 10, limit: 3 })
    expect(page.records).toEqual(grandsDomaines.slice(10, 13))
    expect(page).toMatchObject({ offset: 10, limit: 3, total: 14 })
    const none = await searchOk({ resource_id: IDS.grandsDomaines, limit: 0 })
    expect(none).toMatchObject({ records: [], total: 14, limit: 0 })
    const beyond = await searchOk({ resource_id: IDS.grandsDomaines, offset: 20 })
    expect(beyond.records).toEqual([])
    expect(beyond.total).toBe(14)

    for (const [name, value, message] of [
      ['limit', 'abc', 'Invalid integer'],
      ['limit', '-1', 'Must be a natural number'],
      ['limit', '1.5', 'Invalid integer'],
      ['offset', 'x', 'Invalid integer'],
      ['offset', '-5', 'Must be a natural number'],
    ] as const) {
      expect(errorOf(await search({ resource_id: IDS.grandsDomaines, [name]: value }), 409, 'datastore_search'), `${name}=${value}`).toEqual({ __type: 'Validation Error', [name]: [message] })
    }
  })

  it('_links: start without offset, next at offset + limit, prev when not on the first page', async () => {
    const first = await searchOk({ resource_id: IDS.grandsDomaines, limit: 5 })
    const link = (url: string | undefined) => new URL(url ?? '', 'http://x')
    expect(first._links.start).toBe(`/api/action/datastore_search?resource_id=${IDS.grandsDomaines}&limit=5`)
    expect(link(first._links.next).pathname).toBe('/api/action/datastore_search')
    expect(link(first._links.next).searchParams.get('offset')).toBe('5')
    expect(link(first._links.next).searchParams.get('limit')).toBe('5')
    expect(first._links.prev).toBeUndefined()

    const third = await searchOk({ resource_id: IDS.grandsDomaines, limit: 5, offset: 10, filters: { MAIN_PROF_AREA_CODE: ['A', 'K', 'L', 'M', 'N'] } })
    expect(link(third._links.start).searchParams.get('offset')).toBeNull()
    expect(JSON.parse(link(third._links.start).searchParams.get('filters') ?? '')).toEqual({ MAIN_PROF_AREA_CODE: ['A', 'K', 'L', 'M', 'N'] })
    expect(link(third._links.next).searchParams.get('offset')).toBe('15')
    expect(link(third._links.prev).searchParams.get('offset')).toBe('5')
    expect(link(third._links.prev).searchParams.get('cursor')).toBeNull()

    // The links work as they are: following next from the first page gives the second.
    const next = okResult<SearchResult>(await t.get(`${BASE}/${first._links.next.replace('/api/action/', '')}`), 'datastore_search')
    expect(next.records).toEqual(grandsDomaines.slice(5, 10))
    const prev = okResult<SearchResult>(await t.get(`${BASE}/${(third._links.prev ?? '').replace('/api/action/', '')}`), 'datastore_search')
    expect(prev.records).toEqual([])
    expect(prev.total).toBe(5)
  })

  it('include_total=false: no total', async () => {
    const result = await searchOk({ resource_id: IDS.grandsDomaines, include_total: 'false', limit: 2 })
    expect(result).not.toHaveProperty('total')
    expect(result).not.toHaveProperty('total_was_estimated')
    expect(result.include_total).toBe(false)
    expect(result.records).toEqual(grandsDomaines.slice(0, 2))
  })

  it('records_format: objects (default), lists, csv and tsv', async () => {
    const base = { resource_id: IDS.salaires, fields: '_id,FAP_CODE,FAP_NAME,MEDIAN_SALARY', limit: 1000 }
    const values = salaires.map((row) => [row._id, row.FAP_CODE, row.FAP_NAME, row.MEDIAN_SALARY])
    expect((await searchOk({ ...base, records_format: 'objects' })).records).toEqual(values.map(([a, b, c, d]) => ({ _id: a, FAP_CODE: b, FAP_NAME: c, MEDIAN_SALARY: d })))
    const lists = await searchOk({ ...base, records_format: 'lists' })
    expect(lists.records).toEqual(values)
    expect(lists.records_format).toBe('lists')

    const cell = (value: CellValue | undefined, delimiter: string) => {
      const text = value === null || value === undefined ? '' : String(value)
      return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text
    }
    for (const [format, delimiter] of [['csv', ','], ['tsv', '\t']] as const) {
      const result = await searchOk({ ...base, records_format: format })
      expect(typeof result.records).toBe('string')
      expect(result.records as unknown as string).toBe(values.map((row) => row.map((value) => cell(value, delimiter)).join(delimiter)).join('\n') + '\n')
    }
    expect(values.some((row) => String(row[2]).includes(','))).toBe(true)
    expect(errorOf(await search({ resource_id: IDS.salaires, records_format: 'xml' }), 409, 'datastore_search')).toEqual({
      __type: 'Validation Error',
      records_format: ['Value must be one of ["objects","lists","csv","tsv"]'],
    })
  })
})
