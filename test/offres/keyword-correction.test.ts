import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../../src/domain/offers/offer.schema.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { offerDeposit } from '../support/deposits.js'
import { createTestApp, recordsOf, type TestApp } from '../support/test-app.js'

/**
 * Keywords that forgive (issue 14, points 1 and 2), through HTTP: a word no offer holds is
 * corrected and the correction said in `X-Mots-Cles-Corriges`; `rechercheExacte=true` reads
 * keywords as typed; `rechercheEtendue=true` adds the offers of the appellations a keyword names
 * and of near spellings, after the exact matches.
 */

const BASE = '/partenaire/offresdemploi/v2'
const DEPOT = '/partenaire/depotoffres/v1/offres'
const HEADER = 'x-mots-cles-corriges'

interface Page {
  resultats: Offre[]
}

let t: TestApp
let offers: Offre[]
const search = (query: string) => t.get(`${BASE}/offres/search?${query}`)
const total = async (query: string) => {
  const response = await search(query)
  if (response.statusCode === 204) return 0
  return Number(/\/(\d+)$/.exec(String(response.headers['content-range']))?.[1])
}

beforeAll(async () => {
  t = await createTestApp()
  // The first offers of the demo corpus (its seed), as `serve` loads them on an empty store.
  offers = [...generateOffers(t.referentials, { count: 3000, seed: 'openemploi-demo', now: new Date('2026-12-01T00:00:00Z') })]
  await t.importAndReload(recordsOf(offers))
}, 180_000)
afterAll(() => t.close())

describe('typo correction', () => {
  it.each([
    ['infirmeir', 'infirmier', 'infirmier'],
    ['devloppeur', 'développeur', 'développeur'],
    ['electricein', 'électricien', 'électricien'],
    ['comptabel', 'comptable', 'comptable'],
  ])('finds for %s what %s finds, and says so in X-Mots-Cles-Corriges', async (typed, correct, shown) => {
    const expected = await total(`motsCles=${encodeURIComponent(correct)}`)
    expect(expected).toBeGreaterThan(0)
    const response = await search(`motsCles=${typed}&range=0-9`)
    expect(response.statusCode).toBe(expected > 10 ? 206 : 200)
    expect(response.headers['content-range']).toBe(`offres 0-${Math.min(9, expected - 1)}/${expected}`)
    expect(response.headers[HEADER]).toBe(encodeURIComponent(`${typed}→${shown}`))
    expect(decodeURIComponent(String(response.headers[HEADER]))).toBe(`${typed}→${shown}`)
    const asCorrect = await search(`motsCles=${encodeURIComponent(correct)}&range=0-9`)
    expect(response.json<Page>().resultats.map((offer) => offer.id)).toEqual(asCorrect.json<Page>().resultats.map((offer) => offer.id))
  })

  it('lists every correction, comma-separated, and corrects only the words that match nothing', async () => {
    const response = await search('motsCles=infirmeir,bloc,operatoier')
    expect(response.headers[HEADER]).toBe(`${encodeURIComponent('infirmeir→infirmier')},${encodeURIComponent('operatoier→opératoire')}`)
    expect(await total('motsCles=infirmeir,bloc,operatoier')).toBe(await total('motsCles=infirmier,bloc,opératoire'))
  })

  it('leaves a search whose words all match exactly as it was: no header', async () => {
    const response = await search('motsCles=infirmier')
    expect(response.headers[HEADER]).toBeUndefined()
    expect(response.headers['content-range']).toBe((await search('motsCles=infirmier&rechercheExacte=true')).headers['content-range'])
  })

  it('reads keywords as typed with rechercheExacte=true, even after the corrected search was cached', async () => {
    await search('motsCles=comptabel')
    const exact = await search('motsCles=comptabel&rechercheExacte=true')
    expect(exact.statusCode).toBe(204)
    expect(exact.headers['content-range']).toBe('*/0')
    expect(exact.headers[HEADER]).toBeUndefined()
    // And the other way round: the corrected search is not the cached exact one.
    const again = await search('motsCles=comptabel')
    expect(again.headers['content-range']).toBe((await search('motsCles=comptable')).headers['content-range'])
    expect(again.headers[HEADER]).toBe(encodeURIComponent('comptabel→comptable'))
  })

  it('says the correction on a 204 too, when the corrected search finds nothing with the other criteria', async () => {
    expect(await total('motsCles=infirmier&departement=2A&typeContrat=SAI')).toBe(0)
    const response = await search('motsCles=infirmeir&departement=2A&typeContrat=SAI')
    expect(response.statusCode).toBe(204)
    expect(response.headers[HEADER]).toBe(encodeURIComponent('infirmeir→infirmier'))
  })

  it('leaves a word alone when nothing is near enough', async () => {
    const response = await search('motsCles=zzqxw')
    expect(response.statusCode).toBe(204)
    expect(response.headers[HEADER]).toBeUndefined()
  })

  it.each(['rechercheExacte', 'rechercheEtendue'])('refuses %s when it is not a boolean, with the original’s message', async (name) => {
    const response = await search(`motsCles=infirmier&${name}=oui`)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ message: `Format du paramètre « ${name} » incorrect. Booléen attendu.`, codeHttp: 400 })
  })
})

