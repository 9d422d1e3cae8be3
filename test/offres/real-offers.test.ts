import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOfferFile } from '../../src/ingest/offer-file.js'
import { refreshSearchDocs } from '../../src/search/index-loader.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

const FIXTURE = new URL('../fixtures/offres/offres-appellation-404939-178.json', import.meta.url)
const SOURCE = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { id: string }[]
const BASE = '/partenaire/offresdemploi/v2'

describe('the 178 real offers of appellation 404939', () => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp()
    const report = await t.importAndReload(readOfferFile(FIXTURE.pathname), ['404939'])
    expect(report).toMatchObject({ read: 178, created: 178, rejected: 0 })
  })
  afterAll(() => t.close())

  it('finds all 178 by appellation, first window 0-149 as 206', async () => {
    const response = await t.get(`${BASE}/offres/search?appellation=404939`)
    expect(response.statusCode).toBe(206)
    expect(response.headers['content-range']).toBe('offres 0-149/178')
    expect(response.json<{ resultats: unknown[] }>().resultats).toHaveLength(150)
  })

  it('serves the last window as 200 with the end clamped to the total', async () => {
    const response = await t.get(`${BASE}/offres/search?appellation=404939&range=150-299`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-range']).toBe('offres 150-177/178')
    expect(response.json<{ resultats: unknown[] }>().resultats).toHaveLength(28)
  })

  it('returns every offer, each detail deep-equal to its source object', async () => {
    const seen = new Set<string>()
    for (const range of ['0-149', '150-299']) {
      const page = await t.get(`${BASE}/offres/search?appellation=404939&range=${range}`)
      for (const offer of page.json<{ resultats: { id: string }[] }>().resultats) seen.add(offer.id)
    }
    expect(seen).toEqual(new Set(SOURCE.map((offer) => offer.id)))
    for (const source of SOURCE) {
      const detail = await t.get(`${BASE}/offres/${source.id}`)
      expect(detail.statusCode).toBe(200)
      expect(detail.json()).toStrictEqual(source)
    }
  })

  it('serves in search results the same objects as the detail', async () => {
    const page = await t.get(`${BASE}/offres/search?appellation=404939&range=0-149`)
    const byId = new Map(SOURCE.map((offer) => [offer.id, offer]))
    for (const offer of page.json<{ resultats: { id: string }[] }>().resultats) {
      expect(offer).toStrictEqual(byId.get(offer.id))
    }
  })

  it('counts facets over all 178 matches', async () => {
    const page = await t.get(`${BASE}/offres/search?appellation=404939&range=0-9`)
    const filtres = page.json<{ filtresPossibles: { filtre: string; agregation: { nbResultats: number }[] }[] }>()
      .filtresPossibles
    expect(filtres.map((filtre) => filtre.filtre)).toEqual(['typeContrat', 'experience', 'qualification', 'natureContrat'])
    for (const filtre of filtres) {
      expect(filtre.agregation.reduce((sum, item) => sum + item.nbResultats, 0)).toBe(178)
    }
    const types = filtres[0]?.agregation
    expect(types).toEqual([
      { valeurPossible: 'CDD', nbResultats: 36 },
      { valeurPossible: 'CDI', nbResultats: 125 },
      { valeurPossible: 'LIB', nbResultats: 11 },
      { valeurPossible: 'MIS', nbResultats: 6 },
    ])
  })

  it('finds the real offers by what they say, not only by the appellation tag', async () => {
    const biostat = await t.get(`${BASE}/offres/search?motsCles=biostatisticienne`)
    const ids = biostat.json<{ resultats: { id: string; intitule: string }[] }>().resultats
    expect(ids.length).toBeGreaterThan(0)
    const bordeaux = await t.get(`${BASE}/offres/search?commune=33063&distance=10`)
    for (const offer of bordeaux.json<{ resultats: { lieuTravail: { libelle: string } }[] }>().resultats) {
      expect(offer.lieuTravail.libelle).toMatch(/^33 - /)
    }
  })
})

describe('search documents of the real offers', () => {
  it('serves the same results when the stored documents are stale, and refreshes them', async () => {
    const t = await createTestApp()
    try {
      await t.importAndReload(readOfferFile(FIXTURE.pathname), ['404939'])
      const queries = ['appellation=404939', 'motsCles=biostatisticien', 'commune=33063&distance=30', 'typeContrat=CDD&sort=1']
      const before = await Promise.all(queries.map((query) => t.get(`${BASE}/offres/search?${query}`)))
      await t.database.db.updateTable('offers').set({ search_version: 'old', search_doc: '[]' }).execute()
      const stale = await t.reload()
      expect(stale).toEqual({ loaded: 178, stale: 178 })
      const after = await Promise.all(queries.map((query) => t.get(`${BASE}/offres/search?${query}`)))
      expect(after.map((response) => response.body)).toEqual(before.map((response) => response.body))
      expect(await refreshSearchDocs(t.repository, t.referentials, 50)).toBe(178)
      expect(await t.reload()).toEqual({ loaded: 178, stale: 0 })
    } finally {
      await t.close()
    }
  })
})
