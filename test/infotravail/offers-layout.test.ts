import { readFileSync } from 'node:fs'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOfferFile } from '../../src/ingest/offer-file.js'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import { appStores } from '../support/databases.js'
import { createTestApp } from '../support/test-app.js'
import { actionUrl, DEPOT, IDS, OFFRES, offerDeposit, okResult, type SearchResult } from './fixtures.js'

/**
 * The anonymised offers in the original Infotravail's layout (issue 13): its 128 columns and
 * formats, computed from the live offers, on the embedded store and, where TEST_DATABASE_URL names
 * a server, on PostgreSQL.
 */

/** The original's header and formats (a dump of the resource, see the fixture's SOURCE.md). */
const SAMPLE = new URL('../fixtures/infotravail/offres_emploi.sample.csv', import.meta.url)
const FIXTURE = new URL('../fixtures/offres/offres-appellation-404939-178.json', import.meta.url)
const ORIGINAL = 'e49af0f2-8d00-4a54-9124-2f4107efa810'
const CONTRACT_TYPES = '7c1f5e2a-3b4d-4e6f-8a9b-0c1d2e3f4a51'
const CONTRACT_TYPES_SAMPLE = new URL('../fixtures/infotravail/imt_types_contrats.sample.csv', import.meta.url)

/** The original's IMT category of an offer's contract: 01 CDI, 02 CDD ≤ 3 months, 03 beyond, 04 temporary work. */
function category(offer: { typeContrat: string; typeContratLibelle?: string }): string | undefined {
  if (offer.typeContrat === 'CDI') return '01'
  if (offer.typeContrat === 'MIS') return '04'
  const months = /- (\d+) Mois$/.exec(offer.typeContratLibelle ?? '')?.[1]
  if (offer.typeContrat !== 'CDD' || months === undefined) return undefined
  return Number(months) <= 3 ? '02' : '03'
}

/** Columns no offer of the service holds: empty in every row, never invented. */
const NOT_HELD = [
  'CONTINENT_CODE', 'CONTINENT_NAME', 'DESKTOP_TOOLS_CODE_1', 'DESKTOP_TOOLS_LEV_CODE_1', 'EMPLOYER_CONSENT', 'EM_INTERVIEW_MODALITY_CODE',
  'EXPERIENCE_MAX_DURATION', 'FLAG_RELATION', 'LANG_PROFICIENCY_CODE_1', 'MONITORING_AGENCY_CODE', 'NB_VACANCIES_LEFT', 'NUMBER_OF_APPLICATION',
  'ROME_LIST_ACTIVITY_CODE', 'ROME_LIST_WORK_ENV_CODE', 'SERVICE_TYPE_CODE', 'SUB_CONTINENT_CODE', 'TRAVEL_TYPE_CODE', 'WORKING_CONDITION_CODE',
]

/** The store a suite runs on: what it needs to call the API, import offers and deposit them. */
interface Store {
  get(url: string, options?: { method?: 'POST' | 'DELETE'; payload?: string }): Promise<LightMyRequestResponse>
  importFixture(): Promise<void>
  close(): Promise<void>
}

/** The application on the embedded store, and on a PostgreSQL schema of its own where TEST_DATABASE_URL is set. */
async function openStore(databaseUrl: string | undefined): Promise<Store> {
  const t = await createTestApp(databaseUrl ? { databaseUrl } : {})
  await t.reload()
  await t.datastore.syncShipped([OFFRES], DATA_DIR)
  t.infotravail.invalidate()
  return {
    get: (url, options = {}) => t.get(url, { ...options, ...(options.payload ? { headers: { 'content-type': 'application/json' } } : {}) }),
    async importFixture() {
      expect(await t.importAndReload(readOfferFile(FIXTURE.pathname), ['404939'])).toMatchObject({ created: 178, rejected: 0 })
    },
    close: () => t.close(),
  }
}

const STORES = appStores().map(({ name, databaseUrl }) => ({ name, open: () => openStore(databaseUrl) }))

