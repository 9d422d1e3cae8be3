import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../../src/domain/offers/offer.schema.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { readOfferFile } from '../../src/ingest/offer-file.js'
import { appStores } from '../support/databases.js'
import { jsonLdFailures, missingRecommended } from '../support/schema-org.js'
import { createTestApp, OFFER_TTL_DAYS, recordsOf, testReferentials, type TestApp } from '../support/test-app.js'

/**
 * GET /offres/{id} with `Accept: application/ld+json`: the offer as a schema.org JobPosting,
 * checked on every offer of the real fixtures and of the demo corpus by a validator of Google's
 * rich-result rules and of the schema.org vocabulary.
 */

const BASE = '/partenaire/offresdemploi/v2'
const REAL = new URL('../fixtures/offres/offres-appellation-404939-178.json', import.meta.url).pathname
const REAL_2 = new URL('../fixtures/offres/offres-exemple-data-engineer-2.json', import.meta.url).pathname
const SOURCE = [REAL, REAL_2].flatMap((file) => JSON.parse(readFileSync(file, 'utf8')) as Offre[])
const DEMO = 320
const LD = 'application/ld+json; charset=utf-8'
const DAY_MS = 86_400_000

let t: TestApp
let demo: Offre[]
const detail = (id: string, accept?: string) => t.get(`${BASE}/offres/${id}`, accept === undefined ? {} : { headers: { accept } })

beforeAll(async () => {
  t = await createTestApp()
  demo = [...generateOffers(testReferentials(), { count: DEMO, seed: 'job-posting', now: new Date() })]
  await t.importAndReload(readOfferFile(REAL), ['404939'])
  await t.importAndReload(readOfferFile(REAL_2))
  await t.importAndReload(recordsOf(demo))
})
afterAll(() => t.close())

describe('content negotiation on the detail', () => {
  const FT_OFFER = '184TRJB'

  it.each([[undefined], ['application/json'], ['*/*'], ['application/*'], ['text/html'], ['application/json, application/ld+json'], ['application/ld+json;q=0.5, */*']])(
    'serves the original JSON, unchanged, for Accept %s',
    async (accept) => {
      const response = await detail(FT_OFFER, accept)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json;charset=UTF-8')
      expect(response.headers['cache-control']).toBe('no-store')
      expect(response.headers.vary).toBe('Accept')
      expect(response.json()).toStrictEqual(SOURCE.find((offer) => offer.id === FT_OFFER))
    },
  )

  it.each([['application/ld+json'], ['application/ld+json, */*'], ['application/json;q=0.9, application/ld+json'], ['text/html;q=0.9, application/ld+json;q=0.5']])(
    'serves a JobPosting for Accept %s',
    async (accept) => {
      const response = await detail(FT_OFFER, accept)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe(LD)
      expect(response.headers.vary).toBe('Accept')
      expect(response.headers['cache-control']).toBe('no-store')
      expect(response.json()).toMatchObject({ '@context': 'https://schema.org', '@type': 'JobPosting', title: 'Data engineer' })
      expect(response.body).not.toContain('<')
    },
  )

  it('answers 204 without a body for an unknown id, as the JSON detail does', async () => {
    const response = await detail('9999999', 'application/ld+json')
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
    expect(response.headers['content-range']).toBeUndefined()
  })

  it('answers a malformed id in the original’s error JSON', async () => {
    const response = await detail('abc', 'application/ld+json')
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8')
    expect(response.json()).toMatchObject({ codeHttp: 400, message: "Le format de l'id de l'offre recherchée est incorrect." })
  })

  it('asks for a token like every Offres route', async () => {
    const response = await t.app.inject({ url: `${BASE}/offres/${FT_OFFER}`, headers: { accept: 'application/ld+json' } })
    expect(response.statusCode).toBe(401)
  })
})

/** Every offer id the search pages list, page after page. */
async function everyOfferOfTheSearchPages(): Promise<string[]> {
  const ids: string[] = []
  for (let start = 0; ; start += 150) {
    const page = await t.get(`${BASE}/offres/search?range=${start}-${start + 149}`)
    if (page.statusCode === 204) break
    expect([200, 206]).toContain(page.statusCode)
    ids.push(...page.json<{ resultats: { id: string }[] }>().resultats.map((offer) => offer.id))
    if (page.statusCode === 200) break
  }
  return ids
}

/** Recommended properties an offer cannot fill, by what it lacks (read from its JSON, not from the mapping). */
function unfillable(offer: Offre): string[] {
  const missing = ['applicantLocationRequirements', 'jobLocationType']
  if (!/^(Mensuel|Annuel|Horaire) de \d/.test(offer.salaire?.libelle ?? '')) missing.push('baseSalary')
  const permanent = offer.typeContrat === 'CDI' || offer.typeContrat === 'DIN'
  const hours = offer.dureeTravailLibelleConverti !== undefined || /\d\s*H/i.test(offer.dureeTravailLibelle ?? '')
  const training = offer.alternance === true || /apprentissage|professionnalisation/i.test(offer.natureContrat ?? '')
  if (permanent && !hours && !training) missing.push('employmentType')
  return missing.sort()
}

