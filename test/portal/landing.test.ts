import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** `GET /`: what this service is and where to go, for people (HTML) and for machines (JSON). Issue 12, point 5. */

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const LINKS = ['/portail', '/docs', '/catalogue', '/stats', '/health']

describe('the landing page', () => {
  it('answers a browser with a French HTML page linking the portal, the docs, the catalogue, the stats and health', async () => {
    const response = await t.app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers.vary).toBe('Accept')
    expect(response.headers['content-security-policy']).toContain("default-src 'none'")
    expect(response.body).toContain('<html lang="fr">')
    expect(response.body).toContain('<h1>OpenEmploi</h1>')
    for (const link of LINKS) expect(response.body).toContain(`href="${link}"`)
  })

  it('answers a client without preference with the page too', async () => {
    const response = await t.app.inject({ url: '/' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
  })

  it('answers a JSON client with an index of the same links', async () => {
    const response = await t.app.inject({ url: '/', headers: { accept: 'application/json' } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.headers.vary).toBe('Accept')
    expect(response.json()).toEqual({
      service: 'OpenEmploi',
      description: 'Mise en œuvre libre et auto-hébergeable des API Offres d’emploi v2 et Infotravail v1 : seule l’URL de base change.',
      liens: {
        portail: '/portail',
        documentation: '/docs',
        openapi: '/openapi.json',
        catalogue: '/catalogue',
        statistiques: '/stats',
        sante: '/health',
        jeton: '/connexion/oauth2/access_token?realm=%2Fpartenaire',
      },
    })
  })
})
