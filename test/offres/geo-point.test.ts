import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../../src/domain/offers/offer.schema.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { distanceKm } from '../../src/search/geo.js'
import { createTestApp, recordsOf, type TestApp } from '../support/test-app.js'

/**
 * Issue 14, point 4: search around a point (`latitude`, `longitude`, WGS 84) instead of a commune,
 * with `distance` and its 30 % tolerance, and `sort=2` by distance from the point.
 */

const BASE = '/partenaire/offresdemploi/v2'
const NOW = Date.UTC(2026, 11, 1)

interface Page {
  resultats: Offre[]
}

let t: TestApp
let offers: Offre[]
const search = (query: string) => t.get(`${BASE}/offres/search?${query}`)
const totalOf = (contentRange: string | string[] | undefined) => Number(String(contentRange).split('/')[1])

/** Every id of a search, page by page (the corpus keeps totals under the 3,150 cap). */
async function allIds(query: string): Promise<string[]> {
  const ids: string[] = []
  for (let start = 0; ; start += 150) {
    const response = await search(`${query}&range=${start}-${start + 149}`)
    if (response.statusCode === 204) return ids
    expect([200, 206]).toContain(response.statusCode)
    ids.push(...response.json<Page>().resultats.map((offer) => offer.id))
    if (response.statusCode === 200) return ids
  }
}

/** Where the index places an offer: its commune's centre, else its own coordinates. */
function placeOf(offer: Offre): { latitude: number; longitude: number } | undefined {
  const commune = offer.lieuTravail.commune === undefined ? undefined : t.referentials.communes.get(offer.lieuTravail.commune)
  if (commune) return commune
  const { latitude, longitude } = offer.lieuTravail
  return latitude === undefined || longitude === undefined ? undefined : { latitude, longitude }
}

beforeAll(async () => {
  t = await createTestApp({ now: () => NOW })
  offers = [...generateOffers(t.referentials, { count: 3000, seed: 'geo-point', now: new Date(NOW) })]
  await t.importAndReload(recordsOf(offers))
})
afterAll(() => t.close())

describe('search around a point', () => {
  it('finds around a commune’s centre, in the same order, what the commune search finds', async () => {
    const bordeaux = t.referentials.communes.get('33063')
    if (!bordeaux) throw new Error('Bordeaux missing from the referential')
    for (const [distance, sort] of [[5, 2], [30, 2], [30, 0], [60, 1]] as const) {
      const point = await allIds(`latitude=${bordeaux.latitude}&longitude=${bordeaux.longitude}&distance=${distance}&sort=${sort}`)
      const commune = await allIds(`commune=33063&distance=${distance}&sort=${sort}`)
      expect(point.length).toBeGreaterThan(0)
      expect(point).toEqual(commune)
    }
  })

  it('finds exactly the offers within the radius widened by 30 % (100 km: 130), nearest first with sort=2', async () => {
    const point = { latitude: 44.9, longitude: -0.45 }
    const response = await search(`latitude=${point.latitude}&longitude=${point.longitude}&distance=100&sort=2&range=0-149`)
    const expected = offers.filter((offer) => {
      const place = placeOf(offer)
      return place !== undefined && distanceKm(point.latitude, point.longitude, place.latitude, place.longitude) <= 130
    })
    expect(expected.length).toBeGreaterThan(50)
    expect(totalOf(response.headers['content-range'])).toBe(expected.length)
    const distances = response.json<Page>().resultats.map((offer) => {
      const place = placeOf(offer)
      return place ? distanceKm(point.latitude, point.longitude, place.latitude, place.longitude) : Number.NaN
    })
    expect(distances.every((distance) => distance <= 130)).toBe(true)
    expect(distances).toEqual([...distances].sort((a, b) => a - b))
  })

  it('searches 10 km (13 with the tolerance) when no distance is given', async () => {
    const point = 'latitude=45.76&longitude=4.84'
    expect((await search(point)).headers['content-range']).toBe((await search(`${point}&distance=10`)).headers['content-range'])
    expect(totalOf((await search(point)).headers['content-range'])).toBeLessThan(totalOf((await search(`${point}&distance=40`)).headers['content-range']))
  })

  it('applies the Paris rule when the radius reaches the centre of Paris', async () => {
    const paris = t.referentials.communes.get('75056')
    if (!paris) throw new Error('Paris missing from the referential')
    const point = await search(`latitude=${paris.latitude}&longitude=${paris.longitude}&distance=1`)
    const commune = await search('commune=75056&distance=1')
    expect(totalOf(point.headers['content-range'])).toBeGreaterThan(0)
    expect(point.headers['content-range']).toBe(commune.headers['content-range'])
  })

  it('answers 204 around a point with no offer near it', async () => {
    const response = await search('latitude=45.0&longitude=-30.0&distance=50')
    expect(response.statusCode).toBe(204)
    expect(response.headers['content-range']).toBe('*/0')
  })

  it('combines the point with the other criteria', async () => {
    const around = 'latitude=48.1173&longitude=-1.6778&distance=50'
    const all = totalOf((await search(around)).headers['content-range'])
    const cdi = totalOf((await search(`${around}&typeContrat=CDI`)).headers['content-range'])
    expect(cdi).toBeGreaterThan(0)
    expect(cdi).toBeLessThan(all)
  })

  it('accepts signed coordinates and the bounds of WGS 84', async () => {
    for (const query of ['latitude=-21.1151&longitude=55.5364', 'latitude=%2B45&longitude=-0.5', 'latitude=90&longitude=-180']) {
      expect([200, 204, 206]).toContain((await search(query)).statusCode)
    }
  })

  it.each([
    ['latitude=44.84', 'Les paramètres « latitude » et « longitude » doivent être renseignés ensemble.'],
    ['longitude=-0.58', 'Les paramètres « latitude » et « longitude » doivent être renseignés ensemble.'],
    ['latitude=44.84&longitude=-0.58&commune=33063', 'Le paramètre « commune » ne peut pas être renseigné avec « latitude » et « longitude ».'],
    ['latitude=abc&longitude=-0.58', 'Format du paramètre « latitude » incorrect. Nombre attendu.'],
    ['latitude=44,84&longitude=-0.58', 'Format du paramètre « latitude » incorrect. Nombre attendu.'],
    ['latitude=44.84&longitude=1e2', 'Format du paramètre « longitude » incorrect. Nombre attendu.'],
    ['latitude=90.5&longitude=-0.58', 'Valeur du paramètre « latitude » incorrecte.'],
    ['latitude=-91&longitude=-0.58', 'Valeur du paramètre « latitude » incorrecte.'],
    ['latitude=44.84&longitude=180.01', 'Valeur du paramètre « longitude » incorrecte.'],
    ['latitude=44.84&longitude=-0.58&distance=0', 'Valeur du paramètre « distance » incorrecte.'],
    ['latitude=44.84&longitude=-0.58&distance=-5', 'Format du paramètre « distance » incorrect. Entier attendu.'],
  ])('refuses %s with a message in the original’s style', async (query, message) => {
    const response = await search(query)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ message, codeHttp: 400 })
  })
})
