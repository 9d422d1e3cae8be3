import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { offerDeposit } from '../support/deposits.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** The deposit API, the lifecycle of an offer, the change feed and the snapshot, through HTTP. */

const DEPOT = '/partenaire/depotoffres/v1/offres'
const OFFRES = '/partenaire/offresdemploi/v2'

let t: TestApp
let token: string
let otherToken: string

const json = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, bearer = token) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  })

const get = (url: string, bearer = token) => t.app.inject({ url, headers: { authorization: `Bearer ${bearer}` } })

const bulk = (lines: unknown[], bearer = token) =>
  t.app.inject({
    method: 'POST',
    url: `${DEPOT}/_bulk`,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/x-ndjson' },
    payload: lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'),
  })

async function newDepositor(name: string): Promise<string> {
  const { credentials } = await t.access.createClient({ name, ownerEmail: `${name}@exemple.fr`, kind: 'entreprise', apis: ['depotoffresv1', 'offresdemploiv2'] })
  await t.access.setRateLimit(credentials.client_id, 100_000)
  return (await t.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
}

beforeAll(async () => {
  t = await createTestApp()
  await t.reload()
  token = await newDepositor('recruteur')
  otherToken = await newDepositor('autre')
})
afterAll(() => t.close())

describe('deposit → search → close', () => {
  it('makes a deposited offer searchable at once, enriched like the original’s, and gone at once when closed', async () => {
    const created = await json('POST', DEPOT, offerDeposit())
    expect(created.statusCode).toBe(201)
    const offer = created.json<{ id: string; romeLibelle: string; lieuTravail: Record<string, unknown>; origineOffre: { origine: string } }>()
    expect(offer.id).toMatch(/^\d{3}[A-Z]{4}$/)
    expect(created.headers.location).toBe(`${DEPOT}/${offer.id}`)
    expect(offer.lieuTravail).toMatchObject({ libelle: '33 - BORDEAUX', commune: '33063', codePostal: expect.stringMatching(/^33/) as unknown })
    expect(offer.origineOffre.origine).toBe('1')

    const detail = await get(`${OFFRES}/offres/${offer.id}`)
    expect(detail.statusCode).toBe(200)
    expect(detail.json()).toEqual(offer)
    const search = await get(`${OFFRES}/offres/search?motsCles=infirmier&commune=33063&distance=0`)
    expect(search.json<{ resultats: { id: string }[] }>().resultats.map((item) => item.id)).toContain(offer.id)

    expect((await json('DELETE', `${DEPOT}/${offer.id}?raison=pourvue`)).statusCode).toBe(204)
    expect((await get(`${OFFRES}/offres/${offer.id}`)).statusCode).toBe(204)
    const after = await get(`${OFFRES}/offres/search?motsCles=infirmier&commune=33063&distance=0`)
    expect(after.statusCode === 204 || !after.json<{ resultats: { id: string }[] }>().resultats.some((item) => item.id === offer.id)).toBe(true)
    const own = await get(`${DEPOT}/${offer.id}`)
    expect(own.json()).toMatchObject({ id: offer.id, etat: 'fermee', raisonFermeture: 'pourvue' })
  })

  it('answers the same offer again for the same deposit, without a second offer', async () => {
    const body = offerDeposit({ intitule: 'Aide-soignant de nuit (H/F)', romeCode: 'J1501' })
    const first = await json('POST', DEPOT, body)
    const second = await json('POST', DEPOT, body)
    expect(first.statusCode).toBe(201)
    expect(second.statusCode).toBe(200)
    expect(second.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id)
  })

  it('replaces with PUT (idempotent) and changes fields with PATCH, updating dateActualisation', async () => {
    const { id, dateCreation } = (await json('POST', DEPOT, offerDeposit({ intitule: 'Boulanger (H/F)', romeCode: 'D1102' }))).json<{ id: string; dateCreation: string }>()
    const replaced = await json('PUT', `${DEPOT}/${id}`, offerDeposit({ intitule: 'Boulanger confirmé (H/F)', romeCode: 'D1102' }))
    expect(replaced.statusCode).toBe(200)
    expect(replaced.json()).toMatchObject({ id, intitule: 'Boulanger confirmé (H/F)', dateCreation })
    const again = await json('PUT', `${DEPOT}/${id}`, offerDeposit({ intitule: 'Boulanger confirmé (H/F)', romeCode: 'D1102' }))
    expect(again.json<{ dateActualisation: string }>().dateActualisation).toBe(replaced.json<{ dateActualisation: string }>().dateActualisation)
    const patched = await json('PATCH', `${DEPOT}/${id}`, { lieuTravail: { commune: '69123' } })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ id, intitule: 'Boulanger confirmé (H/F)', lieuTravail: { commune: '69123', libelle: '69 - LYON' } })
    expect((await get(`${OFFRES}/offres/${id}`)).json()).toMatchObject({ lieuTravail: { commune: '69123' } })
  })

  it('keeps a partner’s own reference as the id', async () => {
    const body = offerDeposit({ id: '7012345', origineOffre: { origine: '2', partenaires: [{ nom: 'JOBBOARD' }] } })
    const created = await json('POST', DEPOT, body)
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ id: '7012345', origineOffre: { origine: '2', partenaires: [{ nom: 'JOBBOARD' }] } })
  })

  it('lets a client see and change only its own offers', async () => {
    const { id } = (await json('POST', DEPOT, offerDeposit({ intitule: 'Comptable (H/F)', romeCode: 'M1203' }))).json<{ id: string }>()
    expect((await json('PUT', `${DEPOT}/${id}`, offerDeposit(), otherToken)).statusCode).toBe(404)
    expect((await json('DELETE', `${DEPOT}/${id}?raison=annulee`, undefined, otherToken)).statusCode).toBe(404)
    expect((await get(`${DEPOT}/${id}`, otherToken)).statusCode).toBe(404)
    const mine = (await get(`${DEPOT}?etat=active&limite=1000`)).json<{ offres: { id: string }[] }>()
    expect(mine.offres.map((item) => item.id)).toContain(id)
    const theirs = (await get(`${DEPOT}?etat=active`, otherToken)).json<{ offres: { id: string }[] }>()
    expect(theirs.offres.map((item) => item.id)).not.toContain(id)
  })

  it('needs the deposit scope', async () => {
    const response = await t.app.inject({ method: 'POST', url: DEPOT, headers: { authorization: `Bearer ${t.client.token}`, 'content-type': 'application/json' }, payload: '{}' })
    // The test client holds every API, the deposit one included: its token works; a client without it gets 403.
    expect(response.statusCode).toBe(400)
    const { credentials } = await t.access.createClient({ name: 'lecteur', ownerEmail: 'lecteur@exemple.fr', kind: 'particulier', apis: ['offresdemploiv2'] })
    const reader = (await t.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
    const refused = await json('POST', DEPOT, offerDeposit(), reader)
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toMatchObject({ message: 'Accès refusé : le jeton n’a pas le scope api_depotoffresv1 requis.', codeHttp: 403 })
    expect((await t.app.inject({ method: 'POST', url: DEPOT, payload: offerDeposit() })).statusCode).toBe(401)
  })
})

