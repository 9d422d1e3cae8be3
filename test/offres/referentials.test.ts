import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

const BASE = '/partenaire/offresdemploi/v2/referentiel'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function list(name: string) {
  const response = await t.get(`${BASE}/${name}`)
  expect(response.statusCode).toBe(200)
  return response.json<Record<string, unknown>[]>()
}

describe('referentials', () => {
  it.each([
    ['communes', 35014],
    ['departements', 101],
    ['regions', 18],
    ['metiers', 1584],
    ['appellations', 13120],
    ['domaines', 110],
    ['themes', 17],
    ['pays', 221],
    ['continents', 9],
    ['nafs', 732],
    ['secteursActivites', 88],
    ['typesContrats', 12],
    ['naturesContrats', 20],
    ['niveauxFormations', 10],
  ])('serves %s with its %i items', async (name, size) => {
    expect(await list(name)).toHaveLength(size)
  })

  it('serves plain {code, libelle} items with unique codes', async () => {
    for (const name of ['appellations', 'continents', 'domaines', 'langues', 'metiers', 'nafs', 'naturesContrats', 'niveauxFormations', 'pays', 'permis', 'secteursActivites', 'themes', 'typesContrats']) {
      const items = await list(name)
      for (const item of items) {
        expect(Object.keys(item)).toEqual(['code', 'libelle'])
        expect(typeof item.code).toBe('string')
        expect(typeof item.libelle).toBe('string')
      }
      expect(new Set(items.map((item) => item.code)).size).toBe(items.length)
    }
  })

  it('serves communes as {code, libelle, codePostal, codeDepartement}, arrondissements included', async () => {
    const communes = await list('communes')
    const byCode = new Map(communes.map((commune) => [commune.code, commune]))
    expect(byCode.get('21704')).toEqual({ code: '21704', libelle: 'VILLIERS LE DUC', codePostal: '21400', codeDepartement: '21' })
    expect(byCode.get('75108')).toEqual({ code: '75108', libelle: 'PARIS 08', codePostal: '75008', codeDepartement: '75' })
    expect(byCode.get('13201')).toMatchObject({ libelle: 'MARSEILLE 01', codeDepartement: '13' })
    expect(byCode.get('2A004')).toMatchObject({ libelle: 'AJACCIO', codeDepartement: '2A' })
    expect(byCode.get('97411')).toMatchObject({ libelle: 'SAINT DENIS', codeDepartement: '974' })
    for (const commune of communes) expect(commune.libelle).toMatch(/^[A-Z0-9 Œ()]+$/)
  })

  it('serves départements with their region', async () => {
    const departements = await list('departements')
    expect(departements.find((item) => item.code === '01')).toEqual({
      code: '01',
      libelle: 'Ain',
      region: { code: '84', libelle: 'Auvergne-Rhône-Alpes' },
    })
    expect(departements.map((item) => item.code)).toEqual(expect.arrayContaining(['2A', '2B', '971', '976']))
  })

  it('serves métiers, appellations and themes from ROME 4.0', async () => {
    expect((await list('metiers')).find((item) => item.code === 'D1102')).toEqual({ code: 'D1102', libelle: 'Boulanger / Boulangère' })
    expect((await list('appellations')).find((item) => item.code === '404939')).toEqual({
      code: '404939',
      libelle: 'Biostatisticien / Biostatisticienne data manager',
    })
    expect((await list('themes')).find((item) => item.code === '1')).toMatchObject({
      libelle: "Métiers de l'environnement et du développement durable",
    })
  })

  it('serves NAF codes and divisions', async () => {
    expect((await list('nafs')).find((item) => item.code === '86.10Z')).toEqual({ code: '86.10Z', libelle: 'Activités hospitalières' })
    expect((await list('secteursActivites')).find((item) => item.code === '86')).toEqual({
      code: '86',
      libelle: 'Activités pour la santé humaine',
    })
  })

  it('serves the original pays list', async () => {
    const pays = await list('pays')
    expect(pays.find((item) => item.code === '01')).toEqual({ code: '01', libelle: 'France' })
    expect(pays.find((item) => item.code === '5S')).toEqual({ code: '5S', libelle: 'Somalie' })
  })

  it('sends Content-Range: <name> */<size>', async () => {
    const response = await t.get(`${BASE}/communes`)
    expect(response.headers['content-range']).toBe('communes */35014')
  })

  it('is case-sensitive in its names, as the original', async () => {
    expect((await t.get(`${BASE}/typescontrats`)).statusCode).toBe(404)
  })
})
