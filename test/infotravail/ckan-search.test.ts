import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CellValue, PackageDefinition } from '../../src/datasets/definition.js'
import { appStores } from '../support/databases.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { actionUrl, definitionRows, errorOf, IDS, IMT_SMALL, loadSmallPackages, okResult, ROME_SMALL, STATS_SMALL, type SearchResult } from './fixtures.js'

/**
 * datastore_search as CKAN's DataStore answers it (issue 13, points 4, 5, 7, 8, 9): sort with
 * `nulls first|last`, exact totals unless `total_estimation_threshold` is sent, `_links.prev`
 * where CKAN gives it, range / list / `$or` filters and `next_page`, CKAN's messages. Each test
 * names the CKAN version and behaviour it follows. Every case runs on the embedded store and,
 * where TEST_DATABASE_URL is set, on PostgreSQL.
 */

type Row = Record<string, CellValue>

/** A resource of more rows than the former estimation threshold (100,000), all with K = "a". */
const LARGE_ID = '5c0a7e2e-8d4b-4a51-9a37-1f6e0b3c2d10'
const LARGE_ROWS = 100_050
const LARGE: PackageDefinition = {
  id: 'b2e7c1d0-3f4a-4b5c-8d6e-7f8091a2b3c4',
  name: 'grand',
  title: 'Grand',
  notes: '',
  frequency: 'jamais',
  tags: [],
  resources: [
    {
      kind: 'file',
      id: LARGE_ID,
      name: 'Lignes nombreuses',
      description: '',
      peSource: 'TEST',
      peVersion: '1',
      peType: 'data',
      fields: [
        { id: 'K', type: 'text', info: { label: 'K', notes: '' } },
        { id: 'N', type: 'int', info: { label: 'N', notes: '' } },
      ],
      provenance: { files: [], attribution: 'tests', date: '2026-12-07' },
      expectedRows: LARGE_ROWS,
      *rows() {
        for (let n = 0; n < LARGE_ROWS; n++) yield ['a', n % 1000]
      },
    },
  ],
}

/** PostgreSQL's order of one key, nulls where asked, then `_id` ascending. */
function ordered(rows: readonly Row[], field: string, desc: boolean, nullsFirst: boolean): Row[] {
  return [...rows].sort((a, b) => {
    const x = a[field] ?? null
    const y = b[field] ?? null
    if (x === y) return Number(a._id) - Number(b._id)
    if (x === null) return nullsFirst ? -1 : 1
    if (y === null) return nullsFirst ? 1 : -1
    const compared = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1
    return desc ? -compared : compared
  })
}

const ids = (rows: readonly Record<string, unknown>[]) => rows.map((row) => row._id)

