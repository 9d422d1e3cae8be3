import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { storeError } from '../../src/storage/store-errors.js'
import { offerDeposit } from '../support/deposits.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * The store unreachable (what the storage boundary throws when PostgreSQL drops or refuses its
 * connections): every API answers 503 with Retry-After in its own error shape, never 500.
 */

const ADMIN_TOKEN = 'jeton-admin-des-tests-de-pannes'
const SEARCH = '/partenaire/offresdemploi/v2/offres/search'
const DEPOT = '/partenaire/depotoffres/v1/offres'

/** What a request meets when the server has just ended the node's connection. */
const unreachable = () => storeError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))

let t: TestApp

beforeAll(async () => {
  t = await createTestApp({ adminToken: ADMIN_TOKEN })
  await t.reload()
})
afterAll(() => t.close())
afterEach(() => vi.restoreAllMocks())

describe('the store unreachable', () => {
  it('Offres: 503 {codeHttp, codeErreur, message} with Retry-After', async () => {
    vi.spyOn(t.access, 'verify').mockRejectedValueOnce(unreachable())
    const response = await t.get(`${SEARCH}?range=0-9`)
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.json()).toEqual({ codeHttp: 503, codeErreur: expect.stringMatching(/^\d+$/) as unknown, message: 'Service indisponible' })
  })

  it('deposits: 503 in the deposit API’s shape, nothing written, and the index shows nothing of it', async () => {
    vi.spyOn(t.repository, 'upsert').mockRejectedValueOnce(unreachable())
    const deposit = (intitule: string) =>
      t.get(DEPOT, { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(offerDeposit({ intitule })) })
    const failed = await deposit('Offre dont la transaction échoue (H/F)')
    expect(failed.statusCode).toBe(503)
    expect(failed.headers['retry-after']).toBe('5')
    expect(failed.json()).toEqual({ codeHttp: 503, codeErreur: expect.stringMatching(/^\d+$/) as unknown, message: expect.stringContaining('indisponible') as unknown })
    expect((await t.get(`${SEARCH}?motsCles=transaction`)).statusCode).toBe(204)
    // The same deposit once the store answers again: written, and found.
    expect((await deposit('Offre dont la transaction échoue (H/F)')).statusCode).toBe(201)
    expect((await t.get(`${SEARCH}?motsCles=transaction`)).statusCode).toBe(200)
  })

  it('a bulk deposit cut mid-body: 503 delivered whole, the rest of the body read first, the connection still usable', async () => {
    vi.spyOn(t.repository, 'upsert').mockRejectedValue(unreachable())
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    // More lines than two write batches: the failed write is met while the body is still being read.
    const body = Array.from({ length: 4500 }, (_, i) => JSON.stringify(offerDeposit({ intitule: `Offre en masse ${i} (H/F)` }))).join('\n')
    for (let round = 0; round < 3; round++) {
      const response = await fetch(`${base}${DEPOT}/_bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.client.token}`, 'content-type': 'application/x-ndjson' },
        body,
        signal: AbortSignal.timeout(20_000),
      })
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('5')
      expect(await response.json()).toMatchObject({ codeHttp: 503 })
      expect((await fetch(`${base}/health`, { signal: AbortSignal.timeout(20_000) })).status).toBe(200)
    }
  })

  it('Infotravail: 503 in CKAN’s envelope with Retry-After', async () => {
    t.infotravail.invalidate()
    vi.spyOn(t.datastore, 'packages').mockRejectedValueOnce(unreachable())
    const response = await t.get('/partenaire/infotravail/v1/package_list')
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.json()).toEqual({
      help: expect.stringContaining('/api/3/action/help_show?name=package_list') as unknown,
      success: false,
      error: { __type: 'Service Unavailable', message: expect.stringMatching(/^Service unavailable: /) as unknown },
    })
  })

  it('the token endpoint: 503 temporarily_unavailable (RFC 6749) with Retry-After, not stored', async () => {
    vi.spyOn(t.access, 'issueToken').mockRejectedValueOnce(unreachable())
    const response = await t.app.inject({
      method: 'POST',
      url: '/connexion/oauth2/access_token?realm=%2Fpartenaire',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: t.client.client_id, client_secret: t.client.client_secret }).toString(),
    })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) as unknown })
  })

  it('introspection too: 503 temporarily_unavailable', async () => {
    vi.spyOn(t.access, 'authenticate').mockRejectedValueOnce(unreachable())
    const response = await t.app.inject({
      method: 'POST',
      url: '/connexion/oauth2/introspect',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ client_id: t.client.client_id, client_secret: t.client.client_secret, token: t.client.token }).toString(),
    })
    expect(response.statusCode).toBe(503)
    expect(response.json<{ error: string }>().error).toBe('temporarily_unavailable')
  })

  it('/admin: 503 problem+json with Retry-After', async () => {
    vi.spyOn(t.access, 'applications').mockRejectedValueOnce(unreachable())
    const response = await t.app.inject({ url: '/admin/applications', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toEqual({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: expect.any(String) as unknown })
  })

  it('the portal: its HTML error page, 503 with Retry-After', async () => {
    vi.spyOn(t.access, 'sessionAccount').mockRejectedValueOnce(unreachable())
    const response = await t.app.inject({ url: '/portail/', cookies: { openemploi_session: 'une-session' } })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.headers['content-type']).toMatch(/^text\/html/)
    expect(response.body).toContain('Service momentanément indisponible')
  })

  it('/stats: 503 with Retry-After', async () => {
    vi.spyOn(t.usage, 'apiDaily').mockRejectedValueOnce(unreachable())
    const response = await t.app.inject({ url: '/stats' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.any(String) as unknown })
  })
})