describe('bad input changes nothing', () => {
  it('lists every field error at once', async () => {
    const before = (await get(`${DEPOT}?etat=active&limite=1000`)).json<{ offres: unknown[] }>().offres.length
    const response = await json('POST', DEPOT, {
      description: 'Trop court ? Non, assez long pour passer.',
      romeCode: 'Z9999',
      typeContrat: 'CDI',
      experienceExige: 'D',
      lieuTravail: { commune: '99999' },
      champInconnu: 1,
    })
    expect(response.statusCode).toBe(400)
    const body = response.json<{ message: string; codeHttp: number; erreurs: { champ: string; message: string }[] }>()
    expect(body.codeHttp).toBe(400)
    const fields = body.erreurs.map((item) => item.champ)
    expect(fields).toEqual(expect.arrayContaining(['/intitule', '/romeCode', '/lieuTravail/commune', '/champInconnu']))
    expect((await get(`${DEPOT}?etat=active&limite=1000`)).json<{ offres: unknown[] }>().offres).toHaveLength(before)
  })

  it.each([
    ['not JSON', '{"intitule":', 400],
    ['an array', '[]', 400],
    ['null', 'null', 400],
  ])('refuses %s', async (_case, payload, status) => {
    const response = await t.app.inject({ method: 'POST', url: DEPOT, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload })
    expect(response.statusCode).toBe(status)
    expect(response.json()).toHaveProperty('message')
  })

  it('refuses a bad close reason and an unknown offer', async () => {
    const { id } = (await json('POST', DEPOT, offerDeposit({ intitule: 'Serveur (H/F)', romeCode: 'G1803' }))).json<{ id: string }>()
    const bad = await json('DELETE', `${DEPOT}/${id}?raison=parce-que`)
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ message: 'Valeur du paramètre « raison » incorrecte : pourvue ou annulee attendu.' })
    expect((await get(`${OFFRES}/offres/${id}`)).statusCode).toBe(200)
    expect((await json('DELETE', `${DEPOT}/999ZZZZ?raison=pourvue`)).statusCode).toBe(404)
  })
})

