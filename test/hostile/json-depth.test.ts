import { Readable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JsonTooDeepError, MAX_JSON_DEPTH, jsonDepthExceeds, parseClientJson } from '../../src/shared/json-depth.js'
import { readNdjson } from '../../src/ingest/offer-file.js'
import { offerDeposit } from '../support/deposits.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { BASE, IDS, ROME_SMALL, loadSmallPackages } from '../infotravail/fixtures.js'

/** Issue 11, point 4: JSON nested thousands of levels deep is a 400 in each API's shape, never a 500. */

const DEPOT = '/partenaire/depotoffres/v1/offres'
const TOKEN = '/connexion/oauth2/access_token'
const ADMIN_TOKEN = 'admin-secret-json-depth'

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
const deepObject = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth)
const DEEP = 5000

describe('the depth scan', () => {
  it('counts brackets outside strings only, escapes included', () => {
    expect(jsonDepthExceeds(deepArray(64))).toBe(false)
    expect(jsonDepthExceeds(deepArray(65))).toBe(true)
    expect(jsonDepthExceeds(JSON.stringify({ text: '['.repeat(1000) }))).toBe(false)
    expect(jsonDepthExceeds(JSON.stringify({ text: `\\"${'{'.repeat(1000)}` }))).toBe(false)
    expect(jsonDepthExceeds(`["\\"", ${deepArray(70)}]`)).toBe(true)
    expect(jsonDepthExceeds(deepArray(3), 2)).toBe(true)
  })

  it('agrees with the depth of the parsed value, strings full of quotes, backslashes and brackets included', () => {
    const depthOf = (value: unknown): number =>
      typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0
    const text = fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a', 'é') })
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, fc.integer(), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(text, tie('node'), { maxKeys: 3 })),
    })).node
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 6 }), (json, max) => {
        expect(jsonDepthExceeds(JSON.stringify(json), max)).toBe(depthOf(json) > max)
      }),
      { seed: 11, numRuns: 2000 },
    )
    expect(jsonDepthExceeds('["\\\\", [[]]]', 2)).toBe(true)
    expect(jsonDepthExceeds('["\\\\\\"[[[", []]', 2)).toBe(false)
  })

  it('refuses before parsing, without recursion, whatever the depth', () => {
    expect(() => parseClientJson(deepArray(1_000_000))).toThrow(JsonTooDeepError)
    expect(parseClientJson(deepObject(MAX_JSON_DEPTH))).toBeTypeOf('object')
    expect(() => parseClientJson('{')).toThrow(SyntaxError)
  })

  it('rejects a deep NDJSON line, not the lines around it', async () => {
    const lines = [JSON.stringify({ a: 1 }), deepArray(DEEP), JSON.stringify({ b: 2 })]
    const records = []
    for await (const record of readNdjson(Readable.from([Buffer.from(lines.join('\n'))]))) records.push(record)
    expect(records).toEqual([
      { position: 1, value: { a: 1 } },
      { position: 2, error: `not valid JSON (JSON nested deeper than ${MAX_JSON_DEPTH} levels)` },
      { position: 3, value: { b: 2 } },
    ])
  })
})

