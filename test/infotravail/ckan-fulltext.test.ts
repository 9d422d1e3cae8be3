import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CellValue } from '../../src/datasets/definition.js'
import { bmoPackage } from '../../src/datasets/packages/bmo.js'
import { appStores } from '../support/databases.js'
import { createTestApp } from '../support/test-app.js'
import { actionUrl, BMO_2025_ID, definitionRows, errorOf, fileOf, IDS, loadSmallPackages, okResult, ROME_SMALL, type SearchResult } from './fixtures.js'

/**
 * datastore_search's full text on real data (ROME v3 compétences, the FAP 2021 nomenclature, the
 * ROME ↔ FAP crosswalk): a word is found as written (codes, stop words) and by its French stem,
 * `language`, the rank columns and `full_text`, each against CKAN 2.11's behaviour (named per
 * test), on the embedded store and, where TEST_DATABASE_URL is set, on PostgreSQL.
 */

/** BMO's file resources: the 2025 survey (50,076 rows, the case), the FAP nomenclature and the crosswalk. */
const BMO_FILES = { ...bmoPackage, resources: bmoPackage.resources.filter((resource) => resource.kind === 'file') }
const PACKAGES = [ROME_SMALL, BMO_FILES]

interface Target {
  get(url: string): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

/** The application on the embedded store, and on a PostgreSQL schema of its own where TEST_DATABASE_URL is set. */
const STORES = appStores().map(({ name, databaseUrl }) => ({
  name,
  async open(): Promise<Target> {
    const t = await createTestApp(databaseUrl ? { databaseUrl } : {})
    await loadSmallPackages(t, PACKAGES)
    return { get: (url) => t.get(url), close: () => t.close() }
  },
}))

type Row = Record<string, CellValue>

/** The words of a row's text columns as written, lower case (what PostgreSQL's parser splits). */
function wordsOf(resourceId: string, row: Row): Set<string> {
  const texts = fileOf(resourceId)
    .fields.filter((field) => field.type === 'text')
    .map((field) => String(row[field.id] ?? ''))
  return new Set(texts.join(' ').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word !== ''))
}

/** The `_id`s of the rows holding one of `words` (or a word matching the pattern), ascending. */
function idsHolding(resourceId: string, rows: readonly Row[], words: readonly string[] | RegExp): number[] {
  const holds = (set: Set<string>) => (words instanceof RegExp ? [...set].some((word) => words.test(word)) : words.some((word) => set.has(word)))
  return rows.filter((row) => holds(wordsOf(resourceId, row))).map((row) => Number(row._id))
}

/** The lines of a CSV page (records_format=csv). */
const csvLines = (result: SearchResult) => (result.records as unknown as string).trimEnd().split('\n')

const idsOf = (result: SearchResult) => result.records.map((record) => Number(record._id)).sort((a, b) => a - b)

