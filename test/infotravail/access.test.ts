import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOfferFile } from '../../src/ingest/offer-file.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { actionUrl, BASE, closeOffer, depositOffer, DEPOT, IDS, loadSmallPackages, OFFRES, okResult, resourceOf, STATS_SMALL, type SearchResult } from './fixtures.js'

/**
 * Who may read Infotravail (a token with api_infotravailv1, or anyone with INFOTRAVAIL_PUBLIC),
 * and the offres package's views, which follow the offers store as it changes.
 */

const ROUTES = [
  `${BASE}/package_list`,
  `${BASE}/datastore_search?resource_id=${IDS.series}`,
  `${BASE}/datastore_search_sql?sql=${encodeURIComponent(`SELECT 1 FROM "${IDS.series}"`)}`,
  `/api/3/action/package_show?id=statistiques`,
  `/api/action/status_show`,
  `${BASE}/datastore/dump/${IDS.series}`,
  `/datastore/dump/${IDS.series}`,
]

async function tokenFor(t: TestApp, apis: string[]): Promise<string> {
  const { credentials } = await t.access.createClient({ name: `Client ${apis.join(' ')}`, ownerEmail: `c-${Math.random().toString(36).slice(2)}@exemple.fr`, kind: 'entreprise', apis })
  await t.access.setRateLimit(credentials.client_id, 100_000)
  return (await t.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
}

const FIXTURE = new URL('../fixtures/offres/offres-appellation-404939-178.json', import.meta.url)

/** The default (protected) service, with the 178 real offers of the fixture imported. */
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.reload()
  await loadSmallPackages(t, [STATS_SMALL, OFFRES])
  const report = await t.importAndReload(readOfferFile(FIXTURE.pathname), ['404939'])
  expect(report).toMatchObject({ read: 178, created: 178, rejected: 0 })
})
afterAll(() => t.close())

describe('a token with api_infotravailv1 is needed (by default)', () => {
  let offresOnly: string
  let infotravail: string
  beforeAll(async () => {
    offresOnly = await tokenFor(t, ['offresdemploiv2'])
    infotravail = await tokenFor(t, ['infotravailv1'])
  })

  it.each(ROUTES)('%s', async (url) => {
    for (const method of url.includes('/dump/') ? (['GET'] as const) : (['GET', 'POST'] as const)) {
      const missing = await t.app.inject({ method, url })
      expect(missing.statusCode, `${method} without a token`).toBe(401)
      expect(missing.body).toBe('')
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="/partenaire"')

      const bad = await t.app.inject({ method, url, headers: { authorization: 'Bearer pas-un-jeton' } })
      expect(bad.statusCode).toBe(401)
      expect(bad.body).toBe('')
      expect(bad.headers['www-authenticate']).toMatch(/^Bearer realm="\/partenaire", error="invalid_token"/)

      const wrongScope = await t.app.inject({ method, url, headers: { authorization: `Bearer ${offresOnly}` } })
      expect(wrongScope.statusCode, `${method} without the scope`).toBe(403)
      // CKAN's envelope, saying which scope the token lacks.
      expect(wrongScope.json()).toMatchObject({
        success: false,
        error: { __type: 'Authorization Error', message: 'Access denied: the token lacks the scope api_infotravailv1' },
      })
      expect(wrongScope.headers['www-authenticate']).toBe('Bearer realm="/partenaire", error="insufficient_scope", scope="api_infotravailv1"')

      const allowed = await t.app.inject({ method, url, headers: { authorization: `Bearer ${infotravail}` } })
      expect(allowed.statusCode, `${method} with the scope: ${allowed.body}`).toBe(200)
    }
  })

  it('refuses a token whose scopes leave out api_infotravailv1, even for a client that may have it', async () => {
    const { credentials } = await t.access.createClient({ name: 'Deux API', ownerEmail: 'deux@exemple.fr', kind: 'entreprise', apis: ['offresdemploiv2', 'infotravailv1'] })
    const narrow = await t.access.issueToken(credentials.client_id, credentials.client_secret, 'api_offresdemploiv2 o2dsoffre')
    const refused = await t.app.inject({ url: ROUTES[0] ?? '', headers: { authorization: `Bearer ${narrow.access_token}` } })
    expect(refused.statusCode).toBe(403)
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="/partenaire", error="insufficient_scope", scope="api_infotravailv1"')
    const wide = await t.access.issueToken(credentials.client_id, credentials.client_secret, 'api_infotravailv1')
    expect((await t.app.inject({ url: ROUTES[0] ?? '', headers: { authorization: `Bearer ${wide.access_token}` } })).statusCode).toBe(200)
  })

  it('does not protect what does not exist with a 404 before the token check: an unknown action still needs a token', async () => {
    expect((await t.app.inject({ url: `${BASE}/foo` })).statusCode).toBe(401)
    expect((await t.app.inject({ url: `${BASE}/foo`, headers: { authorization: `Bearer ${infotravail}` } })).statusCode).toBe(400)
  })
})

