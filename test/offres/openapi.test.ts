import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFERENTIAL_NAMES } from '../../src/domain/referentials/referentials.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

interface OpenApi {
  openapi: string
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string
        parameters?: { name: string; in: string }[]
        responses: Record<string, unknown>
        security?: Record<string, string[]>[]
      }
    >
  >
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>
    securitySchemes?: Record<string, { type: string; flows?: { clientCredentials?: { tokenUrl: string } } }>
  }
}

describe('OpenAPI and the reference page', () => {
  it('describes every route from the route schemas', async () => {
    const response = await t.app.inject('/openapi.json')
    expect(response.statusCode).toBe(200)
    const document = response.json<OpenApi>()
    expect(document.openapi).toMatch(/^3\./)
    const base = '/partenaire/offresdemploi/v2'
    expect(document.paths[`${base}/offres/search`]?.get?.operationId).toBe('recupererListeOffre')
    expect(document.paths[`${base}/offres/{id}`]?.get?.operationId).toBe('recupererOffre')
    for (const name of REFERENTIAL_NAMES) expect(document.paths[`${base}/referentiel/${name}`]?.get).toBeDefined()
    const search = document.paths[`${base}/offres/search`]?.get
    expect(Object.keys(search?.responses ?? {})).toEqual(expect.arrayContaining(['200', '204', '206', '400']))
    const parameters = search?.parameters?.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name)
    expect(parameters).toEqual(
      expect.arrayContaining(['range', 'motsCles', 'commune', 'distance', 'latitude', 'longitude', 'curseur', 'typeContrat', 'codeROME']),
    )
    for (const status of ['200', '206']) {
      const headers = (search?.responses[status] as { headers?: Record<string, unknown> } | undefined)?.headers
      expect(Object.keys(headers ?? {}), status).toEqual(expect.arrayContaining(['Content-Range', 'X-Curseur-Suivant']))
    }
  })

  it('declares the OAuth2 client credentials flow and the scopes of every Offres route', async () => {
    const document = (await t.app.inject('/openapi.json')).json<OpenApi>()
    expect(document.components.securitySchemes?.oauth2?.flows?.clientCredentials?.tokenUrl).toBe(
      '/connexion/oauth2/access_token?realm=/partenaire',
    )
    const base = '/partenaire/offresdemploi/v2'
    for (const path of [`${base}/offres/search`, `${base}/offres/{id}`, ...REFERENTIAL_NAMES.map((name) => `${base}/referentiel/${name}`)]) {
      expect(document.paths[path]?.get?.security, path).toEqual([{ oauth2: ['api_offresdemploiv2', 'o2dsoffre'] }])
    }
    expect(document.paths['/connexion/oauth2/access_token']?.post?.operationId).toBe('accessToken')
    expect(document.paths['/health']?.get?.security).toBeUndefined()
  })

  it('publishes the Offre schema with every field of the original', async () => {
    const document = (await t.app.inject('/openapi.json')).json<OpenApi>()
    const offre = document.components.schemas.Offre
    expect(Object.keys(offre?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'intitule', 'lieuTravail', 'appellationlibelle', 'origineOffre', 'entrepriseAdaptee', 'contexteTravail']),
    )
  })

  it('serves the interactive reference at /docs with its assets, from the package', async () => {
    const page = await t.app.inject('/docs/')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('swagger-ui')
    const asset = await t.app.inject('/docs/static/swagger-ui-bundle.js')
    expect(asset.statusCode).toBe(200)
    expect(asset.body.length).toBeGreaterThan(100_000)
    const initializer = await t.app.inject('/docs/static/swagger-initializer.js')
    expect(initializer.body).toContain('json')
  })
})
