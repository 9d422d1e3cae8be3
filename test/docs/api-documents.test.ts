import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docsLinks } from '../../src/http/docs/links.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * /docs: one reference document per API (issue 12, point 12), each importable on its own, named
 * after the service, linking back to the portal, with OAuth2's client credentials as the security
 * scheme of its operations, and no empty section.
 */

interface Operation {
  operationId?: string
  summary?: string
  tags?: string[]
  security?: Record<string, string[]>[]
}
interface Document {
  openapi: string
  info: { title: string; description?: string }
  tags?: { name: string }[]
  paths: Record<string, Record<string, Operation>>
  components: {
    schemas?: Record<string, unknown>
    securitySchemes?: Record<string, { type: string; flows?: { clientCredentials?: { tokenUrl: string; scopes: Record<string, string> } } }>
  }
}

let t: TestApp
let bare: TestApp
beforeAll(async () => {
  ;[t, bare] = await Promise.all([createTestApp({ adminToken: 'a'.repeat(40) }), createTestApp()])
})
afterAll(async () => {
  await Promise.all([t.close(), bare.close()])
})

async function documentAt(app: TestApp, url: string): Promise<Document> {
  const response = await app.app.inject(url)
  expect(response.statusCode, url).toBe(200)
  expect(response.headers['content-type'], url).toBe('application/json; charset=utf-8')
  return response.json<Document>()
}

const operations = (document: Document) => Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })))

/** What every document must be: sections with operations, summaries, references that resolve. */
function expectWellFormed(document: Document, label: string): void {
  expect(document.openapi, label).toMatch(/^3\./)
  expect(document.info.title, label).toMatch(/^OpenEmploi — /)
  const all = operations(document)
  expect(all.length, label).toBeGreaterThan(0)
  for (const { path, method, operation } of all) {
    expect(operation.summary?.trim(), `${label}: ${method} ${path}`).toBeTruthy()
    expect(operation.tags?.length, `${label}: ${method} ${path}`).toBeGreaterThan(0)
  }
  expect(Object.keys(document.paths).filter((path) => path.includes('{action}')), label).toEqual([])
  const tags = (document.tags ?? []).map((tag) => tag.name)
  for (const tag of tags) expect(all.some(({ operation }) => operation.tags?.includes(tag)), `${label}: tag ${tag}`).toBe(true)
  for (const { operation } of all) for (const tag of operation.tags ?? []) expect(tags, label).toContain(tag)
  const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1] ?? '')
  for (const ref of refs) expect(document.components.schemas?.[ref], `${label}: $ref ${ref}`).toBeDefined()
  const schemes = document.components.securitySchemes ?? {}
  for (const { path, method, operation } of all) {
    for (const requirement of operation.security ?? []) {
      for (const [scheme, scopes] of Object.entries(requirement)) {
        expect(schemes[scheme], `${label}: ${method} ${path} names ${scheme}`).toBeDefined()
        for (const scope of scopes) expect(Object.keys(schemes[scheme]?.flows?.clientCredentials?.scopes ?? {}), `${label}: ${scope}`).toContain(scope)
      }
    }
  }
}

describe('the reference’s documents', () => {
  it('serves one document per API of the catalogue, and one for OAuth2 and the service', async () => {
    for (const api of t.access.catalogue.apis) {
      const document = await documentAt(t, `/docs/${api.id}/json`)
      expectWellFormed(document, api.id)
      expect(document.info.title).toBe(`OpenEmploi — API ${api.titre} ${api.version}`)
      // Its own paths, and the token endpoint; no other API's.
      for (const path of Object.keys(document.paths)) {
        expect(path === '/connexion/oauth2/access_token' || path.startsWith(`${api.cheminBase}/`), `${api.id}: ${path}`).toBe(true)
      }
      // A way back to the portal: the API's page and the portal's home.
      expect(document.info.description).toContain(`(/portail/apis/${api.id})`)
      expect(document.info.description).toContain('(/portail)')
      // OAuth2 client credentials with the realm, offering this API's scopes, on every operation of the API.
      const oauth2 = document.components.securitySchemes?.oauth2
      expect(oauth2?.type).toBe('oauth2')
      expect(oauth2?.flows?.clientCredentials?.tokenUrl).toBe('/connexion/oauth2/access_token?realm=/partenaire')
      expect(Object.keys(oauth2?.flows?.clientCredentials?.scopes ?? {})).toEqual(api.scopes)
      for (const { path, method, operation } of operations(document)) {
        if (path.startsWith(api.cheminBase)) expect(operation.security, `${api.id}: ${method} ${path}`).toEqual([{ oauth2: api.scopes }])
      }
      expect(document.paths['/connexion/oauth2/access_token']?.post?.operationId).toBe('accessToken')
    }
    const service = await documentAt(t, '/docs/service/json')
    expectWellFormed(service, 'service')
    expect(Object.keys(service.paths)).toEqual(expect.arrayContaining(['/connexion/oauth2/access_token', '/health', '/stats', '/catalogue', '/admin/applications']))
    expect(service.paths['/admin/applications']?.get?.security).toEqual([{ jetonAdministrateur: [] }])
  })

  it('keeps the whole document at /openapi.json, without empty sections', async () => {
    expectWellFormed(await documentAt(t, '/openapi.json'), 'whole')
    // Without ADMIN_TOKEN there is no administration: neither its section nor an empty one.
    const whole = await documentAt(bare, '/openapi.json')
    expectWellFormed(whole, 'whole without admin')
    expect((whole.tags ?? []).map((tag) => tag.name)).not.toContain('Administration')
    const service = await documentAt(bare, '/docs/service/json')
    expectWellFormed(service, 'service without admin')
    expect(service.components.securitySchemes?.jetonAdministrateur).toBeUndefined()
  })

  it('lists the documents in the reference’s top bar, where each API page’s link selects its own', async () => {
    const page = await t.app.inject('/docs/')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<title>OpenEmploi — Documentation des API</title>')
    const initializer = (await t.app.inject('/docs/static/swagger-initializer.js')).body
    const urls = JSON.parse(/"urls":(\[[^\]]*\])/.exec(initializer)?.[1] ?? '[]') as { name: string; url: string }[]
    expect(urls.map((url) => url.url)).toEqual([...t.access.catalogue.apis.map((api) => `/docs/${api.id}/json`), '/docs/service/json', '/openapi.json'])
    for (const api of t.access.catalogue.apis) {
      const name = decodeURIComponent(docsLinks(api).reference.split('urls.primaryName=')[1] ?? '')
      expect(urls.find((url) => url.name === name)?.url, api.id).toBe(`/docs/${api.id}/json`)
    }
    // The top bar links back to the portal.
    const script = await t.app.inject('/docs/static/theme/portail.js')
    expect(script.statusCode).toBe(200)
    expect(script.body).toContain("link.href = '/portail'")
    expect(page.body).toContain('/theme/portail.js')
  })

  it('answers 404 for a document it does not have', async () => {
    expect((await t.app.inject('/docs/inconnue/json')).statusCode).toBe(404)
  })
})