describe('bulk deposit', () => {
  it('reports each line, keeps the good ones, and changes nothing when the same file is sent again', async () => {
    const lines = [
      offerDeposit({ intitule: 'Électricien (H/F)', romeCode: 'F1602' }),
      'pas du json',
      offerDeposit({ intitule: 'Maçon (H/F)', romeCode: 'F1703', lieuTravail: { commune: '31555' } }),
      offerDeposit({ romeCode: 'Z0000' }),
    ]
    const first = await bulk(lines)
    expect(first.statusCode).toBe(200)
    const report = first.json<{ created: number; rejected: number; unchanged: number; rapport: { ligne: number; resultat: string; id?: string }[] }>()
    expect(report).toMatchObject({ created: 2, rejected: 2, unchanged: 0 })
    expect(report.rapport.map((line) => [line.ligne, line.resultat])).toEqual([
      [1, 'created'],
      [2, 'rejected'],
      [3, 'created'],
      [4, 'rejected'],
    ])
    const again = (await bulk(lines)).json<{ created: number; updated: number; unchanged: number; rapport: { id?: string }[] }>()
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 })
    expect(again.rapport.map((line) => line.id)).toEqual(report.rapport.map((line) => line.id))
    for (const line of report.rapport.filter((item) => item.resultat === 'created')) {
      expect((await get(`${OFFRES}/offres/${line.id ?? ''}`)).statusCode).toBe(200)
    }
  })

  it('rejects a line naming an id no offer can have (a NUL byte, 600 characters) as unknown, and keeps the others', async () => {
    const odd = ['\u0000', '1'.repeat(600)]
    const response = await bulk([offerDeposit({ intitule: 'Plombier (H/F)', romeCode: 'F1603' }), ...odd.map((id) => ({ ...offerDeposit(), id }))])
    expect(response.statusCode).toBe(200)
    const report = response.json<{ rapport: { ligne: number; resultat: string; id?: string; erreurs?: { champ: string; message: string }[] }[] }>()
    expect(report.rapport.map((line) => [line.ligne, line.resultat])).toEqual([
      [1, 'created'],
      [2, 'rejected'],
      [3, 'rejected'],
    ])
    expect(report.rapport.slice(1).map((line) => line.erreurs)).toEqual(odd.map((id) => [{ champ: '/id', message: `Offre inconnue : ${id}` }]))
  })

  it('needs NDJSON', async () => {
    const response = await json('POST', `${DEPOT}/_bulk`, [offerDeposit()])
    expect(response.statusCode).toBe(415)
  })
})

interface FeedPage {
  curseur: string
  changements: { seq: number; type: 'offre' | 'fermeture'; id: string; offre?: { id: string }; raison?: string; codes?: Record<string, string> }[]
}

describe('feed and snapshot', () => {
  it('pages through the changes with tombstones, and snapshot + feed is an exact copy of the active offers', async () => {
    // A snapshot, then changes after it.
    const snapshot = await get(`${OFFRES}/offres/instantane`)
    expect(snapshot.statusCode).toBe(200)
    expect(snapshot.headers['content-type']).toMatch(/^application\/x-ndjson/)
    const cursor = String(snapshot.headers['x-curseur'])
    const copy = new Map<string, unknown>()
    for (const line of snapshot.body.split('\n').filter((item) => item !== '')) {
      const offer = JSON.parse(line) as { id: string }
      copy.set(offer.id, offer)
    }
    const a = (await json('POST', DEPOT, offerDeposit({ intitule: 'Jardinier (H/F)', romeCode: 'A1203' }))).json<{ id: string }>().id
    const b = (await json('POST', DEPOT, offerDeposit({ intitule: 'Paysagiste (H/F)', romeCode: 'A1203' }))).json<{ id: string }>().id
    await json('PATCH', `${DEPOT}/${a}`, { intitule: 'Jardinier paysagiste (H/F)' })
    await json('DELETE', `${DEPOT}/${b}?raison=annulee`)

    let next = cursor
    const seen: FeedPage['changements'] = []
    for (let page = 0; page < 20; page++) {
      const response = await get(`${OFFRES}/offres/flux?curseur=${next}&limite=1`)
      expect(response.statusCode).toBe(200)
      const body = response.json<FeedPage>()
      if (body.curseur === next) break
      seen.push(...body.changements)
      next = body.curseur
    }
    const seqs = seen.map((entry) => entry.seq)
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
    const tombstone = seen.find((entry) => entry.id === b && entry.type === 'fermeture')
    expect(tombstone).toMatchObject({ raison: 'annulee', codes: { romeCode: 'A1203', commune: '33063', typeContrat: 'CDI' } })
    // The superseded creation of `a` is left out: its latest state follows.
    expect(seen.filter((entry) => entry.id === a)).toHaveLength(1)

    for (const entry of seen) {
      if (entry.type === 'offre') copy.set(entry.id, entry.offre)
      else copy.delete(entry.id)
    }
    const store = new Map((await t.repository.activeAfter('', 100_000)).map((offer) => [offer.id, JSON.parse(offer.json.toString()) as unknown]))
    expect(copy).toEqual(store)
  })

  it('refuses a malformed cursor or limit', async () => {
    expect((await get(`${OFFRES}/offres/flux?curseur=abc`)).statusCode).toBe(400)
    expect((await get(`${OFFRES}/offres/flux?limite=5000`)).statusCode).toBe(400)
  })
})

