import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CellValue } from '../../src/datasets/definition.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { actionUrl, AGENCES, definitionRows, errorOf, IDS, loadSmallPackages, okResult, STATS_SMALL, type SearchResult } from './fixtures.js'

/**
 * Paging through a whole resource: `_links.next` (keyset cursor) and offset paging give every row
 * once, in the order of the sort, nulls and ties included.
 */

type Row = Record<string, CellValue>

let t: TestApp
let secteurs: Row[]
let series: Row[]

beforeAll(async () => {
  t = await createTestApp()
  await loadSmallPackages(t, [STATS_SMALL, AGENCES])
  ;[secteurs, series] = await Promise.all([definitionRows(IDS.secteurs), definitionRows(IDS.series)])
})
afterAll(() => t.close())

const searchOk = async (url: string) => okResult<SearchResult>(await t.get(url), 'datastore_search')

/** Follows `_links.next` from a first request until a page comes back empty; every page's rows. */
async function followNext(params: Record<string, unknown>): Promise<{ rows: Record<string, unknown>[]; pages: SearchResult[] }> {
  const pages: SearchResult[] = []
  let page = await searchOk(actionUrl('datastore_search', params))
  for (;;) {
    pages.push(page)
    if (page.records.length === 0) break
    expect(pages.length, 'too many pages').toBeLessThan(1000)
    // The link is served as it is (the API answers /api/action/<action> too).
    page = await searchOk(page._links.next)
  }
  return { rows: pages.flatMap((item) => item.records), pages }
}

/** Offset paging (what the original’s clients did) until a short page. */
async function byOffset(params: Record<string, unknown>, limit: number): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = []
  for (let offset = 0; ; offset += limit) {
    const page = await searchOk(actionUrl('datastore_search', { ...params, limit, offset }))
    rows.push(...page.records)
    if (page.records.length < limit) return rows
  }
}

/** PostgreSQL's order of a sort: nulls last ascending, first descending; then `_id` ascending. */
function ordered(rows: readonly Row[], field: string, desc: boolean): Row[] {
  return [...rows].sort((a, b) => {
    const x = a[field] ?? null
    const y = b[field] ?? null
    if (x === y) return Number(a._id) - Number(b._id)
    if (x === null) return desc ? -1 : 1
    if (y === null) return desc ? 1 : -1
    const compared = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1
    return desc ? -compared : compared
  })
}

describe('paging with _links.next', () => {
  it('default sort: every row exactly once, in _id order, each page carrying a cursor', async () => {
    const { rows, pages } = await followNext({ resource_id: IDS.secteurs, limit: 1000 })
    expect(rows).toEqual(secteurs)
    // Full pages, the short last one, then the empty page that ends the walk.
    expect(secteurs.length % 1000).not.toBe(0)
    expect(pages.map((page) => page.records.length)).toEqual([...Array.from({ length: Math.floor(secteurs.length / 1000) }, () => 1000), secteurs.length % 1000, 0])
    for (const page of pages.slice(1)) {
      expect(page.total).toBe(secteurs.length)
      expect(new URL(page._links.start, 'http://x').searchParams.get('cursor')).toBeNull()
    }
    for (const page of pages.slice(0, -2)) expect(new URL(page._links.next, 'http://x').searchParams.get('cursor')).toMatch(/^[\w-]+$/)
  })

  it('a sort on a non-unique text column, descending, with nulls: every row once, nulls first, ties by _id', async () => {
    const nulls = secteurs.filter((row) => row.CATCHMENT_AREA_CODE === null).length
    expect(nulls).toBeGreaterThan(0)
    const expected = ordered(secteurs, 'CATCHMENT_AREA_CODE', true)
    // 700 does not divide the null run nor the ties: pages end inside both.
    const { rows } = await followNext({ resource_id: IDS.secteurs, sort: 'CATCHMENT_AREA_CODE desc', limit: 700 })
    expect(rows).toEqual(expected)
    expect(rows.slice(0, nulls).every((row) => row.CATCHMENT_AREA_CODE === null)).toBe(true)
    expect(new Set(rows.map((row) => row._id)).size).toBe(secteurs.length)
  })

  it('the same ascending (nulls last), and with the sort column left out of the fields returned', async () => {
    const expected = ordered(secteurs, 'CATCHMENT_AREA_CODE', false)
    const { rows } = await followNext({ resource_id: IDS.secteurs, sort: 'CATCHMENT_AREA_CODE asc', limit: 999, fields: '_id,NB_JOB_SEEKERS' })
    expect(rows).toEqual(expected.map((row) => ({ _id: row._id, NB_JOB_SEEKERS: row.NB_JOB_SEEKERS })))
  })

  it('the default sort with _id left out of the fields returned', async () => {
    const { rows } = await followNext({ resource_id: IDS.secteurs, fields: 'NB_JOB_SEEKERS', limit: 2000 })
    expect(rows).toEqual(secteurs.map((row) => ({ NB_JOB_SEEKERS: row.NB_JOB_SEEKERS })))
  })

  it('an integer column with ties and a null, on small pages, with a filter', async () => {
    expect(series.some((row) => row.NB_OFFER_DOM_TOTAL === null)).toBe(true)
    const { rows } = await followNext({ resource_id: IDS.series, sort: 'NB_OFFER_DOM_TOTAL desc', limit: 7 })
    expect(rows).toEqual(ordered(series, 'NB_OFFER_DOM_TOTAL', true))
    const filtered = series.filter((row) => [4000, 4100, 4200].includes(Number(row.NB_OFFER_DOM_TOTAL)))
    expect(filtered.length).toBeGreaterThan(3)
    const some = await followNext({ resource_id: IDS.series, filters: { NB_OFFER_DOM_TOTAL: [4000, 4100, 4200] }, sort: 'NB_OFFER_DOM_TOTAL asc, MONTH desc', limit: 2 })
    expect(some.rows).toEqual(
      [...filtered].sort((a, b) => Number(a.NB_OFFER_DOM_TOTAL) - Number(b.NB_OFFER_DOM_TOTAL) || String(b.MONTH).localeCompare(String(a.MONTH))),
    )
  })

  it('a date column descending, and a text column of a wider table: the same rows as one unpaged request', async () => {
    const dates = await followNext({ resource_id: IDS.series, sort: 'MONTH desc', limit: 50 })
    expect(dates.rows).toEqual([...series].reverse())
    for (const sort of ['ADDRESS_COMPLEMENT asc', 'ADDRESS_COMPLEMENT desc', 'CITY_NAME desc, POSTCODE asc']) {
      const whole = await searchOk(actionUrl('datastore_search', { resource_id: IDS.agences, sort, limit: 32000 }))
      expect(whole.records).toHaveLength(whole.total ?? -1)
      const { rows } = await followNext({ resource_id: IDS.agences, sort, limit: 100 })
      expect(rows, sort).toEqual(whole.records)
    }
  })
})

