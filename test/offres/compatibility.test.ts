import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOfferFile } from '../../src/ingest/offer-file.js'
import { REFERENTIAL_NAMES } from '../../src/domain/referentials/referentials.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * The compatibility checklist of the contract (§12), one block per point, through the HTTP layer.
 * Authentication (points 1–3 for the token) comes with the access issue.
 */

const BASE = '/partenaire/offresdemploi/v2'
const REAL = new URL('../fixtures/offres/offres-appellation-404939-178.json', import.meta.url).pathname
const REAL_2 = new URL('../fixtures/offres/offres-exemple-data-engineer-2.json', import.meta.url).pathname

interface Page {
  resultats: Record<string, unknown>[]
  filtresPossibles: { filtre: string; agregation: { valeurPossible: string; nbResultats: number }[] }[]
}

let t: TestApp
const get = (path: string) => t.get(`${BASE}${path}`)

beforeAll(async () => {
  t = await createTestApp()
  await t.importAndReload(readOfferFile(REAL), ['404939'])
  await t.importAndReload(readOfferFile(REAL_2))
})
afterAll(() => t.close())

describe('§12.1 paths', () => {
  it('serves search, detail and the 16 referentials under /partenaire/offresdemploi/v2', async () => {
    expect((await get('/offres/search')).statusCode).toBe(206)
    expect((await get('/offres/184VWCX')).statusCode).toBe(200)
    for (const name of REFERENTIAL_NAMES) expect((await get(`/referentiel/${name}`)).statusCode).toBe(200)
  })

  it('answers 404 in the error format for a path that does not exist', async () => {
    const response = await get('/referentiel/metier')
    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({ codeHttp: 404 })
  })
})

describe('§12.4 search statuses, Content-Range and limits', () => {
  it('answers 206 with the default window 0-149 when more results remain', async () => {
    const response = await get('/offres/search')
    expect(response.statusCode).toBe(206)
    expect(response.headers['content-range']).toBe('offres 0-149/180')
  })

  it('answers 200 when the window reaches the last result, clamping its end', async () => {
    const response = await get('/offres/search?range=100-249')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-range']).toBe('offres 100-179/180')
    expect(response.json<Page>().resultats).toHaveLength(80)
  })

  it('answers 200 for a window ending exactly on the last result, 206 one before', async () => {
    expect((await get('/offres/search?range=179-179')).statusCode).toBe(200)
    expect((await get('/offres/search?range=178-178')).statusCode).toBe(206)
  })

  it('serves range=0-0 as one result', async () => {
    const response = await get('/offres/search?range=0-0')
    expect(response.headers['content-range']).toBe('offres 0-0/180')
    expect(response.json<Page>().resultats).toHaveLength(1)
  })

  it('answers 204 with Content-Range */0 and no body when nothing matches', async () => {
    const response = await get('/offres/search?motsCles=astronaute')
    expect(response.statusCode).toBe(204)
    expect(response.headers['content-range']).toBe('*/0')
    expect(response.body).toBe('')
  })

  it('answers 204 with the total when the window starts after the last result', async () => {
    const response = await get('/offres/search?range=300-449')
    expect(response.statusCode).toBe(204)
    expect(response.headers['content-range']).toBe('*/180')
  })

  it.each([
    ['0-150', 'La plage de résultats demandée est trop importante.'],
    ['10-5000', 'La plage de résultats demandée est trop importante.'],
    ['3001-3010', 'La position de début doit être inférieure ou égale à 3000.'],
    ['3100-3149', 'La position de début doit être inférieure ou égale à 3000.'],
    ['3000-3150', 'La plage de résultats demandée est trop importante.'],
    ['abc', 'Format du paramètre « range » incorrect. <entier>-<entier> attendu.'],
    ['10-5', 'Format du paramètre « range » incorrect. <entier>-<entier> attendu.'],
    ['-1-5', 'Format du paramètre « range » incorrect. <entier>-<entier> attendu.'],
  ])('refuses range=%s with the original message', async (range, message) => {
    const response = await get(`/offres/search?range=${range}`)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ message, codeHttp: 400 })
  })

  it('accepts the deepest window 3000-3149', async () => {
    const response = await get('/offres/search?range=3000-3149')
    expect(response.statusCode).toBe(204)
  })

  it('puts resultats then filtresPossibles, the four filters in order', async () => {
    const response = await get('/offres/search?range=0-1')
    expect(response.body.startsWith('{"resultats":[{')).toBe(true)
    const page = response.json<Page>()
    expect(Object.keys(page)).toEqual(['resultats', 'filtresPossibles'])
    expect(page.filtresPossibles.map((filtre) => filtre.filtre)).toEqual([
      'typeContrat',
      'experience',
      'qualification',
      'natureContrat',
    ])
  })

  it('counts facets over the whole match set, not the window', async () => {
    const page = (await get('/offres/search?range=0-0')).json<Page>()
    for (const filtre of page.filtresPossibles.slice(0, 3)) {
      expect(filtre.agregation.reduce((sum, item) => sum + item.nbResultats, 0)).toBe(180)
    }
  })

  it('sends JSON with the original headers', async () => {
    const response = await get('/offres/search?range=0-0')
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8')
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['accept-range']).toBe('150')
  })
})