describe.each(STORES)('datastore_search full text on $name', (store) => {
  let target: Target
  let competences: Row[]
  let passage: Row[]
  let fap: Row[]

  const search = (params: Record<string, unknown>) => target.get(actionUrl('datastore_search', { limit: 32000, ...params }))
  const searchOk = async (params: Record<string, unknown>) => okResult<SearchResult>(await search(params), 'datastore_search')

  beforeAll(async () => {
    target = await store.open()
    ;[competences, passage, fap] = await Promise.all([definitionRows(IDS.competences), definitionRows(IDS.passage), definitionRows(IDS.fap)])
  })
  afterAll(() => target.close())

  // CKAN 2.11 test_search.py test_search_full_text: `q=DE` finds the rows holding « DE » (a country
  // code there); CKAN's index keeps every word of its language, here French drops « de ».
  it('q finds a word as written: a French stop word, a code', async () => {
    const expected = idsHolding(IDS.competences, competences, ['de'])
    expect(expected.length).toBeGreaterThan(100)
    expect(expected.length).toBeLessThan(competences.length)
    for (const q of ['DE', 'de']) {
      const result = await searchOk({ resource_id: IDS.competences, q, fields: '_id' })
      expect(result.total).toBe(expected.length)
      expect(idsOf(result)).toEqual(expected)
    }
    const permis = await searchOk({ resource_id: IDS.competences, q: 'permis DE', fields: 'SKILL_NAME' })
    expect(permis.records.map((record) => record.SKILL_NAME)).toContain('Permis de conduire DE')
    const code = await searchOk({ resource_id: IDS.fap, q: 'S0X42', fields: '_id' })
    expect(idsOf(code)).toEqual(idsHolding(IDS.fap, fap, ['s0x42']))
    expect(code.total).toBe(1)
  })

  // CKAN 2.11 test_search.py test_advanced_search_full_text: `plain=false`, `q=DE | UK` (to_tsquery
  // syntax) finds the rows holding either word.
  it('plain=false: DE | UK finds the rows holding either word', async () => {
    const expected = idsHolding(IDS.competences, competences, ['de', 'uk'])
    expect(expected).toEqual(expect.arrayContaining(idsHolding(IDS.competences, competences, ['uk'])))
    const result = await searchOk({ resource_id: IDS.competences, q: 'DE | UK', plain: 'false', fields: '_id' })
    expect(result.total).toBe(expected.length)
    expect(idsOf(result)).toEqual(expected)
    const both = await searchOk({ resource_id: IDS.competences, q: 'normes & UK', plain: 'false', fields: 'SKILL_NAME' })
    expect(both.records.map((record) => record.SKILL_NAME)).toEqual(['Normes comptables UK GAAP'])
  })

  // CKAN 2.11 postgres.py: `_full_text @@ plainto_tsquery(language, q)`, every word required; here
  // a word matches as written or by its French stem (snowball: « boulangers » → boulanger,
  // « boulanger » → boulang), so singular and plural find each other.
  it('French stemming still brings the variants: boulanger finds boulangers and boulangerie, and back', async () => {
    const expected = idsHolding(IDS.passage, passage, /^boulang(er|ers|ère|ères|erie|eries)$/)
    expect(expected.length).toBeGreaterThan(0)
    for (const q of ['boulanger', 'boulangers', 'Boulangère']) {
      const result = await searchOk({ resource_id: IDS.passage, q, fields: '_id' })
      expect(idsOf(result), q).toEqual(expected)
    }
    const pastry = await searchOk({ resource_id: IDS.fap, q: 'pâtissier', fields: '_id' })
    expect(idsOf(pastry)).toEqual(idsHolding(IDS.fap, fap, ['pâtissiers', 'pâtissier']))
    expect(pastry.total).toBeGreaterThan(0)
    const twoWords = await searchOk({ resource_id: IDS.fap, q: 'boulanger de', fields: '_id' })
    expect(idsOf(twoWords)).toEqual(idsHolding(IDS.fap, fap, ['boulangers']).filter((id) => idsHolding(IDS.fap, fap, ['de']).includes(id)))
  })

  // Issue 13 on the BMO 2025 survey: q=boulanger found 0 rows where q=boulangers found 395.
  it('on the BMO survey, boulanger and boulangers find the same rows', async () => {
    const singular = await searchOk({ resource_id: BMO_2025_ID, q: 'boulanger', fields: '_id' })
    const plural = await searchOk({ resource_id: BMO_2025_ID, q: 'boulangers', fields: '_id' })
    expect(plural.total).toBeGreaterThan(0)
    expect(idsOf(singular)).toEqual(idsOf(plural))
    const exact = await searchOk({ resource_id: BMO_2025_ID, q: 'boulangers', language: 'simple', fields: '_id' })
    expect(idsOf(plural)).toEqual(expect.arrayContaining(idsOf(exact)))
  })

  // CKAN 2.11 postgres.py `_fts_lang`: `language` is the configuration of the query
  // (`plainto_tsquery(language, q)`); here the configurations the index holds.
  it('language: simple takes the words of q as written (not stemmed), french adds their stems, another is refused', async () => {
    const simple = await searchOk({ resource_id: IDS.passage, q: 'boulangers', language: 'simple', fields: '_id' })
    expect(idsOf(simple)).toEqual(idsHolding(IDS.passage, passage, ['boulangers']))
    expect(simple.language).toBe('simple')
    const bakery = await searchOk({ resource_id: IDS.passage, q: 'Boulangerie', language: 'simple', fields: '_id' })
    expect(idsOf(bakery)).toEqual(idsHolding(IDS.passage, passage, ['boulangerie']))
    const french = await searchOk({ resource_id: IDS.passage, q: 'Boulangerie', language: 'french', fields: '_id' })
    expect(idsOf(french)).toEqual(idsHolding(IDS.passage, passage, ['boulangers', 'boulangerie']))
    expect(idsOf(french).length).toBeGreaterThan(idsOf(bakery).length)
    expect(errorOf(await search({ resource_id: IDS.passage, q: 'boulanger', language: 'english' }), 409, 'datastore_search')).toEqual({
      __type: 'Validation Error',
      language: ['Value must be one of ["french","simple"]'],
    })
  })

  // CKAN 2.11 postgres.py datastore_search: the rank columns join the result's fields only when
  // `fields` is not given, or when `fields` names them (`_result_fields` of the fields asked);
  // test_search.py test_search_csv: `fields=dt`, `q=aaac`, records_format=csv gives dt alone.
  it('rank: a float field after the others without fields; with fields, only when named', async () => {
    const all = await searchOk({ resource_id: IDS.competences, q: 'véhicules', limit: 5 })
    expect(all.fields.map((field) => field.id)).toEqual(['_id', ...fileOf(IDS.competences).fields.map((field) => field.id), 'rank'])
    expect(all.fields.at(-1)).toEqual({ id: 'rank', type: 'float' })
    for (const record of all.records) expect(record.rank).toBeGreaterThan(0)

    const asked = await searchOk({ resource_id: IDS.competences, q: 'véhicules', fields: 'SKILL_NAME', limit: 5 })
    expect(asked.fields.map((field) => field.id)).toEqual(['SKILL_NAME'])
    for (const record of asked.records) expect(Object.keys(record)).toEqual(['SKILL_NAME'])

    const csv = await searchOk({ resource_id: IDS.competences, q: 'véhicules', fields: 'SKILL_NAME', records_format: 'csv' })
    const lines = csvLines(csv)
    expect(lines).toHaveLength(idsHolding(IDS.competences, competences, /^v[ée]hicules?$/).length)
    expect(lines).toContain('Caractéristiques des véhicules de tourisme')

    const lists = await searchOk({ resource_id: IDS.competences, q: 'véhicules', fields: 'rank,SKILL_NAME', records_format: 'lists', limit: 3 })
    expect(lists.fields).toEqual([{ id: 'rank', type: 'float' }, expect.objectContaining({ id: 'SKILL_NAME', type: 'text' })])
    for (const record of lists.records as unknown as unknown[][]) {
      expect(typeof record[0]).toBe('number')
      expect(typeof record[1]).toBe('string')
    }

    expect(errorOf(await search({ resource_id: IDS.competences, fields: 'rank' }), 409, 'datastore_search')).toEqual({ __type: 'Validation Error', fields: ['field "rank" not in table'] })
    expect(errorOf(await search({ resource_id: IDS.competences, q: 'véhicules', fields: '_full_text' }), 409, 'datastore_search')).toEqual({
      __type: 'Validation Error',
      fields: ['field "_full_text" not in table'],
    })
  })

  // CKAN 2.11 test_search.py test_fts_on_field_calculates_ranks_only_on_that_specific_field and
  // test_search_csv (`fields="txt, rank txt"`, `q={"txt": …}`): q as an object ranks each column
  // it names in a `rank <column>` field; postgres.py `_sort` orders by the rank columns.
  it('q as an object: a « rank FIELD » column, rows by that rank, words as written found too', async () => {
    const result = await searchOk({ resource_id: IDS.competences, q: { SKILL_NAME: 'véhicules' }, limit: 50 })
    expect(result.fields.at(-1)).toEqual({ id: 'rank SKILL_NAME', type: 'float' })
    expect(result.fields.map((field) => field.id)).not.toContain('rank')
    const ranks = result.records.map((record) => record['rank SKILL_NAME'] as number)
    for (const rank of ranks) expect(rank).toBeGreaterThan(0)
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks)

    const csv = await searchOk({ resource_id: IDS.competences, q: { SKILL_NAME: 'tourisme' }, fields: 'SKILL_NAME, rank SKILL_NAME', records_format: 'csv' })
    expect(csv.fields).toEqual([expect.objectContaining({ id: 'SKILL_NAME', type: 'text' }), { id: 'rank SKILL_NAME', type: 'float' }])
    for (const line of csvLines(csv)) expect(line).toMatch(/^("[^"]*tourisme[^"]*"|[^,"]*tourisme[^,]*),0\.\d+$/i)

    const stopWord = await searchOk({ resource_id: IDS.competences, q: { SKILL_NAME: 'DE' }, fields: '_id' })
    const withDe = competences.filter((row) => /(^|[^\p{L}\p{N}])de([^\p{L}\p{N}]|$)/iu.test(String(row.SKILL_NAME ?? ''))).map((row) => Number(row._id))
    expect(idsOf(stopWord)).toEqual(withDe)

    expect(errorOf(await search({ resource_id: IDS.competences, q: { SKILL_NAME: 'x' }, fields: 'rank' }), 409, 'datastore_search')).toEqual({
      __type: 'Validation Error',
      fields: ['field "rank" not in table'],
    })
  })

  // CKAN 2.10 added `full_text` (postgres.py `_textsearch_query`): full text over the row with a
  // `rank` column; with q as an object both apply (test_fts_on_field_calculates_ranks_specific_field_and_all_fields);
  // with q as a string, full_text is the query.
  it('full_text: full text over the row with a rank, alone, with q as an object, over q as a string', async () => {
    const byQ = await searchOk({ resource_id: IDS.competences, q: 'véhicules', fields: '_id' })
    const byFullText = await searchOk({ resource_id: IDS.competences, full_text: 'véhicules' })
    expect(idsOf(byFullText)).toEqual(idsOf(byQ))
    expect(byFullText.full_text).toBe('véhicules')
    expect(byFullText.fields.at(-1)).toEqual({ id: 'rank', type: 'float' })
    const ranks = byFullText.records.map((record) => record.rank as number)
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks)

    const both = await searchOk({ resource_id: IDS.competences, full_text: 'véhicules', q: { SKILL_NAME: 'tourisme' } })
    expect(both.records.map((record) => record.SKILL_NAME)).toEqual(['Caractéristiques des véhicules de tourisme'])
    expect(both.fields.slice(-2)).toEqual([
      { id: 'rank', type: 'float' },
      { id: 'rank SKILL_NAME', type: 'float' },
    ])

    const over = await searchOk({ resource_id: IDS.competences, full_text: 'véhicules', q: 'tourisme', fields: '_id' })
    expect(idsOf(over)).toEqual(idsOf(byQ))
    const named = await searchOk({ resource_id: IDS.competences, full_text: 'véhicules', fields: '_id,rank', limit: 3 })
    expect(named.fields.map((field) => field.id)).toEqual(['_id', 'rank'])
  })

  // CKAN 2.11 postgres.py `_sort`: without `sort`, rows by the rank columns, best first (here
  // then by `_id`); a `sort` given wins, the rank still returned.
  it('rows by rank without sort, ties by _id; a sort given wins', async () => {
    const ranked = await searchOk({ resource_id: IDS.competences, q: 'conduite véhicules', fields: '_id,rank' })
    expect(ranked.total).toBeGreaterThan(1)
    const pairs = ranked.records.map((record) => [record.rank as number, Number(record._id)] as const)
    expect([...pairs].sort((a, b) => b[0] - a[0] || a[1] - b[1])).toEqual(pairs)
    const sorted = await searchOk({ resource_id: IDS.competences, q: 'conduite véhicules', sort: '_id desc' })
    expect(sorted.records.map((record) => Number(record._id))).toEqual([...idsOf(ranked)].reverse())
    expect(sorted.fields.at(-1)).toEqual({ id: 'rank', type: 'float' })
  })
})