describe('every offer of the search pages, real and generated', () => {
  it('is a JobPosting that the validator and the schema.org vocabulary accept, with every recommended property its data allows', async () => {
    const ids = await everyOfferOfTheSearchPages()
    expect(ids).toHaveLength(SOURCE.length + DEMO)
    const byId = new Map([...SOURCE, ...demo].map((offer) => [offer.id, offer]))
    for (const id of ids) {
      const response = await detail(id, 'application/ld+json')
      expect(response.statusCode, id).toBe(200)
      const posting = response.json<{ '@type': string; validThrough?: string }>()
      expect(await jsonLdFailures(posting), id).toEqual([])
      const offer = byId.get(id)
      expect(offer, id).toBeDefined()
      if (offer) expect(await missingRecommended(posting), id).toEqual(unfillable(offer))
    }
  })
})

describe('the checks can fail', () => {
  it('reports a posting without title, with a foreign property and values outside their range', async () => {
    const response = await detail('184TRJB', 'application/ld+json')
    const posting = response.json<Record<string, unknown> & { '@type': string }>()
    const { title: _title, ...untitled } = posting
    const broken = { ...untitled, '@type': posting['@type'], salaire: 2000, totalJobOpenings: 1.5, directApply: 'oui', hiringOrganization: { '@type': 'Place', name: 'X' } }
    const failures = await jsonLdFailures(broken)
    expect(failures).toEqual(
      expect.arrayContaining([
        'Required attribute "title" is missing',
        expect.stringContaining('"salaire" for type "JobPosting" is not supported'),
        expect.stringContaining('$.totalJobOpenings: 1.5 is not in the range'),
        expect.stringContaining('$.directApply: "oui" is not in the range'),
        expect.stringContaining('$.hiringOrganization: Place is not in the range'),
      ]),
    )
  })
})

describe.each(appStores())('validThrough ($name store)', ({ databaseUrl }) => {
  let store: TestApp
  let offers: Offre[]
  const jsonLd = (id: string) => store.get(`${BASE}/offres/${id}`, { headers: { accept: 'application/ld+json' } })
  const updatedAt = async (id: string) =>
    (await store.database.db.selectFrom('offers').select('updated_at').where('id', '=', id).executeTakeFirstOrThrow()).updated_at

  beforeAll(async () => {
    store = await createTestApp(databaseUrl ? { databaseUrl } : {})
    offers = [...generateOffers(testReferentials(), { count: 3, seed: 'valid-through', now: new Date() })]
    await store.importAndReload(recordsOf(offers))
  })
  afterAll(() => store.close())

  it('is OFFER_TTL_DAYS after the store last saw the offer, and moves when its source sends it again', async () => {
    const offer = offers[0] as Offre
    const first = (await jsonLd(offer.id)).json<{ validThrough: string }>().validThrough
    expect(first).toBe(new Date((await updatedAt(offer.id)).getTime() + OFFER_TTL_DAYS * DAY_MS).toISOString())
    await new Promise((resolve) => setTimeout(resolve, 20))
    await store.importer.importRecords(recordsOf([offer]), { source: 'import' })
    const second = (await jsonLd(offer.id)).json<{ validThrough: string }>().validThrough
    expect(Date.parse(second)).toBeGreaterThan(Date.parse(first))
    expect(second).toBe(new Date((await updatedAt(offer.id)).getTime() + OFFER_TTL_DAYS * DAY_MS).toISOString())
  })

  it('is left out while a closed offer is still in the index, which then answers 204', async () => {
    const offer = offers[1] as Offre
    expect(await store.repository.close([offer.id], 'pourvue')).toEqual([offer.id])
    const stale = await jsonLd(offer.id)
    expect(stale.statusCode).toBe(200)
    expect(stale.json()).not.toHaveProperty('validThrough')
    await store.catchUp()
    expect((await jsonLd(offer.id)).statusCode).toBe(204)
    expect((await store.get(`${BASE}/offres/${offer.id}`)).statusCode).toBe(204)
  })
})

describe('the reference', () => {
  it('gives the detail’s 200 both media types', async () => {
    for (const url of ['/openapi.json', '/docs/offresdemploiv2/json']) {
      const document = (await t.app.inject(url)).json<{ paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }> }>()
      const ok = document.paths[`${BASE}/offres/{id}`]?.get.responses['200']
      expect(Object.keys(ok?.content ?? {}), url).toEqual(['application/json', 'application/ld+json'])
    }
  })
})