describe('served pages', () => {
  it('serves the same page twice identically, and a fresh one once the offers change', async () => {
    const first = await get('/offres/search?range=0-9&sort=1')
    const again = await get('/offres/search?range=0-9&sort=1')
    expect(again.body).toBe(first.body)
    const newest = { ...first.json<Page>().resultats[0], id: '999ZZZZ', dateCreation: '2030-01-01T00:00:00.000Z' }
    await t.importAndReload([{ position: 1, value: newest }])
    const after = await get('/offres/search?range=0-9&sort=1')
    expect(after.headers['content-range']).toBe('offres 0-9/181')
    expect(after.json<Page>().resultats[0]?.id).toBe('999ZZZZ')
    await t.database.db.deleteFrom('offers').where('id', '=', '999ZZZZ').execute()
    await t.reload()
  })
})

describe('§12.5 lenient query parsing', () => {
  const total = async (query: string) => {
    const response = await get(`/offres/search?${query}`)
    return response.statusCode === 204 ? 0 : Number(String(response.headers['content-range']).split('/')[1])
  }

  it('ignores unknown parameters and parameters with the wrong case', async () => {
    expect(await total('MotsCles=zzzz&page=3&size=10&insee=75056')).toBe(180)
  })

  it('treats empty values as absent', async () => {
    expect(await total('typeContrat=&natureContrat=&motsCles=&range=')).toBe(180)
    expect((await get('/offres/search?&range=0-14')).statusCode).toBe(206)
  })

  it('decodes %2C lists and + spaces', async () => {
    expect(await total('typeContrat=CDD%2CMIS')).toBe(await total('typeContrat=CDD,MIS'))
    expect(await total('motsCles=chef+de+laboratoire')).toBe(await total('motsCles=chef%20de%20laboratoire'))
    expect(await total('motsCles=chef+de+laboratoire')).toBeGreaterThan(0)
  })

  it('joins repeated keys into one list', async () => {
    expect(await total('typeContrat=CDD&typeContrat=MIS')).toBe(await total('typeContrat=CDD,MIS'))
    expect(await total('typeContrat=CDD,MIS')).toBe((await total('typeContrat=CDD')) + (await total('typeContrat=MIS')))
  })

  it('reads booleans whatever their case', async () => {
    const expected = await total('tempsPlein=true')
    expect(expected).toBeGreaterThan(0)
    expect(await total('tempsPlein=True')).toBe(expected)
    expect(await total('tempsPlein=TRUE')).toBe(expected)
  })

  it('refuses a malformed boolean with the original message', async () => {
    const response = await get('/offres/search?tempsPlein=oui')
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ message: 'Format du paramètre « tempsPlein » incorrect. Booléen attendu.' })
  })

  it('accepts the headers clients send with GET', async () => {
    const response = await t.get(`${BASE}/offres/search?range=0-0`, {
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': 'abc' },
    })
    expect(response.statusCode).toBe(206)
  })
})

describe('§12.6 detail', () => {
  it('answers 200 with the offer', async () => {
    const response = await get('/offres/184VWCX')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ id: '184VWCX' })
  })

  it('answers 204 with an empty body for a well-formed unknown id', async () => {
    const response = await get('/offres/9999999')
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
  })

  it.each(['12', 'abcdefg', '184VWCXX', '184-WCX'])('answers 400 for the malformed id %s', async (id) => {
    const response = await get(`/offres/${id}`)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ message: "Le format de l'id de l'offre recherchée est incorrect.", codeHttp: 400 })
  })
})

describe('§12.7 referentials', () => {
  it.each(REFERENTIAL_NAMES)('serves %s as an array with Content-Range: <name> */<n>', async (name) => {
    const response = await get(`/referentiel/${name}`)
    const items = response.json<Record<string, unknown>[]>()
    expect(Array.isArray(items)).toBe(true)
    expect(items.length).toBeGreaterThan(0)
    expect(response.headers['content-range']).toBe(`${name} */${items.length}`)
  })
})

describe('§12.8 errors', () => {
  it('renders errors as {message, codeHttp, codeErreur} in that order', async () => {
    const response = await get('/offres/search?typeContrat=XXX')
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json())).toEqual(['message', 'codeHttp', 'codeErreur'])
    expect(response.json()).toMatchObject({ message: 'Valeur du paramètre « typeContrat » incorrecte.', codeHttp: 400 })
    expect(response.json<{ codeErreur: string }>().codeErreur).toMatch(/^\d{13}$/)
  })
})

describe('§12.9 offer JSON', () => {
  it('omits absent fields and keeps the original spellings and types', async () => {
    const offer = (await get('/offres/184VWCX')).json<Record<string, unknown>>()
    expect(offer).toHaveProperty('appellationlibelle')
    expect(offer).not.toHaveProperty('appellationLibelle')
    expect(offer).not.toHaveProperty('contexteTravail')
    expect(Object.values(offer)).not.toContain(null)
    expect(offer.origineOffre).toMatchObject({ origine: '1' })
    expect(offer.natureContrat).toBe('Contrat travail')
    expect(offer.dateCreation).toBe('2024-11-29T12:28:40.940Z')
  })
})
