import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../../src/domain/offers/offer.schema.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { offerDeposit } from '../support/deposits.js'
import { createTestApp, recordsOf, type TestApp } from '../support/test-app.js'

/** GET /partenaire/offresdemploi/v2/suggestions (issue 14, point 3), through HTTP. */

const BASE = '/partenaire/offresdemploi/v2'
const DEPOT = '/partenaire/depotoffres/v1/offres'

interface Suggestion {
  type: 'appellation' | 'commune' | 'motCle'
  libelle: string
  code?: string
  codeROME?: string
  codeDepartement?: string
  nbOffres: number
}

let t: TestApp
let offers: Offre[]
const suggestions = async (query: string) => {
  const response = await t.get(`${BASE}/suggestions?${query}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ suggestions: Suggestion[] }>().suggestions
}
const total = async (query: string) => {
  const response = await t.get(`${BASE}/offres/search?${query}`)
  return response.statusCode === 204 ? 0 : Number(/\/(\d+)$/.exec(String(response.headers['content-range']))?.[1])
}

beforeAll(async () => {
  t = await createTestApp()
  offers = [...generateOffers(t.referentials, { count: 2000, seed: 'openemploi-demo', now: new Date('2026-12-01T00:00:00Z') })]
  await t.importAndReload(recordsOf(offers))
}, 180_000)
afterAll(() => t.close())

describe('suggestions', () => {
  it('proposes appellations with their ROME code, communes with their département, and keywords, in the wire’s names', async () => {
    const found = await suggestions('q=infirm&limit=50')
    const appellation = found.find((item) => item.type === 'appellation')
    expect(Object.keys(appellation ?? {})).toEqual(['type', 'libelle', 'code', 'codeROME', 'nbOffres'])
    expect(t.referentials.appellations.get(appellation?.code ?? '')?.libelle).toBe(appellation?.libelle)
    expect(found.find((item) => item.type === 'motCle')).toEqual({ type: 'motCle', libelle: 'infirmier', nbOffres: await total('motsCles=infirmier') })
    const [lyon] = await suggestions('q=Lyo&types=commune&limit=1')
    expect(lyon).toEqual({ type: 'commune', libelle: 'LYON', code: '69123', codeDepartement: '69', nbOffres: expect.any(Number) as unknown })
  })

  it('counts what each suggestion’s search finds', async () => {
    const found = await suggestions('q=a&limit=30')
    for (const item of found) {
      const query =
        item.type === 'appellation' ? `appellation=${item.code ?? ''}` : item.type === 'commune' ? `commune=${item.code ?? ''}&distance=0` : `motsCles=${encodeURIComponent(item.libelle)}`
      expect(item.nbOffres, `${item.type} ${item.libelle}`).toBe(await total(query))
    }
    const counts = found.map((item) => item.nbOffres)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })

  it('ignores accents and case, and forgives a typo', async () => {
    expect(await suggestions('q=ÉLECTRI')).toEqual(await suggestions('q=electri'))
    const typo = await suggestions('q=infrimier&types=motCle,appellation')
    expect(typo.map((item) => item.libelle)).toContain('infirmier')
    expect((await suggestions('q=ASH&types=appellation')).map((item) => item.code)).toContain('10698')
  })

  it('answers an empty list when nothing matches', async () => {
    expect(await suggestions('q=zzqxwv')).toEqual([])
  })

  it('follows the offers live', async () => {
    const { credentials } = await t.access.createClient({ name: 'recruteur', ownerEmail: 'r@exemple.fr', kind: 'entreprise', apis: ['depotoffresv1', 'offresdemploiv2'] })
    await t.access.setRateLimit(credentials.client_id, 100_000)
    const token = (await t.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
    const before = (await suggestions('q=marmiton&types=motCle'))[0]?.nbOffres ?? 0
    const created = await t.app.inject({
      method: 'POST',
      url: DEPOT,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(offerDeposit({ intitule: 'Marmiton (H/F)', romeCode: 'G1602' })),
    })
    expect(created.statusCode).toBe(201)
    expect((await suggestions('q=marmiton&types=motCle'))[0]).toEqual({ type: 'motCle', libelle: 'marmiton', nbOffres: before + 1 })
  })

  it('ignores unknown parameters', async () => {
    expect(await suggestions('q=lyon&types=commune&foo=bar')).toEqual(await suggestions('q=lyon&types=commune'))
  })
})

describe('suggestions: bad input', () => {
  it.each([
    ['', 'Le paramètre « q » doit être renseigné.'],
    ['q=', 'Le paramètre « q » doit être renseigné.'],
    [`q=${'a'.repeat(51)}`, 'Format du paramètre « q » incorrect. 50 caractères au maximum.'],
    ['q=lyon&types=ville', 'Valeur du paramètre « types » incorrecte.'],
    ['q=lyon&types=commune,metier', 'Valeur du paramètre « types » incorrecte.'],
    ['q=lyon&limit=dix', 'Format du paramètre « limit » incorrect. Entier attendu.'],
    ['q=lyon&limit=0', 'Valeur du paramètre « limit » incorrecte. Entier de 1 à 50 attendu.'],
    ['q=lyon&limit=51', 'Valeur du paramètre « limit » incorrecte. Entier de 1 à 50 attendu.'],
  ])('%s → 400 %s', async (query, message) => {
    const response = await t.get(`${BASE}/suggestions?${query}`)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ message, codeHttp: 400, codeErreur: expect.stringMatching(/^\d+$/) as unknown })
  })

  it('requires a token, as the search does', async () => {
    const response = await t.app.inject(`${BASE}/suggestions?q=lyon`)
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/)
  })
})

describe('OpenAPI', () => {
  it('documents the endpoint and the search’s new parameters and header', async () => {
    const document = (await t.app.inject('/openapi.json')).json<{
      paths: Record<string, Record<string, { operationId?: string; parameters?: { name: string }[]; security?: unknown; responses: Record<string, { headers?: Record<string, unknown> }> }>>
      components: { schemas: Record<string, unknown> }
    }>()
    const suggest = document.paths[`${BASE}/suggestions`]?.get
    expect(suggest?.operationId).toBe('suggererSaisie')
    expect(suggest?.parameters?.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['q', 'types', 'limit']))
    expect(suggest?.security).toEqual([{ oauth2: ['api_offresdemploiv2', 'o2dsoffre'] }])
    expect(document.components.schemas.Suggestion).toBeDefined()
    const search = document.paths[`${BASE}/offres/search`]?.get
    expect(search?.parameters?.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['rechercheExacte', 'rechercheEtendue']))
    expect(Object.keys(search?.responses['206']?.headers ?? {})).toContain('X-Mots-Cles-Corriges')
    const service = (await t.app.inject('/docs/offresdemploiv2/json')).json<{ paths: Record<string, unknown> }>()
    expect(Object.keys(service.paths)).toContain(`${BASE}/suggestions`)
  })
})
