import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { DATA_DIR } from '../../shared/data-dir.js'
import type { CellValue, FileResource } from '../definition.js'
import { agencesPackage } from './agences.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const FIELD_ID = /^[A-Z][A-Z0-9_]*$/

const resource = agencesPackage.resources[0] as FileResource

async function allRows(file: FileResource): Promise<(readonly CellValue[])[]> {
  const rows: (readonly CellValue[])[] = []
  for await (const row of file.rows(DATA_DIR)) rows.push(row)
  return rows
}

function asObject(row: readonly CellValue[]): Record<string, CellValue> {
  return Object.fromEntries(resource.fields.map((field, index) => [field.id, row[index] ?? null]))
}

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
  it('has unique UUIDs, its name and frequency', () => {
    expect(agencesPackage.name).toBe('agences')
    expect(agencesPackage.frequency).toBe('hebdomadaire')
    expect(agencesPackage.resources).toHaveLength(1)
    const ids = [agencesPackage.id, ...agencesPackage.resources.map((item) => item.id)]
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('declares every field of the original, with unique UPPER_CASE ids', () => {
    const ids = resource.fields.map((field) => field.id)
    expect(ORIGINAL_FIELDS).toHaveLength(63)
    for (const id of ORIGINAL_FIELDS) expect(ids).toContain(id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const field of resource.fields) {
      expect(field.id).toMatch(FIELD_ID)
      expect(field.info.label.length, field.id).toBeGreaterThan(0)
      expect(field.info.notes.length, field.id).toBeGreaterThan(0)
    }
    for (const id of ABSENT_FIELDS) {
      expect(resource.fields.find((field) => field.id === id)?.info.notes, id).toContain(
        'Absent des données publiées disponibles',
      )
    }
    expect(resource.fields.find((field) => field.id === 'LATITUDE')?.type).toBe('numeric')
    expect(resource.fields.find((field) => field.id === 'LONGITUDE')?.type).toBe('numeric')
  })

  it('yields one row per source record, cells of the declared types', async () => {
    const records: Record<string, string>[] = parse(readFileSync(new URL('agences/pole_emploi_agencies.csv', DATA_DIR)), {
      columns: true,
      bom: true,
      skip_empty_lines: true,
    })
    const rows = await allRows(resource)
    expect(rows.length).toBe(959)
    expect(records.length).toBe(959)
    expect(resource.expectedRows).toBe(959)
    const problems: string[] = []
    for (const row of rows) {
      if (row.length !== resource.fields.length) problems.push(`length ${row.length}`)
      resource.fields.forEach((field, index) => {
        const cell = row[index] ?? null
        if (cell === null) return
        if (field.type === 'numeric' && !(typeof cell === 'number' && Number.isFinite(cell))) problems.push(field.id)
        if (field.type === 'text' && typeof cell !== 'string') problems.push(field.id)
      })
    }
    expect(problems).toEqual([])

    const objects = rows.map(asObject)
    for (const id of ABSENT_FIELDS) expect(objects.every((row) => row[id] === null), id).toBe(true)
    expect(new Set(objects.map((row) => row.SITE_REFERENCE)).size).toBe(959)
    expect(objects.every((row) => row.LATITUDE !== null && row.LONGITUDE !== null)).toBe(true)
    const withCityCode = objects.filter((row) => row.CITY_CODE !== null)
    expect(withCityCode).toHaveLength(902)
    expect(withCityCode.every((row) => /^[0-9][0-9AB][0-9]{3}$/.test(String(row.CITY_CODE)))).toBe(true)
  })

  it('known sites: coordinates, codes as the original published them', async () => {
    const objects = (await allRows(resource)).map(asObject)
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
