import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CKAN_ACTION_NAMES } from '../../src/domain/datastore/ckan-actions.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { BASE, JSON_TYPE, loadSmallPackages } from './fixtures.js'

/**
 * The Infotravail API's reference (issue 12, point 12): one operation per CKAN action, GET and
 * POST, with its real parameters, CKAN's envelope and errors; the actions documented are those the
 * server answers, on each of its three prefixes.
 */

interface Parameter {
  name: string
  in: string
  required?: boolean
  description?: string
  schema: { type?: string; default?: unknown; maximum?: number; minimum?: number; enum?: unknown[] }
}
interface Operation {
  operationId: string
  summary?: string
  tags?: string[]
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: { required?: string[]; properties: Record<string, { type?: string; anyOf?: unknown[] }> } }> }
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string; properties?: Record<string, unknown> } }> }>
  security?: Record<string, string[]>[]
}

let t: TestApp
let paths: Record<string, Record<string, Operation>>
beforeAll(async () => {
  t = await createTestApp()
  await loadSmallPackages(t)
  paths = (await t.app.inject('/openapi.json')).json<{ paths: typeof paths }>().paths
})
afterAll(() => t.close())

const operation = (action: string, method: 'get' | 'post') => {
  const found = paths[`${BASE}/${action}`]?.[method]
  if (!found) throw new Error(`${method} ${action} is not documented`)
  return found
}

describe('the Infotravail reference', () => {
  it('documents every action the server implements, GET and POST, and no /{action} route', () => {
    const documented = Object.keys(paths)
      .filter((path) => path.startsWith(`${BASE}/`) && !path.includes('/datastore/dump/'))
      .map((path) => path.slice(BASE.length + 1))
    expect(documented.sort()).toEqual([...CKAN_ACTION_NAMES].sort())
    expect(Object.keys(paths).filter((path) => path.includes('{action}'))).toEqual([])
    for (const action of CKAN_ACTION_NAMES) {
      expect(operation(action, 'get').operationId).toBe(action)
      expect(operation(action, 'post').operationId).toBe(`${action}_post`)
      for (const method of ['get', 'post'] as const) {
        const documentedOperation = operation(action, method)
        expect(documentedOperation.summary, action).toMatch(new RegExp(`^${action} — .+`))
        expect(documentedOperation.security).toEqual([{ oauth2: ['api_infotravailv1'] }])
        expect(Object.keys(documentedOperation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '409']))
        expect(documentedOperation.responses['409']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/CkanErreur')
      }
    }
  })

  it('answers every documented action on each of its three prefixes, by GET and by POST', async () => {
    for (const action of CKAN_ACTION_NAMES) {
      for (const prefix of [BASE, '/api/3/action', '/api/action']) {
        for (const method of ['GET', 'POST'] as const) {
          const response = await t.get(`${prefix}/${action}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, payload: '{}' } : {}) })
          // Without parameters, an action either answers or names what is missing: never "not known".
          expect([200, 409], `${method} ${prefix}/${action}: ${response.body}`).toContain(response.statusCode)
          expect(response.headers['content-type']).toBe(JSON_TYPE)
          expect(response.json<{ help: string }>().help).toBe(`http://localhost:80/api/3/action/help_show?name=${action}`)
        }
      }
    }
    // A name written with an escaped character is still the action.
    expect((await t.get(`${BASE}/package%5Flist`)).statusCode).toBe(200)
  })

  it('gives datastore_search its parameters with their types, defaults, bounds and the required one', () => {
    const parameters = new Map(operation('datastore_search', 'get').parameters?.map((parameter) => [parameter.name, parameter]))
    expect([...parameters.keys()]).toEqual(
      expect.arrayContaining(['resource_id', 'id', 'filters', 'q', 'plain', 'language', 'distinct', 'fields', 'sort', 'limit', 'offset', 'cursor', 'include_total', 'records_format']),
    )
    expect(parameters.get('resource_id')).toMatchObject({ in: 'query', required: true, schema: { type: 'string' } })
    expect(parameters.get('limit')).toMatchObject({ required: false, schema: { type: 'integer', default: 100, minimum: 0, maximum: 32000 } })
    expect(parameters.get('records_format')?.schema).toMatchObject({ type: 'string', default: 'objects', enum: ['objects', 'lists', 'csv', 'tsv'] })
    expect(parameters.get('plain')?.schema).toMatchObject({ type: 'boolean', default: true })
    expect(parameters.get('language')?.schema).toMatchObject({ default: 'french' })
    // Objects travel as JSON text in a query string, as JSON values in a body.
    expect(parameters.get('filters')?.schema.type).toBe('string')
    expect(parameters.get('filters')?.description).toContain('JSON')
    const body = operation('datastore_search', 'post').requestBody?.content['application/json']?.schema
    expect(body?.required).toEqual(['resource_id'])
    // A filter object, or a list of them (CKAN master's filters: any of them).
    expect(body?.properties.filters?.anyOf?.map((schema) => (schema as { type?: string }).type)).toEqual(['object', 'array'])
    expect(body?.properties.fields?.anyOf).toHaveLength(2)
  })

  it('documents the envelope of each result and the catalogue’s dicts', () => {
    const result = (action: string) =>
      (operation(action, 'get').responses['200']?.content?.['application/json']?.schema.properties as Record<string, { $ref?: string }> | undefined)
    expect(Object.keys(result('package_show') ?? {})).toEqual(['help', 'success', 'result'])
    expect(result('package_show')?.result?.$ref).toBe('#/components/schemas/CkanJeuDeDonnees')
    expect(result('resource_show')?.result?.$ref).toBe('#/components/schemas/CkanRessource')
    expect(operation('package_show', 'get').parameters).toEqual([expect.objectContaining({ name: 'id', required: true })])
    expect(operation('status_show', 'get').parameters ?? []).toEqual([])
    expect(Object.keys(operation('datastore_search_sql', 'get').responses)).not.toContain('404')
  })

  it('serves each action’s docstring from the same definitions', async () => {
    for (const action of CKAN_ACTION_NAMES) {
      const help = (await t.get(`${BASE}/help_show?name=${action}`)).json<{ result: string }>().result
      const documented = operation(action, 'get').parameters?.map((parameter) => parameter.name) ?? []
      const described = [...help.matchAll(/^:param ([^:]+):/gm)].map((match) => match[1])
      expect(described, action).toEqual(documented)
    }
    const help = (await t.get(`${BASE}/help_show?name=datastore_search`)).json<{ result: string }>().result
    expect(help).toContain(':param limit: default 100, max 32000')
  })
})