describe.each(STORES)('the original’s offers layout ($name)', ({ open }) => {
  let store: Store
  beforeAll(async () => {
    store = await open()
    await store.importFixture()
  })
  afterAll(() => store.close())

  const search = async (params: Record<string, unknown> = {}) =>
    okResult<SearchResult>(await store.get(actionUrl('datastore_search', { resource_id: ORIGINAL, limit: 32000, ...params })), 'datastore_search')

  // CKAN 2.11 datastore_search (backend/postgres.py `_get_fields`): `fields` lists `_id`, then the
  // table's columns in order, leaving out the other `_`-prefixed (internal) columns, as the
  // hidden `_offer_id` here; its dump (writer.py) heads the CSV with the same ids.
  it('has exactly the original’s 128 columns, in its order, and no offer id', async () => {
    const header = readFileSync(SAMPLE, 'utf8').split(/\r?\n/)[0]?.split(',') ?? []
    expect(header).toHaveLength(128)
    const result = await search({ limit: 1 })
    expect(result.fields.map((field) => field.id)).toEqual(['_id', ...header])
    expect(Object.keys(result.records[0] ?? {}).sort()).toEqual(['_id', ...header].sort())
    const dumped = (await store.get(`/datastore/dump/${ORIGINAL}`)).body.split(/\r?\n/)[0] ?? ''
    expect(dumped.replace(/^\uFEFF/, '').split(',')).toEqual(['_id', ...header])
  })

  // CKAN 2.11 package_show: `resources` in their position order.
  it('is listed first in the offres package under the original’s name, the compact table after it, described as such', async () => {
    const pkg = okResult<{ resources: { id: string; name: string; description: string }[] }>(await store.get(actionUrl('package_show', { id: 'offres' })), 'package_show')
    expect(pkg.resources.map((resource) => resource.id)).toEqual([ORIGINAL, IDS.offers, IDS.offerCounts, CONTRACT_TYPES])
    expect(pkg.resources[0]?.name).toBe('Offres d’emploi')
    expect(pkg.resources[1]?.description).toMatch(/format compact/)
  })

  // CKAN 2.11 datastore_search with `filters` (equality on a column): the rows whose column equals the value.
  it('gives a known offer’s values in the original’s formats (dates jj/mm/aa, flags O/N, codes as text)', async () => {
    const found = await search({ filters: { CITY_CODE: '69382', ROME_PROFESSION_CARD_CODE: 'K2403', CONTRACT_TYPE_CODE: 'CDI', CREATION_DATE: '21/11/24' } })
    expect(found.total).toBe(1)
    // Fixture offer 184LLRN: Lyon 2e, CDI, annual salary 30,000–36,000 €, English and French, travels.
    expect(found.records[0]).toMatchObject({
      ACTIVITY_CODE: '7022Z',
      ANNUAL_MAXIMUM_SALARY: 36000,
      ANNUAL_MINIMUM_SALARY: 30000,
      CITY_CODE: '69382',
      CITY_NAME: 'LYON 02',
      CONTRACT_DURATION: null,
      CONTRACT_NATURE_CODE: 'E1',
      CONTRACT_NATURE_NAME: 'Contrat travail',
      CONTRACT_TYPE_CODE: 'CDI',
      CONTRACT_TYPE_NAME: 'Contrat à durée indéterminée',
      COUNTRY_CODE: '01',
      COUNTRY_NAME: 'FRANCE',
      CREATION_DATE: '21/11/24',
      DEGREE_DIPLOMA_NAME_1: 'Master, ENSAI, ENSAE, ISUP',
      DEGREE_REQUIRED_CODE_1: 'E',
      DEGREE_REQUIRED_NAME_1: 'exigé',
      DEGREE_SUBJECT_AREA_CODE_1: '11036',
      DEGREE_SUBJECT_AREA_NAME_1: 'statistique',
      DEGREE_TYPE_CODE_1: 'NV1',
      DEGREE_TYPE_NAME_1: 'Bac+5 et plus ou équivalents',
      DEGREE_TYPE_CODE_2: null,
      DEPARTEMENT_CODE: '69',
      DEPARTEMENT_NAME: 'RHONE',
      DISABLED_ACCESSIBILITY: 'N',
      EXPERIENCE_CODE: 'D',
      EXPERIENCE_NAME: 'Débutant accepté',
      EXPERIENCE_MIN_DURATION: null,
      LANG_CODE_1: 'EN',
      LANG_NAME_1: 'Anglais',
      LANG_REQUIRED_CODE_1: 'E',
      LANG_REQUIRED_NAME_1: 'exigé',
      LANG_CODE_2: 'FR',
      LANG_NAME_2: 'Français',
      LATITUDE: 45.750351,
      LONGITUDE: 4.826148,
      MAXIMUM_SALARY: 36000,
      MINIMUM_SALARY: 30000,
      MODIFICATION_DATE: '22/11/24',
      NB_MONTH_SALARY: 12,
      NB_VACANCIES_CREATION: 1,
      POSTCODE: '69002',
      QUALIFICATION_CODE: '9',
      QUALIFICATION_NAME: 'Cadre',
      REGION_CODE: '84',
      REGION_NAME: 'Auvergne Rhone Alpes',
      ROME_LIST_SKILL_CODE: '101315;404551;404560;300067;108784;404810;404806;124523',
      ROME_PROFESSION_CARD_CODE: 'K2403',
      ROME_PROFESSION_CODE: '404939',
      SALARY_SUPPLEMENT_CODE_1: null,
      SALARY_SUPPLEMENT_NAME_1: 'Chèque repas',
      SALARY_SUPPLEMENT_NAME_2: 'Primes',
      SALARY_TYPE_CODE: 'A',
      SALARY_TYPE_NAME: 'Annuel',
      SALARY_UNIT_CODE: 'EU',
      STATUS_CODE: 'EC',
      STATUS_NAME: 'En cours',
      TRAVEL_FREQUENCY_CODE: '2',
      TRAVEL_FREQUENCY_NAME: 'Ponctuels',
      TRAVEL_TYPE_NAME: 'Zone nationale',
      WAGE_UNIT_NAME: 'Euros',
      WEEKLY_WORKING_HOURS: 38,
      WEEKLY_WORKING_MINUTES: 30,
      WORKING_HOURS_TYPE_CODE: null,
      WORKING_HOURS_TYPE_NAME: 'Travail en journée',
      WORKING_LOCATION_NAME: 'LYON 02',
      WORKING_LOCATION_TYPE_CODE: 'CO',
      WORKING_LOCATION_TYPE_NAME: 'Une commune',
    })
  })

  // CKAN 2.11 datastore_search with `filters` and without `sort`: the matching rows in `_id` order, `total` counting them.
  it('places an offer given only its region in that region, in France; fills no column an offer does not hold', async () => {
    const regional = await search({ filters: { CREATION_DATE: '21/11/24', REGION_CODE: '75' } })
    expect(regional.records.some((record) => record.DEPARTEMENT_CODE === null && record.COUNTRY_CODE === '01' && record.REGION_NAME === 'Nouvelle Aquitaine')).toBe(true)
    const all = await search()
    expect(all.total).toBe(178)
    for (const record of all.records) {
      for (const id of NOT_HELD) expect(record[id], id).toBeNull()
      expect(record.CREATION_DATE).toMatch(/^\d{2}\/\d{2}\/\d{2}$/)
      expect(record.MODIFICATION_DATE).toMatch(/^\d{2}\/\d{2}\/\d{2}$/)
      expect(['O', 'N']).toContain(record.DISABLED_ACCESSIBILITY)
    }
  })

  // CKAN 2.11 datastore_search on a resource: `fields` then `records`, every row of the view here.
  it('gives the IMT « Types de contrats » layout, counted from the active offers by département and region', async () => {
    const header = readFileSync(CONTRACT_TYPES_SAMPLE, 'utf8').split(/\r?\n/)[0]?.split(',') ?? []
    const result = okResult<SearchResult>(await store.get(actionUrl('datastore_search', { resource_id: CONTRACT_TYPES, limit: 32000 })), 'datastore_search')
    expect(result.fields.map((field) => field.id)).toEqual(['_id', ...header])
    // Brute force over the fixture: offers per département × ROME × category.
    const source = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { romeCode: string; typeContrat: string; typeContratLibelle?: string; lieuTravail?: { commune?: string; libelle?: string } }[]
    const expected = new Map<string, number>()
    for (const offer of source) {
      const commune = offer.lieuTravail?.commune
      // The département of the commune, or the one a label names alone ("94", "94 - CRETEIL").
      const departement = commune === undefined ? /^(\d{2}|2[AB])(?: - |$)/.exec(offer.lieuTravail?.libelle ?? '')?.[1] : commune.startsWith('97') ? commune.slice(0, 3) : commune.slice(0, 2)
      const code = category(offer)
      if (departement === undefined || code === undefined) continue
      const key = [departement, offer.romeCode, code].join(' ')
      expected.set(key, (expected.get(key) ?? 0) + 1)
    }
    const departements = result.records.filter((record) => record.AREA_TYPE_CODE === 'D')
    expect(new Map(departements.map((record) => [[record.AREA_CODE, record.ROME_PROFESSION_CARD_CODE, record.CONTRACT_TYPE_CODE].join(' '), record.NB_OFFERS]))).toEqual(expected)
    expect(departements.find((record) => record.AREA_CODE === '69')).toMatchObject({ AREA_NAME: 'RHONE', AREA_TYPE_NAME: 'Département' })
    const regions = result.records.filter((record) => record.AREA_TYPE_CODE === 'R')
    // Regions count the same offers, and those the fixture places in a whole region.
    const regional = source.filter((offer) => category(offer) !== undefined && ['Nouvelle-Aquitaine', 'Hauts-de-France'].includes(offer.lieuTravail?.libelle ?? '')).length
    expect(regional).toBeGreaterThan(0)
    expect(regions.reduce((sum, record) => sum + Number(record.NB_OFFERS), 0)).toBe([...expected.values()].reduce((sum, count) => sum + count, 0) + regional)
    expect(regions.find((record) => record.AREA_CODE === '84')).toMatchObject({ AREA_NAME: 'AUVERGNE RHONE ALPES', AREA_TYPE_NAME: 'Région' })
    const shares = new Map<string, number>()
    for (const record of result.records) {
      const key = `${String(record.AREA_TYPE_CODE)} ${String(record.AREA_CODE)} ${String(record.ROME_PROFESSION_CARD_CODE)}`
      shares.set(key, (shares.get(key) ?? 0) + Number(record.OFFERS_PERCENT))
    }
    for (const [key, total] of shares) expect(Math.abs(total - 100), key).toBeLessThanOrEqual(0.02)
  })

  // CKAN 2.11 datastore_search reads the table as it is at the call: a row written before it is found.
  it('shows a deposit in the next search and drops it once closed, as the compact table does', async () => {
    const deposited = await store.get(DEPOT, { method: 'POST', payload: JSON.stringify(offerDeposit({ romeCode: 'H2902', typeContrat: 'MIS', lieuTravail: { commune: '97411' } })) })
    expect(deposited.statusCode, deposited.body).toBe(201)
    const { id } = deposited.json<{ id: string }>()
    const filters = { ROME_PROFESSION_CARD_CODE: 'H2902', CITY_CODE: '97411' }
    const found = await search({ filters })
    expect(found.total).toBe(1)
    expect(found.records[0]).toMatchObject({ CONTRACT_TYPE_CODE: 'MIS', DEPARTEMENT_CODE: '974', DEPARTEMENT_NAME: 'LA REUNION', REGION_CODE: '04', REGION_NAME: 'La Reunion', STATUS_CODE: 'EC' })
    expect(JSON.stringify(found.records)).not.toContain(id)
    expect((await search({ limit: 0 })).total).toBe(179)

    const closed = await store.get(`${DEPOT}/${id}?raison=pourvue`, { method: 'DELETE' })
    expect(closed.statusCode, closed.body).toBe(204)
    expect((await search({ filters })).total).toBe(0)
    expect((await search({ limit: 0 })).total).toBe(178)
  })
})