describe('ids of direct deposits', () => {
  it('never lets two different offers of a client share an id, even when their digests collide', async () => {
    // Drawn ids have 457 million values: a collision is rare but certain at scale. Force one by
    // storing, under the id a deposit would draw first, another offer of the same client.
    const body = offerDeposit({ intitule: 'Chauffeur livreur (H/F)', romeCode: 'N4105' })
    const first = (await json('POST', DEPOT, body)).json<{ id: string }>()
    await json('PATCH', `${DEPOT}/${first.id}`, { intitule: 'Chauffeur livreur poids lourd (H/F)' })
    // The same deposit again now differs from what that id holds: it is a new offer, not an update of the patched one.
    const again = await json('POST', DEPOT, body)
    expect(again.statusCode).toBe(201)
    const second = again.json<{ id: string; intitule: string }>()
    expect(second.id).not.toBe(first.id)
    expect(second.intitule).toBe('Chauffeur livreur (H/F)')
    expect((await get(`${OFFRES}/offres/${first.id}`)).json()).toMatchObject({ intitule: 'Chauffeur livreur poids lourd (H/F)' })
  })
})

describe('feed retention', () => {
  it('forgets superseded changes and tombstones past the retention, keeps every active offer, and answers 410 to older cursors', async () => {
    const { id: kept } = (await json('POST', DEPOT, offerDeposit({ intitule: 'Opticien (H/F)', romeCode: 'J1405' }))).json<{ id: string }>()
    const before = Number((await get(`${OFFRES}/offres/instantane`)).headers['x-curseur'])
    const { id: closed } = (await json('POST', DEPOT, offerDeposit({ intitule: 'Vendeur en optique (H/F)', romeCode: 'D1211' }))).json<{ id: string }>()
    await json('DELETE', `${DEPOT}/${closed}?raison=annulee`)
    await json('PATCH', `${DEPOT}/${kept}`, { intitule: 'Opticien lunetier (H/F)' })

    // Everything written so far is older than a retention ending now.
    expect(await t.repository.pruneChanges(new Date(Date.now() + 1000))).toBeGreaterThan(0)

    const expired = await get(`${OFFRES}/offres/flux?curseur=${before}`)
    expect(expired.statusCode).toBe(410)
    expect(expired.json<{ message: string }>().message).toContain('repartir d’un instantané')
    const streamed = await t.app.inject({ url: `${OFFRES}/offres/flux?curseur=${before}`, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } })
    expect(streamed.statusCode).toBe(410)

    // From the start, the feed still rebuilds every active offer, and no closed one.
    const copy = new Map<string, unknown>()
    let cursor = '0'
    for (let page = 0; page < 1000; page++) {
      const body = (await get(`${OFFRES}/offres/flux?curseur=${cursor}&limite=1000`)).json<FeedPage>()
      for (const entry of body.changements) {
        if (entry.type === 'offre') copy.set(entry.id, entry.offre)
        else copy.delete(entry.id)
      }
      if (body.curseur === cursor) break
      cursor = body.curseur
    }
    const store = new Map((await t.repository.activeAfter('', 100_000)).map((offer) => [offer.id, JSON.parse(offer.json.toString()) as unknown]))
    expect(copy).toEqual(store)
    expect(copy.has(closed)).toBe(false)
    expect(copy.get(kept)).toMatchObject({ intitule: 'Opticien lunetier (H/F)' })
  })
})

describe('expiry', () => {
  it('expires offers not updated in time: they leave search and detail, and the feed says why', async () => {
    const { id } = (await json('POST', DEPOT, offerDeposit({ intitule: 'Plombier (H/F)', romeCode: 'F1603' }))).json<{ id: string }>()
    const cursor = Number((await get(`${OFFRES}/offres/instantane`)).headers['x-curseur'])
    expect(await t.repository.expireNotUpdatedSince(new Date(Date.now() + 1000), 100_000)).toBeGreaterThan(0)
    await t.catchUp()
    expect((await get(`${OFFRES}/offres/${id}`)).statusCode).toBe(204)
    const feed = (await get(`${OFFRES}/offres/flux?curseur=${cursor}&limite=1000`)).json<FeedPage>()
    expect(feed.changements.find((entry) => entry.id === id)).toMatchObject({ type: 'fermeture', raison: 'expiree' })
    expect((await get(`${DEPOT}/${id}`)).json()).toMatchObject({ etat: 'fermee', raisonFermeture: 'expiree' })
  })
})
