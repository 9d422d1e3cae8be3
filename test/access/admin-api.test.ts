import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** The administration API: the same services as the CLI, behind ADMIN_TOKEN. */

const ADMIN_TOKEN = 'a'.repeat(40)
let t: TestApp

beforeAll(async () => {
  t = await createTestApp({ adminToken: ADMIN_TOKEN })
})
afterAll(() => t.close())

const admin = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token = ADMIN_TOKEN) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) })

describe('/admin', () => {
  it('refuses calls without the administration token, and with a client token', async () => {
    for (const token of ['', 'b'.repeat(40), t.client.token]) {
      const response = await admin('GET', '/admin/applications', undefined, token)
      expect(response.statusCode).toBe(401)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(response.json()).toMatchObject({ status: 401, title: 'Unauthorized' })
    }
  })

  it('creates an application whose credentials get a token, lists it, limits, rotates and revokes it', async () => {
    const created = await admin('POST', '/admin/applications', {
      name: 'Portail régional',
      ownerEmail: 'dsi@region.fr',
      kind: 'collectivite',
      apis: ['offresdemploiv2', 'infotravailv1'],
    })
    expect(created.statusCode).toBe(201)
    const { client_id: clientId, client_secret: secret, application } = created.json<{
      client_id: string
      client_secret: string
      application: { subscriptions: { api: string; status: string; acceptedBy: string; termsVersion: string }[] }
    }>()
    expect(clientId).toMatch(/^PAR_portailregional_[0-9a-f]{64}$/)
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    expect(application.subscriptions).toMatchObject([
      { api: 'infotravailv1', status: 'granted', acceptedBy: 'operator', termsVersion: '1.0' },
      { api: 'offresdemploiv2', status: 'granted', acceptedBy: 'operator', termsVersion: '1.0' },
    ])
    const issued = await t.access.issueToken(clientId, secret, 'api_offresdemploiv2 o2dsoffre api_infotravailv1')
    expect(issued.scope).toBe('api_offresdemploiv2 o2dsoffre api_infotravailv1')

    const listed = (await admin('GET', '/admin/applications')).json<{ applications: { clientId: string; secretHash?: string }[] }>()
    const entry = listed.applications.find((item) => item.clientId === clientId)
    expect(entry).toBeDefined()
    expect(JSON.stringify(listed)).not.toContain('scrypt')

    const limited = await admin('PUT', `/admin/applications/${clientId}/limits`, { perSecond: 25 })
    expect(limited.json()).toMatchObject({ ratePerSecond: 25 })
    expect((await admin('PUT', `/admin/applications/${clientId}/limits`, { perSecond: 0 })).statusCode).toBe(400)
    expect((await admin('PUT', `/admin/applications/${clientId}/limits`, { perSecond: null })).json()).toMatchObject({ ratePerSecond: null })

    const rotated = await admin('POST', `/admin/applications/${clientId}/rotate`)
    expect(rotated.json<{ client_secret: string }>().client_secret).not.toBe(secret)

    const revoked = await admin('POST', `/admin/applications/${clientId}/revoke`)
    expect(revoked.json()).toMatchObject({ status: 'revoked' })
  })

  it('answers clear errors and changes nothing on bad input', async () => {
    const before = (await admin('GET', '/admin/applications')).json<{ applications: unknown[] }>().applications.length
    const bad = await admin('POST', '/admin/applications', { name: 'X', ownerEmail: 'x@exemple.fr', kind: 'association', apis: ['offresdemploiv2'] })
    expect(bad.statusCode).toBe(400)
    const unknownApi = await admin('POST', '/admin/applications', { name: 'X', ownerEmail: 'x@exemple.fr', kind: 'entreprise', apis: ['inconnue'] })
    expect(unknownApi.statusCode).toBe(400)
    expect(unknownApi.json<{ detail: string }>().detail).toContain('API inconnue : inconnue')
    expect((await admin('GET', '/admin/applications')).json<{ applications: unknown[] }>().applications).toHaveLength(before)
    expect((await admin('POST', '/admin/applications/PAR_x_00/revoke')).statusCode).toBe(404)
  })
})