describe.each(appStores())('datastore_search as CKAN’s DataStore ($name store)', ({ databaseUrl }) => {
  let t: TestApp
  let salaires: Row[]
  let series: Row[]

  const search = (params: Record<string, unknown>) => t.get(actionUrl('datastore_search', params))
  const searchOk = async (params: Record<string, unknown>) => okResult<SearchResult>(await search(params), 'datastore_search')
  const refused = async (params: Record<string, unknown>) => errorOf(await search(params), 409, 'datastore_search')
  /** A POST with a JSON body: lists and objects as JSON values (a query string would give text). */
  const post = (params: Record<string, unknown>) =>
    t.get(actionUrl('datastore_search'), { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(params) })
  /** A link of `_links` as the API serves it (it answers /api/action/<action> too). */
  const follow = async (link: string) => okResult<SearchResult>(await t.get(link), 'datastore_search')

  beforeAll(async () => {
    t = await createTestApp(databaseUrl ? { databaseUrl } : {})
    await loadSmallPackages(t, [IMT_SMALL, STATS_SMALL, { ...ROME_SMALL, resources: ROME_SMALL.resources.filter((resource) => resource.id === IDS.grandsDomaines) }, LARGE])
    ;[salaires, series] = await Promise.all([definitionRows(IDS.salaires), definitionRows(IDS.series)])
  }, 120_000)
  afterAll(() => t.close())

  describe('sort (point 4)', () => {
    // CKAN 2.11 `_parse_sort_clause`: `^(.+?)( +(asc|desc))?( nulls +(first|last) *)?$`, case-insensitive.
    it('accepts nulls first / nulls last with asc, desc or no direction, on several keys', async () => {
      expect(salaires.some((row) => row.MEDIAN_SALARY === null)).toBe(true)
      const cases = [
        ['MEDIAN_SALARY desc nulls last', true, false],
        ['MEDIAN_SALARY DESC NULLS FIRST', true, true],
        ['MEDIAN_SALARY asc nulls first', false, true],
        ['MEDIAN_SALARY nulls first', false, true],
        ['"MEDIAN_SALARY" asc nulls last', false, false],
      ] as const
      for (const [sort, desc, nullsFirst] of cases) {
        const result = await searchOk({ resource_id: IDS.salaires, sort, limit: 1000 })
        expect(ids(result.records), sort).toEqual(ids(ordered(salaires, 'MEDIAN_SALARY', desc, nullsFirst)))
        expect(result.sort).toBe(sort)
      }
      const twoKeys = await searchOk({ resource_id: IDS.salaires, sort: 'PERIOD desc, MEDIAN_SALARY desc nulls last', limit: 1000 })
      const bySalary = ids(ordered(salaires, 'MEDIAN_SALARY', true, false))
      const expected = [...salaires].sort((a, b) => String(b.PERIOD).localeCompare(String(a.PERIOD)) || bySalary.indexOf(a._id) - bySalary.indexOf(b._id))
      expect(ids(twoKeys.records)).toEqual(ids(expected))
      const asList = okResult<SearchResult>(await post({ resource_id: IDS.salaires, sort: ['PERIOD desc', 'MEDIAN_SALARY desc nulls last'], limit: 1000 }), 'datastore_search')
      expect(asList.records).toEqual(twoKeys.records)
    })

    it('pages through nulls last by _links.next (keyset cursor) and by offset alike', async () => {
      const expected = ids(ordered(salaires, 'MEDIAN_SALARY', true, false))
      const byCursor: unknown[] = []
      let page = await searchOk({ resource_id: IDS.salaires, sort: 'MEDIAN_SALARY desc nulls last', limit: 50 })
      for (let guard = 0; page.records.length > 0 && guard < 100; guard++) {
        byCursor.push(...ids(page.records))
        page = await follow(page._links.next)
      }
      expect(byCursor).toEqual(expected)
      const byOffset = await searchOk({ resource_id: IDS.salaires, sort: 'MEDIAN_SALARY desc nulls last', limit: 50, offset: 550 })
      expect(ids(byOffset.records)).toEqual(expected.slice(550, 600))
    })

    // CKAN 2.2–2.3 (the original's generation) words these refusals; 2.11 keeps the 409.
    it('refuses a bad sort with CKAN’s messages', async () => {
      expect(await refused({ resource_id: IDS.salaires, sort: 'füü desc nulls last' })).toEqual({ __type: 'Validation Error', sort: ['field "füü" not in table'] })
      expect(await refused({ resource_id: IDS.salaires, sort: 'X desc' })).toEqual({ __type: 'Validation Error', sort: ['field "X" not in table'] })
      expect(await refused({ resource_id: IDS.salaires, sort: 'MEDIAN_SALARY up' })).toEqual({ __type: 'Validation Error', sort: ['sorting can only be asc or desc'] })
      for (const sort of ['MEDIAN_SALARY desc nulls', 'MEDIAN_SALARY desc nulls middle', 'MEDIAN_SALARY nulls last desc', 'MEDIAN_SALARY desc desc']) {
        expect(await refused({ resource_id: IDS.salaires, sort }), sort).toEqual({ __type: 'Validation Error', sort: ['not valid syntax for sort clause'] })
      }
    })
  })

  describe('totals (point 5)', () => {
    // CKAN 2.11 `search_data`: an exact count(*) unless total_estimation_threshold is sent.
    it('are exact by default, however many rows match', async () => {
      const result = await searchOk({ resource_id: LARGE_ID, filters: { K: 'a' }, limit: 1 })
      expect(result.total).toBe(LARGE_ROWS)
      expect(result.total_was_estimated).toBe(false)
      const ranged = await searchOk({ resource_id: LARGE_ID, filters: { N: { gte: 1 } }, limit: 1 })
      expect(ranged.total).toBe(LARGE_ROWS - Math.ceil(LARGE_ROWS / 1000))
      expect(ranged.total_was_estimated).toBe(false)
    })

    // CKAN 2.9–2.11: with total_estimation_threshold, and neither filters nor distinct, the table's
    // statistics (reltuples) are the total when they reach the threshold (0 always estimates).
    it('are estimated only when total_estimation_threshold allows it', async () => {
      for (const threshold of [100, 0, '240']) {
        const estimated = await searchOk({ resource_id: IDS.series, total_estimation_threshold: threshold, limit: 1 })
        expect(estimated.total_was_estimated, String(threshold)).toBe(true)
        expect(estimated.total).toBeGreaterThanOrEqual(228)
        expect(estimated.total).toBeLessThanOrEqual(252)
        expect(estimated.total_estimation_threshold).toBe(Number(threshold))
      }
      const months = new Set(series.map((row) => row.MONTH)).size
      const counted = series.filter((row) => row.NB_OFFER_CAT_A !== null).length
      for (const [params, total] of [
        [{ total_estimation_threshold: 1000 }, 240],
        [{ total_estimation_threshold: 1, filters: { NB_OFFER_CAT_A: { gte: 0 } } }, counted],
        [{ total_estimation_threshold: 1, fields: 'MONTH', distinct: true }, months],
        [{}, 240],
      ] as const) {
        const exact = await searchOk({ resource_id: IDS.series, limit: 1, ...params })
        expect(exact.total_was_estimated, JSON.stringify(params)).toBe(false)
        expect(exact.total).toBe(total)
      }
      const none = await searchOk({ resource_id: IDS.series, total_estimation_threshold: 0, include_total: false })
      expect(none).not.toHaveProperty('total')
      expect(none).not.toHaveProperty('total_was_estimated')
    })

    // CKAN 2.11 schema: `total_estimation_threshold: [default(None), int_validator]`.
    it('refuses a threshold that is not an integer', async () => {
      for (const value of ['abc', '1.5']) {
        expect(await refused({ resource_id: IDS.series, total_estimation_threshold: value }), value).toEqual({ __type: 'Validation Error', total_estimation_threshold: ['Invalid integer'] })
      }
    })
  })

  describe('_links (point 7)', () => {
    // CKAN 2.2–2.11 `_insert_links`: `prev` only when offset - limit > 0.
    it('gives prev only when offset - limit > 0, as CKAN', async () => {
      const link = (url: string | undefined) => new URL(url ?? '', 'http://x')
      for (const [offset, limit] of [[5, 5], [3, 5], [0, 5]]) {
        expect((await searchOk({ resource_id: IDS.series, offset, limit }))._links.prev, `${offset}/${limit}`).toBeUndefined()
      }
      const sixth = await searchOk({ resource_id: IDS.series, offset: 6, limit: 5 })
      expect(link(sixth._links.prev).searchParams.get('offset')).toBe('1')
      expect(link(sixth._links.prev).searchParams.get('limit')).toBe('5')
    })

    // CKAN's links carry offset and limit: a client ignoring our `cursor` pages as with CKAN.
    it('pages the same with or without the cursor of next', async () => {
      const params = { resource_id: IDS.series, sort: 'NB_OFFER_CAT_A desc', limit: 70 }
      const pages = async (dropCursor: boolean) => {
        const seen: unknown[][] = []
        let page = await searchOk(params)
        for (let guard = 0; page.records.length > 0 && guard < 20; guard++) {
          seen.push(ids(page.records))
          const next = new URL(page._links.next, 'http://x')
          if (dropCursor) next.searchParams.delete('cursor')
          page = await follow(`${next.pathname}${next.search}`)
        }
        return seen
      }
      const expected = ids(ordered(series, 'NB_OFFER_CAT_A', true, true))
      const withCursor = await pages(false)
      expect(withCursor).toEqual(await pages(true))
      expect(withCursor.flat()).toEqual(expected)
      expect(withCursor.map((page) => page.length)).toEqual([70, 70, 70, 30])
    })
  })

  describe('filters (point 8)', () => {
    const salary = (row: Row) => row.MEDIAN_SALARY as number | null
    const expectRows = async (filters: unknown, keep: (row: Row) => boolean, rows: readonly Row[] = salaires, id: string = IDS.salaires) => {
      const expected = rows.filter(keep)
      expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0)
      expect(expected.length, JSON.stringify(filters)).toBeLessThan(rows.length)
      const result = await searchOk({ resource_id: id, filters, limit: 1000 })
      expect(ids(result.records), JSON.stringify(filters)).toEqual(ids(expected))
      expect(result.total).toBe(expected.length)
      expect(result.filters).toEqual(typeof filters === 'string' ? JSON.parse(filters) : filters)
    }

    // CKAN master (2.12-dev) `filters.py` + `_where_clauses`: {"col": {"gt"|"gte"|"lt"|"lte": v}}, several ANDed.
    it('ranges on numbers, dates and text', async () => {
      await expectRows({ MEDIAN_SALARY: { gte: 1500, lt: 2000 } }, (row) => salary(row) !== null && (salary(row) ?? 0) >= 1500 && (salary(row) ?? 0) < 2000)
      await expectRows('{"MEDIAN_SALARY":{"gt":3000}}', (row) => (salary(row) ?? 0) > 3000)
      await expectRows({ MEDIAN_SALARY: { lte: 1100 } }, (row) => salary(row) !== null && (salary(row) ?? 0) <= 1100)
      await expectRows({ FAP_CODE: { gte: 'T', lt: 'U' } }, (row) => String(row.FAP_CODE) >= 'T' && String(row.FAP_CODE) < 'U')
      await expectRows({ MONTH: { gte: '2000-01-01', lt: '2001-01-01' } }, (row) => String(row.MONTH).startsWith('2000-'), series, IDS.series)
    })

    // CKAN master: a list is an IN of its plain values, ORed with the operations it holds.
    it('lists of values and of ranges', async () => {
      await expectRows({ MEDIAN_SALARY: [1482, 1117] }, (row) => [1482, 1117].includes(salary(row) ?? -1))
      await expectRows({ MEDIAN_SALARY: [{ lt: 1100 }, { gt: 3500 }, 1482] }, (row) => salary(row) !== null && ((salary(row) ?? 0) < 1100 || (salary(row) ?? 0) > 3500 || salary(row) === 1482))
      const none = await searchOk({ resource_id: IDS.salaires, filters: { FAP_CODE: [] } })
      expect(none).toMatchObject({ records: [], total: 0 })
    })

    // CKAN master: `$or` / `$and` hold lists of filter dicts; a top-level list of dicts is an `$or`; `$$x` names a field `$x`.
    it('$or, $and, and a list of filter dicts', async () => {
      await expectRows({ $or: [{ FAP_CODE: 'A' }, { MEDIAN_SALARY: { gt: 3000 } }] }, (row) => row.FAP_CODE === 'A' || (salary(row) ?? 0) > 3000)
      await expectRows({ PERIOD: '2017-2019', $or: [{ FAP_CODE: { lt: 'B' } }, { $and: [{ MEDIAN_SALARY: { gte: 2000 } }, { MEDIAN_SALARY: { lt: 2100 } }] }] }, (row) =>
        row.PERIOD === '2017-2019' && (String(row.FAP_CODE) < 'B' || ((salary(row) ?? 0) >= 2000 && (salary(row) ?? 0) < 2100)),
      )
      await expectRows([{ FAP_CODE: 'A' }, { FAP_CODE: 'B', PERIOD: '2003-2005' }], (row) => row.FAP_CODE === 'A' || (row.FAP_CODE === 'B' && row.PERIOD === '2003-2005'))
      await expectRows({ $and: [{ FAP_CODE: { gte: 'B' } }, { FAP_CODE: { lt: 'C' } }] }, (row) => String(row.FAP_CODE) >= 'B' && String(row.FAP_CODE) < 'C')
    })

    // CKAN master `FiltersParser` and `build_clause` messages; an unknown field keeps CKAN 2.2's wording.
    it('refuses malformed filters with CKAN’s messages', async () => {
      const cases: [unknown, string][] = [
        [{ MEDIAN_SALARY: { like: '1%' } }, "Unknown filter operation: FilterOp(field='MEDIAN_SALARY', op='like', value='1%')"],
        [{ $not: [{ FAP_CODE: 'A' }] }, 'Unknown operators (must be one of $or, $and): $not'],
        [{ $or: 'A' }, "Filter operations must be defined as a list of dicts: 'A'"],
        [{ $or: [{ füü: 1 }] }, 'field "füü" not in table'],
        [{ MEDIAN_SALARY: { gte: 'abc' } }, 'invalid value "abc" for field "MEDIAN_SALARY" (int)'],
        [{ MEDIAN_SALARY: { gte: { lt: 1 } } }, 'invalid value for field "MEDIAN_SALARY": {"lt":1}'],
        [[1], 'Not a json object'],
      ]
      for (const [filters, message] of cases) {
        expect(await refused({ resource_id: IDS.salaires, filters }), JSON.stringify(filters)).toEqual({ __type: 'Validation Error', filters: [message] })
      }
      let deep: unknown = { FAP_CODE: 'A' }
      for (let level = 0; level < 11; level++) deep = { $or: [deep, { FAP_CODE: 'B' }] }
      expect(await refused({ resource_id: IDS.salaires, filters: deep })).toEqual({ __type: 'Validation Error', filters: ['Maximum nesting depth for filter operations reached'] })
      const many = { $or: Array.from({ length: 101 }, (_, at) => ({ MEDIAN_SALARY: at })) }
      expect(await refused({ resource_id: IDS.salaires, filters: many })).toEqual({ __type: 'Validation Error', filters: ['Maximum number of filter operations exceeded'] })
    })

    // CKAN master `search_data`: with include_next_page and a sort on `_id` alone (the default),
    // `next_page` is the filter that continues after the page's last `_id`.
    it('include_next_page gives next_page, a filter to add for the next page', async () => {
      const first = await searchOk({ resource_id: IDS.salaires, include_next_page: true, limit: 250 })
      expect(first.next_page).toEqual({ _id: { gt: 250 } })
      expect(first.include_next_page).toBe(true)
      const second = await searchOk({ resource_id: IDS.salaires, include_next_page: 'true', limit: 250, filters: { PERIOD: '2017-2019', ...(first.next_page as object) } })
      const expected = salaires.filter((row) => row.PERIOD === '2017-2019' && Number(row._id) > 250)
      expect(ids(second.records)).toEqual(ids(expected))
      expect(second.next_page).toEqual({ _id: { gt: expected.at(-1)?._id } })
      const descending = await searchOk({ resource_id: IDS.salaires, include_next_page: true, sort: '_id desc', limit: 16, fields: 'FAP_CODE' })
      expect(descending.next_page).toEqual({ _id: { lt: 601 } })
      expect(descending.records[0]).toEqual({ FAP_CODE: salaires.at(-1)?.FAP_CODE })
      for (const params of [{ sort: 'MEDIAN_SALARY' }, { offset: 5000 }, { include_next_page: false }, { include_next_page: 'no' }]) {
        const result = await searchOk({ resource_id: IDS.salaires, include_next_page: true, limit: 10, ...params })
        expect(result, JSON.stringify(params)).not.toHaveProperty('next_page')
      }
    })
  })

  describe('messages (point 9)', () => {
    // CKAN 2.11 `list_of_strings_or_string`: "Neither a string nor a list: <item>" (Python's repr).
    it('never says [object Object]', async () => {
      const refusedPost = async (params: Record<string, unknown>) => errorOf(await post({ resource_id: IDS.salaires, ...params }), 409, 'datastore_search')
      expect(await refusedPost({ fields: [{ id: 'bad' }] })).toEqual({ __type: 'Validation Error', fields: ["Neither a string nor a list: {'id': 'bad'}"] })
      expect(await refused({ resource_id: IDS.salaires, fields: '[{"id": "bad"}]' })).toEqual({ __type: 'Validation Error', fields: ["Neither a string nor a list: {'id': 'bad'}"] })
      expect(await refusedPost({ sort: [{ MEDIAN_SALARY: 'desc' }] })).toEqual({ __type: 'Validation Error', sort: ["Neither a string nor a list: {'MEDIAN_SALARY': 'desc'}"] })
      expect(await refusedPost({ fields: [['FAP_CODE']] })).toEqual({ __type: 'Validation Error', fields: ["field \"['FAP_CODE']\" not in table"] })
      const body = JSON.stringify(await refused({ resource_id: IDS.salaires, filters: { MEDIAN_SALARY: [[1], { gte: [2] }] } }))
      expect(body).not.toContain('[object Object]')
      // resource_search: CKAN fails with a server error on a non-text query item; the item is written as JSON here.
      const query = await t.get(actionUrl('resource_search'), { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ query: [{ name: 'x' }] }) })
      expect(errorOf(query, 409, 'resource_search')).toEqual({ __type: 'Validation Error', query: ['Field "{"name"" not recognised in resource_search.'] })
    })

    // CKAN 2.11 `datastore_validate` keeps a `q` key whose value is not a string, and `validate` refuses it: `invalid value "<key>"`.
    it('refuses a q dict whose value is a list', async () => {
      expect(await refused({ resource_id: IDS.salaires, q: { FAP_NAME: ['cadres', 'techniciens'] } })).toEqual({ __type: 'Validation Error', q: ['invalid value "FAP_NAME"'] })
      expect(await refused({ resource_id: IDS.salaires, q: '{"FAP_NAME": {"a": 1}}' })).toEqual({ __type: 'Validation Error', q: ['invalid value "FAP_NAME"'] })
    })

    // CKAN's help_show serves the action's docstring, one `:param name:` line per parameter.
    it('documents the new parameters in help_show', async () => {
      const help = okResult<string>(await t.get(actionUrl('help_show', { name: 'datastore_search' })), 'help_show')
      for (const param of ['total_estimation_threshold', 'include_next_page']) expect(help).toContain(`:param ${param}: `)
      expect(help).toContain('[nulls first|last]')
      expect(help).toMatch(/:param filters: .*"gte".*\$or/)
      const info = okResult<string>(await t.get(actionUrl('help_show', { name: 'datastore_info' })), 'help_show')
      for (const param of ['include_meta', 'include_fields_schema']) expect(info).toContain(`:param ${param}: `)
    })

    // CKAN 2.11 `search_sql`: a function name is checked lower-cased against the allow-list.
    it('datastore_search_sql allows CoUnT(*) as count(*)', async () => {
      const counted = okResult<{ records: unknown[] }>(await t.get(actionUrl('datastore_search_sql', { sql: `SELECT CoUnT(*) FROM "${IDS.series}"` })), 'datastore_search_sql')
      expect(counted.records).toEqual([{ count: 240 }])
    })
  })
})
