import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bmoPackage } from '../../src/datasets/packages/bmo.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { BMO_2025_ID, fileOf, IDS, loadSmallPackages, ROME_SMALL } from './fixtures.js'

/** Our answers against what the original answered (test/fixtures/infotravail, verbatim). */

const fixture = (name: string) => readFileSync(new URL(`../fixtures/infotravail/${name}`, import.meta.url), 'utf8')
const verbatim = JSON.parse(fixture('datastore_search_demandeurs_emploi_141a3516.json')) as {
  help: string
  success: boolean
  result: Record<string, unknown> & { _links: Record<string, string>; fields: { id: string; type: string }[] }
}

/** Every key path of a JSON value with the JSON type at it (arrays: their first element's). */
function shape(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return [`${path}: array`, ...(value.length > 0 ? shape(value[0], `${path}[]`) : [])]
  if (value !== null && typeof value === 'object') {
    return [`${path}: object`, ...Object.entries(value).flatMap(([key, item]) => shape(item, `${path}.${key}`))]
  }
  return [`${path}: ${value === null ? 'null' : typeof value}`]
}

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await loadSmallPackages(t, [ROME_SMALL])
})
afterAll(() => t.close())

describe('datastore_search as the original answered it', () => {
  it('has every key of the verbatim response, with the same JSON types, and its _links', async () => {
    const id = IDS.romeFiches
    const response = await t.get(`/partenaire/infotravail/v1/datastore_search?resource_id=${id}&limit=100`)
    expect(response.statusCode).toBe(200)
    const ours = JSON.parse(response.body) as typeof verbatim
    // Record values: the original typed every column text; ours are typed (docs/compatibility.md).
    const structural = (paths: string[]) => paths.filter((path) => !path.startsWith('.result.records[].'))
    const theirs = structural(shape(verbatim))
    const mine = new Set(structural(shape(ours)))
    expect(theirs.filter((path) => !mine.has(path))).toEqual([])
    const pathOf = (url: string) => `${new URL(url).pathname}${new URL(url).search}`
    expect(pathOf(ours.help)).toBe(pathOf(verbatim.help))
    expect(ours.result._links).toEqual({
      start: verbatim.result._links.start?.replace('141a3516-dd5a-49ad-9887-feacf9b64456', id),
      next: expect.stringMatching(new RegExp(`^${(verbatim.result._links.next ?? '').replace('141a3516-dd5a-49ad-9887-feacf9b64456', id).replace(/[?]/g, '\\?')}(&cursor=[A-Za-z0-9_-]+)?$`)) as unknown,
    })
    expect(ours.result.fields[0]?.id).toBe(verbatim.result.fields.find((field) => field.id === '_id')?.id)
    expect(ours.result.total).toBe(fileOf(id).expectedRows)
  })
})

describe('field layouts of the original', () => {
  it('the BMO survey has every column the original’s BMO resource had', () => {
    const header = fixture('bmo_infotravail.sample.csv').split(/\r?\n/)[0]?.replace(/^\uFEFF/, '').split(',') ?? []
    expect(header.length).toBeGreaterThan(10)
    const survey = bmoPackage.resources.find((resource) => resource.id === BMO_2025_ID)
    const ours = survey?.fields.map((field) => field.id) ?? []
    expect(header.filter((column) => !ours.includes(column))).toEqual([])
  })
})
