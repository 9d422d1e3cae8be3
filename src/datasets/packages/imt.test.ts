import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { DATA_DIR } from '../../shared/data-dir.js'
import type { CellValue, FileResource } from '../definition.js'
import { imtPackage } from './imt.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const FIELD_ID = /^[A-Z][A-Z0-9_]*$/

const files = imtPackage.resources as readonly FileResource[]

function resource(peSource: string): FileResource {
  const found = files.find((candidate) => candidate.peSource === peSource)
  if (!found) throw new Error(`No resource ${peSource}`)
  return found
}

async function objects(file: FileResource): Promise<Record<string, CellValue>[]> {
  const rows: Record<string, CellValue>[] = []
  for await (const row of file.rows(DATA_DIR)) {
    rows.push(Object.fromEntries(file.fields.map((field, index) => [field.id, row[index] ?? null])))
  }
  return rows
}

/** Records of a source file, parsed independently of the package's reader. */
function sourceRecords(path: string): Record<string, string>[] {
  const delimiter = path.endsWith('rome_naf_mapping.csv') ? ',' : ';'
  return parse(readFileSync(new URL(path, DATA_DIR)), { columns: true, bom: true, delimiter, skip_empty_lines: true })
}

describe('imt package', () => {
  it('has unique UUIDs and well-formed fields', () => {
    expect(imtPackage.name).toBe('imt')
    expect(imtPackage.title).toBe('Informations sur le marché du travail')
    const ids = [imtPackage.id, ...imtPackage.resources.map((item) => item.id)]
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(ids.length)
    for (const item of imtPackage.resources) {
      expect(item.kind).toBe('file')
      expect(item.peSource).toMatch(FIELD_ID)
      const fieldIds = item.fields.map((field) => field.id)
      expect(new Set(fieldIds).size, item.name).toBe(fieldIds.length)
      for (const field of item.fields) {
        expect(field.id).toMatch(FIELD_ID)
        expect(field.info.label.length, field.id).toBeGreaterThan(0)
        expect(field.info.notes.length, field.id).toBeGreaterThan(0)
      }
    }
  })

  for (const file of files) {
    it(`${file.name}: one row per source record, cells of the declared types`, async () => {
      const source = file.provenance.files[0] ?? ''
      const records = sourceRecords(source)
      let count = 0
      const problems: string[] = []
      for await (const row of file.rows(DATA_DIR)) {
        count += 1
        if (row.length !== file.fields.length) problems.push(`row ${count}: ${row.length} cells`)
        file.fields.forEach((field, index) => {
          const cell = row[index] ?? null
          if (cell === null) return
          const ok =
            field.type === 'int'
              ? Number.isInteger(cell)
              : field.type === 'numeric'
                ? typeof cell === 'number' && Number.isFinite(cell)
                : typeof cell === 'string'
          if (!ok) problems.push(`row ${count}: ${field.id} = ${JSON.stringify(cell)}`)
        })
      }
      expect(problems.slice(0, 5)).toEqual([])
      expect(count).toBe(file.expectedRows)
      expect(records.length).toBe(file.expectedRows)
    })
  }

  it('tensions: figures as published, bassin names from the 2024 zoning', async () => {
    const file = resource('IMT_TENSIONS_BASSIN')
    const rows = await objects(file)
    expect(rows[0]).toEqual({
      ROME_PROFESSION_CARD_CODE: 'A1101',
      AREA_TYPE_CODE: 'B',
      AREA_CODE: '0203',
      AREA_NAME: 'MARTINIQUE SUD',
      NB_OFFER_AVERAGE: 16.61538462,
      NB_APPLICATION_AVERAGE: 28.25,
      TENSION_CLASS: 5,
      HIRING_INTENSITY_CLASS: 5,
      LABOUR_SHORTAGE_CLASS: 1,
      JOB_INSTABILITY_CLASS: 5,
      WORKING_CONDITIONS_CLASS: 4,
      GEOGRAPHIC_MISMATCH_CLASS: 4,
      TRAINING_LINK_CLASS: 5,
    })
    expect(rows.every((row) => row.AREA_TYPE_CODE === 'B')).toBe(true)
    expect(new Set(rows.map((row) => row.AREA_CODE)).size).toBe(403)
    expect(new Set(rows.filter((row) => row.AREA_NAME === null).map((row) => row.AREA_CODE))).toEqual(
      new Set(['0102', '7549']),
    )
    expect(rows.filter((row) => row.TRAINING_LINK_CLASS === null)).toHaveLength(10)
    // Sums equal those of the source, decimal commas read independently.
    const records = sourceRecords('marche-travail/cities-tension-utf8.csv')
    const sourceSum = (header: string) => records.reduce((total, record) => total + Number(record[header]?.replace(',', '.')), 0)
    const sum = (id: string) => rows.reduce((total, row) => total + (row[id] as number), 0)
    expect(sum('NB_OFFER_AVERAGE')).toBeCloseTo(sourceSum('oee'), 6)
    expect(sum('NB_APPLICATION_AVERAGE')).toBeCloseTo(sourceSum('defm_abc'), 6)
  })

  it('salaries: known medians, `nd` as null', async () => {
    const rows = await objects(resource('DARES_SALAIRE_MEDIAN_FAP2009'))
    expect(rows.find((row) => row.FAP_CODE === 'A0Z40' && row.PERIOD === '2017-2019')).toEqual({
      FAP_CODE: 'A0Z40',
      FAP_NAME: 'Agriculteurs salariés',
      PERIOD: '2017-2019',
      MEDIAN_SALARY: 1400,
    })
    expect(rows.find((row) => row.FAP_CODE === 'Ensemble' && row.PERIOD === '2017-2019')).toMatchObject({
      FAP_NAME: null,
      MEDIAN_SALARY: 1841,
    })
    expect(rows.filter((row) => row.MEDIAN_SALARY === null)).toHaveLength(3)
  })

  it('hirings: known value and total', async () => {
    const rows = await objects(resource('ROME_NAF_EMBAUCHES'))
    expect(rows[0]).toMatchObject({ ROME_PROFESSION_CARD_CODE: 'A1101', ACTIVITY_CODE: '0111Z', NB_HIRINGS: 161 })
    expect(rows.reduce((total, row) => total + (row.NB_HIRINGS as number), 0)).toBe(2_889_582)
  })
})
