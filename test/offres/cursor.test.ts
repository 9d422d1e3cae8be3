import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Offre } from '../../src/domain/offers/offer.schema.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { offerDeposit } from '../support/deposits.js'
import { createTestApp, recordsOf, type TestApp } from '../support/test-app.js'

/**
 * Issue 14, point 5: `curseur` continues any search past the original's 3,150 reachable results,
 * in the same order, from the `X-Curseur-Suivant` header of the previous page, and stays stable
 * while offers are deposited and closed.
 */

const BASE = '/partenaire/offresdemploi/v2'
const NOW = Date.UTC(2026, 11, 1, 12)
const DAY = 86_400_000
const CORPUS = 3400
const NEXT = 'x-curseur-suivant'

interface Page {
  resultats: Offre[]
}

let t: TestApp
let clock = NOW
let offers: Offre[]
const search = (query: string) => t.get(`${BASE}/offres/search?${query}`)
const ids = (response: LightMyRequestResponse) => (response.statusCode === 204 ? [] : response.json<Page>().resultats.map((offer) => offer.id))
const cursorOf = (response: LightMyRequestResponse) => {
  const value = response.headers[NEXT]
  if (typeof value !== 'string') throw new Error(`no ${NEXT} on a ${response.statusCode}`)
  return value
}
const depositor = () => ({ clientId: t.client.client_id, name: 'Tests' })

/** Every page of a search by cursor, from its first `range` page; `between` runs before each next page. */
async function traverse(query: string, size: number, between: (page: number) => Promise<void> = () => Promise.resolve()) {
  const pages: LightMyRequestResponse[] = [await search(`${query}&range=0-${size - 1}`)]
  for (let page = 1; pages.at(-1)?.statusCode === 206; page++) {
    await between(page)
    pages.push(await search(`${query}&range=0-${size - 1}&curseur=${cursorOf(pages.at(-1) as LightMyRequestResponse)}`))
  }
  return pages
}

beforeAll(async () => {
  // Tokens outlive the clock's moves forward (publieeDepuis).
  t = await createTestApp({ now: () => clock, tokenTtlSeconds: 30 * 86_400 })
  offers = [...generateOffers(t.referentials, { count: CORPUS, seed: 'cursor', now: new Date(NOW) })]
  await t.importAndReload(recordsOf(offers))
})
afterAll(() => t.close())

