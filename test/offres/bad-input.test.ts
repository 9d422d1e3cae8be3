import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOfferFile } from '../../src/ingest/offer-file.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

const BASE = '/partenaire/offresdemploi/v2'
const NAMES = [
  'range', 'sort', 'domaine', 'codeROME', 'appellation', 'theme', 'secteurActivite', 'codeNAF', 'experience',
  'typeContrat', 'natureContrat', 'origineOffre', 'qualification', 'tempsPlein', 'commune', 'distance',
  'departement', 'inclureLimitrophes', 'region', 'paysContinent', 'niveauFormation', 'permis', 'motsCles',
  'salaireMin', 'periodeSalaire', 'accesTravailleurHandicape', 'publieeDepuis', 'minCreationDate',
  'maxCreationDate', 'offresMRS', 'experienceExigence', 'grandDomaine', 'partenaires', 'modeSelectionPartenaires',
  'dureeHebdoMin', 'dureeHebdoMax', 'dureeContratMin', 'dureeContratMax', 'dureeHebdo', 'offresManqueCandidats',
  'entreprisesAdaptees', 'employeursHandiEngages', 'latitude', 'longitude', 'curseur', 'unknown',
]

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.importAndReload(readOfferFile(new URL('../fixtures/offres/offres-appellation-404939-178.json', import.meta.url).pathname))
})
afterAll(() => t.close())

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', ',', ',,', '-1', '0', '3001-3150', '1e9', 'NaN', 'true', 'FALSE', '%', '%ZZ', '75056', 'D1102', 'A,B,C'),
  fc.integer().map(String),
  fc.double().map(String),
)

describe('bad input', () => {
  it('never gets a server error on search, whatever the query', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { maxLength: 6 }), async (pairs) => {
        const query = pairs.map(([name, raw]) => `${name}=${encodeURIComponent(raw)}`).join('&')
        const response = await t.get(`${BASE}/offres/search?${query}`)
        expect([200, 204, 206, 400]).toContain(response.statusCode)
        if (response.statusCode === 400) {
          const body = response.json<{ message: string; codeHttp: number; codeErreur: string }>()
          expect(body.codeHttp).toBe(400)
          expect(body.message.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 400, seed: 42 },
    )
  })

  it('never gets a server error on detail, whatever the id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 30 }), async (id) => {
        const response = await t.get(`${BASE}/offres/${encodeURIComponent(id)}`)
        expect([200, 204, 400, 404]).toContain(response.statusCode)
      }),
      { numRuns: 200, seed: 7 },
    )
  })

  it('survives raw, unencoded and malformed query strings', async () => {
    for (const url of [
      `${BASE}/offres/search?motsCles=%E9t%E9`,
      `${BASE}/offres/search?motsCles=%`,
      `${BASE}/offres/search?&&&=&range`,
      `${BASE}/offres/search?range=0-149&range=150-299`,
      `${BASE}/offres/search?commune=${'33063,'.repeat(300)}`,
      `${BASE}/offres/search?codeROME=${'K2403,'.repeat(201)}`,
    ]) {
      const response = await t.get(url)
      expect(response.statusCode).toBeLessThan(500)
    }
  })

  it('refuses each bad value with the original message pattern', async () => {
    const cases: [string, string][] = [
      ['motsCles=a', 'Format du paramètre « motsCles » incorrect. 7 mots-clé au maximum séparés par des virgules et d\'au moins 2 caractères.'],
      ['motsCles=un,deux,trois,quatre,cinq,six,sept,huit', 'Format du paramètre « motsCles » incorrect. 7 mots-clé au maximum séparés par des virgules et d\'au moins 2 caractères.'],
      ['motsCles=vente*', 'Format du paramètre « motsCles » incorrect. 7 mots-clé au maximum séparés par des virgules et d\'au moins 2 caractères.'],
      ['grandDomaine=Z', 'Format du paramètre « grandDomaine » incorrect. A, B, C, C15, D, E, F, G, H, I, J, K, L, L14, M15, M18, M, M16, M17, M13, M14 ou N attendu.'],
      ['experienceExigence=X', 'Format du paramètre « experienceExigence » incorrect. D, E ou S attendu.'],
      ['natureContrat=ZZ', 'Valeur du paramètre « natureContrat » incorrecte.'],
      ['departement=20', 'Valeur du paramètre « departement » incorrecte.'],
      ['departement=01,02,03,04,05,06', 'Valeur du paramètre « departement » incorrecte.'],
      ['commune=99999', 'Valeur du paramètre « commune » incorrecte.'],
      ['region=99', 'Valeur du paramètre « region » incorrecte.'],
      ['codeROME=Z9999', 'Valeur du paramètre « codeROME » incorrecte.'],
      ['publieeDepuis=5', 'Valeur du paramètre « publieeDepuis » incorrecte.'],
      ['distance=dix&commune=33063', 'Format du paramètre « distance » incorrect. Entier attendu.'],
      ['salaireMin=1500', 'Les paramètres « salaireMin » et « periodeSalaire » doivent être renseignés ensemble.'],
      ['minCreationDate=2024-13-01', "Format du paramètre « minCreationDate » incorrect. yyyy-MM-dd'T'hh:mm:ss'Z' attendu."],
      ['offresMRS=yes', 'Format du paramètre « offresMRS » incorrect. Booléen attendu.'],
      ['dureeHebdoMin=2575', 'Format du paramètre « dureeHebdoMin » incorrect. HHMM attendu.'],
      ['sort=3', 'Valeur du paramètre « sort » incorrecte.'],
    ]
    for (const [query, message] of cases) {
      const response = await t.get(`${BASE}/offres/search?${query}`)
      expect({ query, status: response.statusCode, message: response.json<{ message: string }>().message }).toEqual({
        query,
        status: 400,
        message,
      })
    }
  })
})