describe('every JSON body over HTTP', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ adminToken: ADMIN_TOKEN })
    await t.reload()
    await loadSmallPackages(t, [{ ...ROME_SMALL, resources: ROME_SMALL.resources.filter((resource) => resource.id === IDS.grandsDomaines) }])
  })
  afterAll(() => t.close())

  const post = (url: string, payload: string, type = 'application/json', method: 'POST' | 'PATCH' | 'PUT' = 'POST') =>
    t.get(url, { method, headers: { 'content-type': type }, payload })

  function expectErreur(response: { statusCode: number; json: () => unknown }, status: number) {
    expect(response.statusCode).toBe(status)
    const body = response.json() as Record<string, unknown>
    expect(Object.keys(body)).toEqual(['message', 'codeHttp', 'codeErreur'])
    expect(body.message).toBeTypeOf('string')
    expect(body.codeHttp).toBe(status)
    expect(body.codeErreur).toMatch(/^\d+$/)
  }

  it('a deposit: 400 in the deposit API’s shape', async () => {
    const response = await post(DEPOT, deepObject(DEEP))
    expectErreur(response, 400)
    expect(response.json<{ message: string }>().message).toBe(`Corps de requête incorrect : JSON imbriqué sur plus de ${MAX_JSON_DEPTH} niveaux.`)
    expectErreur(await post(`${DEPOT}/ABC1234`, deepArray(DEEP), 'application/json', 'PUT'), 400)
  })

  it('a merge patch: 400 in the deposit API’s shape', async () => {
    const created = await post(DEPOT, JSON.stringify(offerDeposit()))
    expect(created.statusCode).toBe(201)
    const { id } = created.json<{ id: string }>()
    expectErreur(await post(`${DEPOT}/${id}`, deepObject(DEEP), 'application/merge-patch+json', 'PATCH'), 400)
  })

  it('a bulk: only the deep line is rejected', async () => {
    const payload = [JSON.stringify(offerDeposit({ intitule: 'Boulanger (H/F)' })), deepObject(DEEP), JSON.stringify(offerDeposit({ intitule: 'Serveur (H/F)' }))].join('\n')
    const response = await post(`${DEPOT}/_bulk`, payload, 'application/x-ndjson')
    expect(response.statusCode).toBe(200)
    const report = response.json<{ lignes: number; created: number; rejected: number; rapport: { ligne?: number; resultat: string }[] }>()
    expect(report).toMatchObject({ lignes: 3, created: 2, rejected: 1 })
    expect(report.rapport.map((line) => line.resultat)).toEqual(['created', 'rejected', 'created'])
  })

  it('datastore_search POST: CKAN’s 400 for a body it cannot read', async () => {
    const response = await post(`${BASE}/datastore_search`, `{"resource_id":"${IDS.grandsDomaines}","filters":${deepObject(DEEP)}}`)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toBe(`Bad request: JSON Error: JSON nested deeper than ${MAX_JSON_DEPTH} levels`)
  })

  it('datastore_search with deep JSON in a parameter: CKAN’s validation error on that parameter', async () => {
    for (const name of ['filters', 'q', 'sort', 'fields']) {
      const value = name === 'q' ? deepObject(DEEP, '"x"') : deepArray(DEEP)
      const response = await t.get(`${BASE}/datastore_search?resource_id=${IDS.grandsDomaines}&${name}=${encodeURIComponent(value)}`)
      expect(response.statusCode, name).toBeLessThan(500)
      expect(response.json<{ success: boolean }>().success).toBe(false)
    }
    const response = await t.get(`${BASE}/datastore_search?resource_id=${IDS.grandsDomaines}&filters=${encodeURIComponent(deepObject(DEEP))}`)
    expect(response.statusCode).toBe(409)
    expect(response.json<{ error: unknown }>().error).toEqual({ __type: 'Validation Error', filters: [`Could not parse as valid JSON: JSON nested deeper than ${MAX_JSON_DEPTH} levels`] })
  })

  it('a deep keyset cursor: CKAN’s invalid cursor', async () => {
    const cursor = Buffer.from(deepArray(DEEP)).toString('base64url')
    const response = await t.get(`${BASE}/datastore_search?resource_id=${IDS.grandsDomaines}&cursor=${cursor}`)
    expect(response.statusCode).toBe(409)
  })

  it('the token endpoint, before any authentication: RFC 6749 invalid_request', async () => {
    for (const payload of [deepArray(DEEP), deepObject(DEEP)]) {
      const response = await t.app.inject({ method: 'POST', url: TOKEN, headers: { 'content-type': 'application/json' }, payload })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({ error: 'invalid_request', error_description: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` })
    }
  })

  it('malformed JSON on the token endpoint is RFC 6749 too (was a 500 failing to serialise)', async () => {
    const response = await t.app.inject({ method: 'POST', url: TOKEN, headers: { 'content-type': 'application/json' }, payload: '{"client_id":' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'Request body is not valid JSON' })
  })

  it('the admin API: problem+json', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/admin/applications',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: deepObject(DEEP),
    })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toMatchObject({ type: 'about:blank', status: 400 })
  })

  it('the portal: its HTML page', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/portail/connexion', headers: { 'content-type': 'application/json' }, payload: deepObject(DEEP) })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^text\/html/)
  })

  it('JSON at the depth limit is still read', async () => {
    const response = await post(`${BASE}/datastore_search`, JSON.stringify({ resource_id: IDS.grandsDomaines, limit: 1 }))
    expect(response.statusCode).toBe(200)
    // The offer itself opens 2 levels: 64 in all.
    const atLimit = await post(DEPOT, deepObject(MAX_JSON_DEPTH - 2, JSON.stringify(offerDeposit())))
    expect(atLimit.statusCode).toBe(400)
    expect(atLimit.json<{ erreurs?: unknown[] }>().erreurs).toBeDefined()
  })
})