describe('the dictionary follows the offers', () => {
  let token: string
  beforeAll(async () => {
    const { credentials } = await t.access.createClient({
      name: 'recruteur',
      ownerEmail: 'recruteur@exemple.fr',
      kind: 'entreprise',
      apis: ['depotoffresv1', 'offresdemploiv2'],
    })
    await t.access.setRateLimit(credentials.client_id, 100_000)
    token = (await t.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
  })
  const deposit = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: DEPOT, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
  const close = (id: string) => t.app.inject({ method: 'DELETE', url: `${DEPOT}/${id}?raison=pourvue`, headers: { authorization: `Bearer ${token}` } })

  it('takes a word that appears as exact, and corrects it again once its offers are gone', async () => {
    expect(await total('motsCles=xylographe&rechercheExacte=true')).toBe(0)
    const created = await deposit(offerDeposit({ intitule: 'Xylographe (H/F)', romeCode: 'B1101' }))
    expect(created.statusCode).toBe(201)
    const { id } = created.json<{ id: string }>()
    const exact = await search('motsCles=xylographe')
    expect(exact.headers['content-range']).toBe('offres 0-0/1')
    expect(exact.headers[HEADER]).toBeUndefined()
    const typo = await search('motsCles=xylografe')
    expect(decodeURIComponent(String(typo.headers[HEADER]))).toMatch(/^xylografe→xylograph/)
    expect(typo.headers['content-range']).toBe('offres 0-0/1')
    expect((await close(id)).statusCode).toBe(204)
    expect((await search('motsCles=xylographe&rechercheExacte=true')).statusCode).toBe(204)
    // No served offer holds it any more: it is no longer a correction, and is itself corrected if anything is near.
    expect((await search('motsCles=xylografe')).headers[HEADER]).toBeUndefined()
    const gone = await search('motsCles=xylographe')
    expect(decodeURIComponent(String(gone.headers[HEADER] ?? ''))).not.toMatch(/→xylograph/)
  })
})

describe('rechercheEtendue', () => {
  beforeAll(async () => {
    // Offers classified under "Agent / Agente de service hospitalier (ASH)" by the producer, whose texts never say ASH.
    const untitled = offers.slice(0, 3).map((offer, i) => ({
      ...offer,
      id: `${900 + i}ASHX`.slice(0, 7),
      intitule: 'Agent d’entretien en établissement de santé (H/F)',
      appellationlibelle: 'Agent / Agente d’entretien',
    }))
    await t.importAndReload(recordsOf(untitled), ['10698'])
  })

  it('finds with an abbreviation the offers of the appellation it names, after the offers holding it', async () => {
    const plain = await total('motsCles=ASH')
    const named = ['900ASHX', '901ASHX', '902ASHX']
    const response = await search('motsCles=ASH&rechercheEtendue=true')
    const ids = response.json<Page>().resultats.map((offer) => offer.id)
    const extended = Number(/\/(\d+)$/.exec(String(response.headers['content-range']))?.[1])
    expect(extended).toBeGreaterThan(plain)
    for (const id of named) expect(ids).toContain(id)
    // The offers holding "ASH" (in their title, appellation or ROME label) come first.
    const holding = response.json<Page>().resultats.map((offer) => /\bASH\b/i.test(`${offer.intitule} ${offer.appellationlibelle ?? ''} ${offer.romeLibelle ?? ''}`))
    expect(holding.indexOf(false)).toBe(plain)
    expect(holding.slice(plain).every((value) => !value)).toBe(true)
  })

  it('corrects every keyword, and keeps exact matches first', async () => {
    const response = await search('motsCles=infirmeir&rechercheEtendue=true')
    expect(response.headers[HEADER]).toBe(encodeURIComponent('infirmeir→infirmier'))
    expect(await total('motsCles=infirmeir&rechercheEtendue=true')).toBeGreaterThanOrEqual(await total('motsCles=infirmier'))
    const exactFirst = await search('motsCles=comptable&rechercheEtendue=true&range=0-149')
    const holding = exactFirst.json<Page>().resultats.map((offer) => /comptab/i.test(JSON.stringify(offer)))
    const plain = await total('motsCles=comptable')
    expect(holding.slice(0, Math.min(plain, 150)).every(Boolean)).toBe(true)
  })

  it('keeps the original’s totals without it', async () => {
    expect(await total('motsCles=ASH')).toBe(await total('motsCles=ASH&rechercheExacte=true'))
    expect(await total('motsCles=ASH&rechercheEtendue=false')).toBe(await total('motsCles=ASH'))
  })
})
