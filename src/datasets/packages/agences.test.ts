import { describe, expect, it } from 'vitest'
import { agencesPackage } from './agences.js'
import { fileResourcesOf, registerResourceChecks, rowObjectsOf } from '../../../test/support/resource-checks.js'

const [resource] = fileResourcesOf(agencesPackage)
if (!resource) throw new Error('The agences package has no file resource')

/** The 63 fields of the original "Agences" resource (infotravail-contract §1.4 item 8). */
const ORIGINAL_FIELDS = [
  'ADDRESS_LINE_3',
  'ADDRESS_LINE_4',
  'ADDRESS_LINE_5',
  'ADDRESS_LINE_6',
  'AGENCY_NAME',
  'AGENCY_TYPE_CODE',
  'AGENCY_TYPE_NAME',
  'AURORE_AGENCY_CODE',
  'SAFIR_AGENCY_CODE',
  'CITY_CODE',
  'CITY_NAME',
  'POSTCODE',
  'DISTRIBUTION_OFFICE',
  'DPT_DIRECTION_NAME',
  'REG_DIRECTION_NAME',
  'EMAIL',
  'PUBLIC_PHONE_NUMBER',
  'ESTABLISHMENT_TYPE',
  'ESTABLISHMENT_TYPE_NAME',
  'LATITUDE',
  'LONGITUDE',
  'WEEKLY_NUMBER_HOURS',
  'APPT_WEEKLY_NUMBER_HOURS',
  ...['OPENING', 'CLOSING', 'APPT_OPENING', 'APPT_CLOSING'].flatMap((kind) =>
    ['MON', 'TUE', 'WED', 'THU', 'FRI'].flatMap((day) => [1, 2].map((slot) => `${kind}_HOUR_${day}_SLOT_${slot}`)),
  ),
]

/** Fields the 2019 file does not carry: null on every row. */
const ABSENT_FIELDS = [
  'ADDRESS_LINE_5',
  'ADDRESS_LINE_6',
  'AGENCY_TYPE_CODE',
  'AGENCY_TYPE_NAME',
  'DISTRIBUTION_OFFICE',
  'DPT_DIRECTION_NAME',
  'EMAIL',
  'PUBLIC_PHONE_NUMBER',
  'ESTABLISHMENT_TYPE',
  'ESTABLISHMENT_TYPE_NAME',
  'WEEKLY_NUMBER_HOURS',
  'APPT_WEEKLY_NUMBER_HOURS',
  ...ORIGINAL_FIELDS.filter((id) => id.includes('_HOUR_')),
]

describe('agences package', () => {
  it('has its name and frequency, and one file resource', () => {
    expect(agencesPackage.name).toBe('agences')
    expect(agencesPackage.frequency).toBe('hebdomadaire')
    expect(agencesPackage.resources).toEqual([resource])
  })

  registerResourceChecks(agencesPackage, { it, expect })

  it('declares every field of the original', () => {
    const ids = resource.fields.map((field) => field.id)
    expect(ORIGINAL_FIELDS).toHaveLength(63)
    for (const id of ORIGINAL_FIELDS) expect(ids).toContain(id)
    for (const id of ABSENT_FIELDS) {
      expect(resource.fields.find((field) => field.id === id)?.info.notes, id).toContain(
        'Absent des données publiées disponibles',
      )
    }
    expect(resource.fields.find((field) => field.id === 'LATITUDE')?.type).toBe('numeric')
    expect(resource.fields.find((field) => field.id === 'LONGITUDE')?.type).toBe('numeric')
  })

  it('has 959 sites; leaves absent fields null, gives coordinates to every site and a commune code where certain', async () => {
    expect(resource.expectedRows).toBe(959)
    const objects = await rowObjectsOf(resource)
    for (const id of ABSENT_FIELDS) expect(objects.every((row) => row[id] === null), id).toBe(true)
    expect(new Set(objects.map((row) => row.SITE_REFERENCE)).size).toBe(959)
    expect(objects.every((row) => row.LATITUDE !== null && row.LONGITUDE !== null)).toBe(true)
    const withCityCode = objects.filter((row) => row.CITY_CODE !== null)
    expect(withCityCode).toHaveLength(902)
    expect(withCityCode.every((row) => /^[0-9][0-9AB][0-9]{3}$/.test(String(row.CITY_CODE)))).toBe(true)
  })

  it('known sites: coordinates, codes as the original published them', async () => {
    const objects = await rowObjectsOf(resource)
    const aubusson = objects.find((row) => row.SITE_REFERENCE === 'NAQ0021005062')
    // The original (2017) had AURORE NAQ0021, SAFIR 23024, CITY_CODE 23008 for Aubusson.
    expect(aubusson).toMatchObject({
      AGENCY_NAME: 'AUBUSSON',
      AURORE_AGENCY_CODE: 'NAQ0021',
      SAFIR_AGENCY_CODE: '23024',
      CITY_CODE: '23008',
      CITY_NAME: 'AUBUSSON',
      POSTCODE: '23200',
      ADDRESS_LINE_3: null,
      ADDRESS_LINE_4: 'ESPLANADE CHARLES DE GAULLE',
      REG_DIRECTION_NAME: 'NOUVELLE-AQUITAINE',
      REG_DIRECTION_CODE: '75',
      LATITUDE: 45.955413,
      LONGITUDE: 2.165891,
      SITE_TYPE_CODE: 'ALE',
      EMAIL: null,
    })
    const peri = objects.find((row) => row.SITE_REFERENCE === 'PES0001005145')
    expect(peri).toMatchObject({
      SAFIR_AGENCY_CODE: '00310',
      ADDRESS_LINE_3: 'RESIDENCE LE BROADWAY',
      ADDRESS_COMPLEMENT: null,
      LATITUDE: 48.909987,
      LONGITUDE: 2.233133,
      CITY_CODE: '92025',
      SITE_TYPE_CODE: 'DRA',
      SITE_TYPE_NAME: 'Direction régionale',
    })
    // A CEDEX postcode does not designate a commune: no code rather than a guess.
    expect(objects.find((row) => row.SITE_REFERENCE === 'NAQ0022005605')?.CITY_CODE).toBeNull()
    const gosier = objects.find((row) => row.SITE_REFERENCE === 'GUA0182006163')
    expect(gosier).toMatchObject({ ADDRESS_LINE_4: null, REG_DIRECTION_CODE: '01', LONGITUDE: -61.493027 })
  })
})