describe('cursors belong to their sort', () => {
  const cursorOf = (result: SearchResult) => new URL(result._links.next, 'http://x').searchParams.get('cursor') ?? ''
  const INVALID = { __type: 'Validation Error', cursor: ['Invalid cursor: use the one of _links.next with the same sort'] }

  it('refuses a cursor with another sort (409), whether its length matches or not', async () => {
    const byCode = await searchOk(actionUrl('datastore_search', { resource_id: IDS.secteurs, sort: 'CATCHMENT_AREA_CODE desc', limit: 10 }))
    const byDefault = await searchOk(actionUrl('datastore_search', { resource_id: IDS.secteurs, limit: 10 }))
    const cases: [Record<string, unknown>, string][] = [
      // Same length as the cursor's own sort (one column + _id), another column or direction.
      [{ sort: 'CATCHMENT_AREA_CODE asc' }, cursorOf(byCode)],
      [{ sort: 'ACTIVITY_SECTION_NAME desc' }, cursorOf(byCode)],
      [{ sort: 'NB_JOB_SEEKERS desc' }, cursorOf(byCode)],
      // Another length.
      [{}, cursorOf(byCode)],
      [{ sort: 'CATCHMENT_AREA_CODE desc' }, cursorOf(byDefault)],
      [{ sort: '_id desc' }, cursorOf(byDefault)],
    ]
    for (const [params, cursor] of cases) {
      expect(cursor).not.toBe('')
      expect(errorOf(await t.get(actionUrl('datastore_search', { resource_id: IDS.secteurs, ...params, cursor })), 409, 'datastore_search'), JSON.stringify(params)).toEqual(INVALID)
    }
    // With its own sort, it works.
    const next = await searchOk(actionUrl('datastore_search', { resource_id: IDS.secteurs, sort: 'CATCHMENT_AREA_CODE desc', limit: 10, cursor: cursorOf(byCode) }))
    expect(next.records).toHaveLength(10)
  })

  it('refuses a forged cursor, and a cursor where rows have no position (distinct, rank order)', async () => {
    for (const cursor of ['nope', Buffer.from('[1]').toString('base64url'), Buffer.from(JSON.stringify({ sort: '_id asc', after: ['x'] })).toString('base64url')]) {
      expect(errorOf(await t.get(actionUrl('datastore_search', { resource_id: IDS.secteurs, cursor })), 409, 'datastore_search'), cursor).toEqual(INVALID)
    }
    const first = await searchOk(actionUrl('datastore_search', { resource_id: IDS.secteurs, limit: 10 }))
    const needsSort = { __type: 'Validation Error', cursor: ['A cursor needs a sort on columns (not on rank) and distinct false'] }
    expect(errorOf(await t.get(actionUrl('datastore_search', { resource_id: IDS.secteurs, distinct: 'true', fields: 'ACTIVITY_SECTION_NAME', cursor: cursorOf(first) })), 409, 'datastore_search')).toEqual(needsSort)
    expect(errorOf(await t.get(actionUrl('datastore_search', { resource_id: IDS.secteurs, q: 'construction', cursor: cursorOf(first) })), 409, 'datastore_search')).toEqual(needsSort)
  })

  it('pages a rank-ordered search by offset (no cursor in its links)', async () => {
    const params = { resource_id: IDS.secteurs, q: 'construction', limit: 100 }
    const first = await searchOk(actionUrl('datastore_search', params))
    expect(first.total).toBeGreaterThan(100)
    expect(new URL(first._links.next, 'http://x').searchParams.get('cursor')).toBeNull()
    const { rows } = await followNext(params)
    expect(rows).toHaveLength(first.total ?? -1)
    expect(new Set(rows.map((row) => row._id)).size).toBe(first.total)
  })
})

describe('offset paging', () => {
  it('gives the same rows as cursor paging, for the default sort and a sort with ties and nulls', async () => {
    for (const sort of [undefined, 'CATCHMENT_AREA_CODE desc', 'ACTIVITY_SECTION_NAME asc, NB_JOB_SEEKERS desc']) {
      const params = { resource_id: IDS.secteurs, ...(sort ? { sort } : {}) }
      const cursorRows = (await followNext({ ...params, limit: 1500 })).rows
      expect(cursorRows).toHaveLength(secteurs.length)
      expect(await byOffset(params, 1500), sort).toEqual(cursorRows)
    }
  })
})