describe('curseur: paging by cursor', () => {
  it('pages a corrected search: a misspelled keyword is corrected on every page, in the order of the corrected search', async () => {
    const first = await search('motsCles=responsabel&range=0-19')
    expect(first.statusCode).toBe(206)
    expect(first.headers['x-mots-cles-corriges']).toBe(encodeURIComponent('responsabel→responsable'))
    const byCursor = await search(`motsCles=responsabel&range=0-19&curseur=${cursorOf(first)}`)
    expect(byCursor.headers['x-mots-cles-corriges']).toBe(encodeURIComponent('responsabel→responsable'))
    expect(ids(byCursor)).toEqual(ids(await search('motsCles=responsable&range=20-39')))
    // How keywords are read is part of the search: an exact search's cursor is not the corrected one's.
    const exact = await search(`motsCles=responsabel&rechercheExacte=true&range=0-19&curseur=${cursorOf(first)}`)
    expect(exact.statusCode).toBe(400)
  })

  it.each([
    ['sort=1', 'the date order'],
    ['sort=0&motsCles=responsable', 'relevance'],
    ['sort=2&commune=33063&distance=80', 'distance from a commune'],
    ['sort=2&latitude=48.85&longitude=2.35&distance=50&motsCles=responsable', 'distance from a point, then relevance'],
    ['sort=1&motsCles=responsable&departement=59,75,13,69,93', 'date, then relevance'],
  ])('continues %s (%s) exactly as the next range does', async (query) => {
    const first = await search(`${query}&range=0-19`)
    expect(first.statusCode).toBe(206)
    const byCursor = await search(`${query}&range=0-19&curseur=${cursorOf(first)}`)
    const byRange = await search(`${query}&range=20-39`)
    expect(byCursor.statusCode).toBe(byRange.statusCode)
    expect(ids(byCursor)).toEqual(ids(byRange))
    expect(byCursor.headers['content-range']).toBe(byRange.headers['content-range'])
    expect(byCursor.body).toBe(byRange.body)
  })

  it('sends X-Curseur-Suivant on every page, with or without a cursor', async () => {
    for (const query of ['range=0-149', 'range=3000-3149', 'motsCles=responsable&range=0-0', 'motsCles=responsable&range=0-149']) {
      const response = await search(query)
      expect([200, 206]).toContain(response.statusCode)
      expect(cursorOf(response)).toMatch(/^[A-Za-z0-9_-]+$/)
    }
  })

  it('goes past the 3,150 reachable results, through every offer once, in the order of the ranges', async () => {
    const pages = await traverse('sort=1', 150)
    const all = pages.flatMap(ids)
    expect(all).toHaveLength(CORPUS)
    expect(new Set(all).size).toBe(CORPUS)
    const byRanges: string[] = []
    for (let start = 0; start <= 3000; start += 150) byRanges.push(...ids(await search(`sort=1&range=${start}-${start + 149}`)))
    expect(all.slice(0, 3150)).toEqual(byRanges)
    expect(pages.map((page) => page.headers['content-range'])).toEqual(
      pages.map((_, i) => `offres ${i * 150}-${Math.min(i * 150 + 149, CORPUS - 1)}/${CORPUS}`),
    )
    expect(pages.at(-1)?.statusCode).toBe(200)
    expect(pages.slice(0, -1).every((page) => page.statusCode === 206)).toBe(true)
  })

  it('continues from the deepest range, and takes only the width of range with a cursor', async () => {
    const deepest = await search('sort=1&range=3000-3149')
    const next = await search(`sort=1&range=9000-9099&curseur=${cursorOf(deepest)}`)
    expect(next.statusCode).toBe(206)
    expect(next.headers['content-range']).toBe('offres 3150-3249/3400')
    const rest = await search(`sort=1&range=0-149&curseur=${cursorOf(next)}`)
    expect(rest.statusCode).toBe(200)
    expect(rest.headers['content-range']).toBe('offres 3250-3399/3400')
  })

  it('answers 204 after the last offer, with the total and the same cursor to ask again later', async () => {
    const last = (await traverse('sort=1', 150)).at(-1) as LightMyRequestResponse
    expect(last.statusCode).toBe(200)
    const after = await search(`sort=1&curseur=${cursorOf(last)}`)
    expect(after.statusCode).toBe(204)
    expect(after.headers['content-range']).toBe(`*/${CORPUS}`)
    expect(after.body).toBe('')
    expect(cursorOf(after)).toBe(cursorOf(last))
  })

  it('keeps publieeDepuis where the first page put it, while the clock moves', async () => {
    const first = await search('sort=1&publieeDepuis=14&range=0-99')
    const total = first.headers['content-range']?.toString().split('/')[1]
    clock = NOW + 3 * DAY
    try {
      const moved = await search('sort=1&publieeDepuis=14&range=100-199')
      expect(moved.headers['content-range']?.toString().split('/')[1]).not.toBe(total)
      const next = await search(`sort=1&publieeDepuis=14&range=0-99&curseur=${cursorOf(first)}`)
      expect(next.headers['content-range']).toBe(`offres 100-199/${total}`)
    } finally {
      clock = NOW
    }
  })

  it('stays stable while offers are deposited and closed: every offer present throughout is seen once', async () => {
    const query = 'sort=1&typeContrat=CDI,CDD,MIS'
    const initial = (await traverse(query, 150)).flatMap(ids)
    const closed = new Set<string>()
    const deposited = new Set<string>()
    const pages = await traverse(query, 100, async (page) => {
      // Offers closed before and after the current position, and deposits dated at either side of it.
      const toClose = [initial[page * 100 - 3], initial[page * 100 + 7], initial[(page * 397) % initial.length]].filter(
        (id): id is string => id !== undefined && !closed.has(id),
      )
      await t.repository.close(toClose, 'pourvue')
      for (const id of toClose) closed.add(id)
      for (const daysAgo of [0, page % 20, (page * 7) % 30]) {
        clock = NOW - daysAgo * DAY - page * 1000
        const created = await t.deposits.create(depositor(), offerDeposit({ intitule: `Vendeur ${page}-${daysAgo} (H/F)`, typeContrat: 'CDI' }))
        deposited.add(created.id)
      }
      clock = NOW
      await t.catchUp()
    })
    const seen = pages.flatMap(ids)
    expect(new Set(seen).size).toBe(seen.length)
    const kept = initial.filter((id) => !closed.has(id))
    expect(closed.size).toBeGreaterThan(40)
    expect(seen.filter((id) => !deposited.has(id) && !closed.has(id))).toEqual(kept)
    expect(seen.some((id) => deposited.has(id))).toBe(true)
  })

  it.each([
    ['curseur=abc!', "Format du paramètre « curseur » incorrect. Valeur de l'en-tête X-Curseur-Suivant attendue."],
    ['curseur=bm90IGEgY3Vyc2V1cg', "Format du paramètre « curseur » incorrect. Valeur de l'en-tête X-Curseur-Suivant attendue."],
    [`curseur=${'A'.repeat(600)}`, "Format du paramètre « curseur » incorrect. Valeur de l'en-tête X-Curseur-Suivant attendue."],
  ])('refuses a malformed cursor (%#)', async (query, message) => {
    const response = await search(query)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ message, codeHttp: 400 })
  })

  it('refuses a cursor with another search, another sort or a range wider than 150', async () => {
    const cursor = cursorOf(await search('motsCles=responsable&sort=0&range=0-9'))
    for (const query of ['motsCles=chef&sort=0', 'motsCles=responsable&sort=1', 'motsCles=responsable', 'motsCles=responsable&sort=0&typeContrat=CDI']) {
      const response = await search(`${query}&curseur=${cursor}`)
      expect(response.statusCode, query).toBe(query === 'motsCles=responsable' ? 206 : 400)
      if (response.statusCode === 400) {
        expect(response.json()).toMatchObject({ message: 'Valeur du paramètre « curseur » incorrecte. Ce curseur appartient à une autre recherche.' })
      }
    }
    const wide = await search(`motsCles=responsable&sort=0&range=0-150&curseur=${cursor}`)
    expect(wide.json()).toMatchObject({ message: 'La plage de résultats demandée est trop importante.' })
  })
})