describe('INFOTRAVAIL_PUBLIC', () => {
  let open: TestApp
  beforeAll(async () => {
    open = await createTestApp({ infotravailPublic: true })
    await loadSmallPackages(open, [STATS_SMALL])
  })
  afterAll(() => open.close())

  it.each(ROUTES)('%s answers without a token', async (url) => {
    const response = await open.app.inject({ url })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['www-authenticate']).toBeUndefined()
  })

  it('leaves the other APIs protected', async () => {
    expect((await open.app.inject({ url: '/partenaire/offresdemploi/v2/referentiel/permis' })).statusCode).toBe(401)
    expect((await open.app.inject({ method: 'POST', url: DEPOT, headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(401)
  })
})

describe('the offres package follows the offers store', () => {
  type Source = {
    id: string
    intitule: string
    description: string
    dateCreation: string
    dateActualisation: string
    romeCode: string
    typeContrat: string
    appellationlibelle?: string
    nombrePostes?: number
    alternance?: boolean
    accessibleTH?: boolean
    entreprise?: { nom?: string }
    contact?: Record<string, string>
    lieuTravail?: { commune?: string; codePostal?: string; libelle?: string; latitude?: number; longitude?: number }
  }
  const SOURCE = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Source[]
  const departement = (commune: string | undefined) => (commune === undefined ? null : commune.startsWith('97') ? commune.slice(0, 3) : commune.slice(0, 2))
  /** A timestamp of the resource (UTC, no zone) as an instant. */
  const instant = (value: unknown) => {
    expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/)
    return new Date(`${String(value)}Z`).getTime()
  }

  const search = async (id: string, params: Record<string, unknown> = {}) => okResult<SearchResult>(await t.get(actionUrl('datastore_search', { resource_id: id, limit: 32000, ...params })), 'datastore_search')
  const counts = async () =>
    (await search(IDS.offerCounts)).records.map(({ _id: _, ...rest }) => rest).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  function expectedCounts(offers: readonly { romeCode: string; typeContrat: string; commune?: string | undefined }[]) {
    const byKey = new Map<string, { ROME_PROFESSION_CARD_CODE: string; DEPARTEMENT_CODE: string | null; CONTRACT_TYPE_CODE: string; NB_OFFERS: number }>()
    for (const offer of offers) {
      const entry = { ROME_PROFESSION_CARD_CODE: offer.romeCode, DEPARTEMENT_CODE: departement(offer.commune), CONTRACT_TYPE_CODE: offer.typeContrat, NB_OFFERS: 0 }
      const key = JSON.stringify([entry.ROME_PROFESSION_CARD_CODE, entry.DEPARTEMENT_CODE, entry.CONTRACT_TYPE_CODE])
      const found = byKey.get(key) ?? entry
      found.NB_OFFERS += 1
      byKey.set(key, found)
    }
    return [...byKey.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  }
  const sourceCounts = () => SOURCE.map((offer) => ({ romeCode: offer.romeCode, typeContrat: offer.typeContrat, commune: offer.lieuTravail?.commune }))

  it('serves every imported offer, anonymised: the fields of the resource and nothing that names the employer, a contact or the offer’s texts', async () => {
    const result = await search(IDS.offers)
    expect(result.total).toBe(SOURCE.length)
    expect(result.fields.map((field) => field.id)).toEqual(['_id', ...resourceOf(IDS.offers).fields.map((field) => field.id)])
    for (const field of result.fields) expect(field.id).not.toMatch(/COMPANY|ENTREPRISE|EMPLOYER|CONTACT|TITLE|INTITULE|DESCRIPTION|PHONE|EMAIL|MAIL/)
    const byId = new Map(result.records.map((record) => [record.OFFER_ID, record]))
    expect(byId.size).toBe(SOURCE.length)
    let named = 0
    for (const offer of SOURCE) {
      const record = byId.get(offer.id)
      expect(instant(record?.CREATION_DATE), offer.id).toBe(new Date(offer.dateCreation).getTime())
      expect(instant(record?.MODIFICATION_DATE), offer.id).toBe(new Date(offer.dateActualisation).getTime())
      expect(record, offer.id).toMatchObject({
        ROME_PROFESSION_CARD_CODE: offer.romeCode,
        CONTRACT_TYPE_CODE: offer.typeContrat,
        CITY_CODE: offer.lieuTravail?.commune ?? null,
        POSTCODE: offer.lieuTravail?.codePostal ?? null,
        DEPARTEMENT_CODE: departement(offer.lieuTravail?.commune),
        LATITUDE: offer.lieuTravail?.latitude ?? null,
        LONGITUDE: offer.lieuTravail?.longitude ?? null,
        NB_VACANCIES: offer.nombrePostes ?? null,
        ALTERNANCE: offer.alternance ?? null,
        DISABLED_ACCESSIBILITY: offer.accessibleTH ?? null,
      })
      const values = Object.values(record ?? {}).filter((value): value is string => typeof value === 'string')
      const secrets = [offer.description, offer.entreprise?.nom, ...Object.values(offer.contact ?? {})].filter((value): value is string => typeof value === 'string' && value.length > 3)
      if (offer.entreprise?.nom) named++
      for (const secret of secrets) for (const value of values) expect(value.includes(secret), `${offer.id}: "${secret}" in "${value}"`).toBe(false)
      // The title may coincide with the appellation's label (a label of the ROME, not the employer's text).
      if (offer.intitule !== offer.appellationlibelle) expect(values).not.toContain(offer.intitule)
    }
    expect(named).toBeGreaterThan(10)
  })

  it('counts the active offers by ROME code, département and contract type', async () => {
    expect(await counts()).toEqual(expectedCounts(sourceCounts()))
    const total = okResult<{ records: { n: number }[] }>(await t.get(actionUrl('datastore_search_sql', { sql: `SELECT SUM("NB_OFFERS")::int AS n FROM "${IDS.offerCounts}"` })), 'datastore_search_sql')
    expect(total.records).toEqual([{ n: SOURCE.length }])
  })

  it('a deposited offer appears at once, anonymised; closed, it disappears; the counts follow', async () => {
    const secret = { entreprise: { nom: 'Zéphyrin Industries' }, contact: { nom: 'Mme Zéphyrine Martin', courriel: 'zephyrine.martin@zephyrin.example', telephone: '0102030405' } }
    const before = await counts()
    const sizeBefore = okResult<{ size: number }>(await t.get(actionUrl('resource_show', { id: IDS.offers })), 'resource_show').size
    expect(sizeBefore).toBe(SOURCE.length)

    const offer = await depositOffer(t, { intitule: 'Xylographe chez Zéphyrin (H/F)', romeCode: 'H2902', typeContrat: 'MIS', lieuTravail: { commune: '97411' }, ...secret })
    const found = await search(IDS.offers, { filters: { OFFER_ID: offer.id } })
    expect(found.total).toBe(1)
    const record = found.records[0] ?? {}
    expect(record).toMatchObject({ OFFER_ID: offer.id, ROME_PROFESSION_CARD_CODE: 'H2902', CONTRACT_TYPE_CODE: 'MIS', CITY_CODE: '97411', DEPARTEMENT_CODE: '974' })
    const text = JSON.stringify(record)
    for (const hidden of ['Zéphyrin', 'Zéphyrine', 'zephyrin', '0102030405', 'Xylographe']) expect(text).not.toContain(hidden)
    // Nor through full text or SQL.
    expect((await search(IDS.offers, { q: 'Zéphyrin' })).total).toBe(0)
    const sqlRows = okResult<{ records: Record<string, unknown>[] }>(await t.get(actionUrl('datastore_search_sql', { sql: `SELECT * FROM "${IDS.offers}" WHERE "OFFER_ID" = '${offer.id}'` })), 'datastore_search_sql').records
    expect(sqlRows).toHaveLength(1)
    expect(JSON.stringify(sqlRows)).not.toMatch(/z[ée]phyrin|xylographe|0102030405/i)

    const after = await counts()
    expect(after).toEqual(expectedCounts([...sourceCounts(), { romeCode: 'H2902', typeContrat: 'MIS', commune: '97411' }]))
    expect(after).toContainEqual({ ROME_PROFESSION_CARD_CODE: 'H2902', DEPARTEMENT_CODE: '974', CONTRACT_TYPE_CODE: 'MIS', NB_OFFERS: 1 })
    // (resource_show's `size` of a view is a count reused for a while: the search's total is live.)
    expect((await search(IDS.offers, { limit: 0 })).total).toBe(SOURCE.length + 1)

    await closeOffer(t, offer.id)
    expect((await search(IDS.offers, { filters: { OFFER_ID: offer.id } })).total).toBe(0)
    expect((await search(IDS.offers, { limit: 0 })).total).toBe(SOURCE.length)
    expect(await counts()).toEqual(before)
  })

  it('rebuilds the anonymised offers whole when the changes since its last update were pruned from the log', async () => {
    const offer = await depositOffer(t, { romeCode: 'F1703', lieuTravail: { commune: '44109' } })
    expect((await search(IDS.offers, { filters: { OFFER_ID: offer.id } })).total).toBe(1)
    // Closed and pruned while no one reads the datastore: the log no longer says it changed.
    await t.repository.close([offer.id], 'pourvue')
    expect(await t.repository.pruneChanges(new Date(Date.now() + 60_000))).toBeGreaterThan(0)
    expect(await t.repository.prunedThrough()).toBeGreaterThan(0)
    expect((await search(IDS.offers, { filters: { OFFER_ID: offer.id } })).total).toBe(0)
    const all = (await search(IDS.offers)).records.map((record) => record.OFFER_ID).sort()
    expect(all).toEqual(SOURCE.map((item) => item.id).sort())
    expect(await counts()).toEqual(expectedCounts(sourceCounts()))
  })

  it('a modified offer shows its new values and modification date', async () => {
    const offer = await depositOffer(t, { romeCode: 'J1506', lieuTravail: { commune: '33063' } })
    const first = (await search(IDS.offers, { filters: { OFFER_ID: offer.id } })).records[0] ?? {}
    await new Promise((resolve) => setTimeout(resolve, 5))
    const patched = await t.get(`${DEPOT}/${offer.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ lieuTravail: { commune: '69123' } }) })
    expect(patched.statusCode, patched.body).toBe(200)
    const second = (await search(IDS.offers, { filters: { OFFER_ID: offer.id } })).records[0] ?? {}
    expect(second).toMatchObject({ CITY_CODE: '69123', DEPARTEMENT_CODE: '69', CREATION_DATE: first.CREATION_DATE })
    expect(instant(second.MODIFICATION_DATE)).toBeGreaterThan(instant(first.MODIFICATION_DATE))
    expect(Number(second._id)).toBeGreaterThan(Number(first._id))
    await closeOffer(t, offer.id)
  })
})
