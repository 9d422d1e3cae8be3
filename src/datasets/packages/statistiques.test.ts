import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { DATA_DIR } from '../../shared/data-dir.js'
import type { CellValue, FileResource } from '../definition.js'
import { statistiquesPackage } from './statistiques.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const FIELD_ID = /^[A-Z][A-Z0-9_]*$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

const files = statistiquesPackage.resources as readonly FileResource[]

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

/** The number of records of a source file, parsed independently of the package's reader. */
function sourceCount(path: string): number {
  const records: unknown[] = parse(readFileSync(new URL(path, DATA_DIR)), {
    columns: true,
    bom: true,
    delimiter: ';',
    skip_empty_lines: true,
  })
  return records.length
}

describe('statistiques package', () => {
  it('has the original package id, unique UUIDs and well-formed fields', () => {
    expect(statistiquesPackage.id).toBe('47dbbaba-c983-47df-bd9c-eaeec14bd834')
    expect(statistiquesPackage.name).toBe('statistiques')
    expect(statistiquesPackage.frequency).toBe('mensuelle')
    const ids = [statistiquesPackage.id, ...statistiquesPackage.resources.map((item) => item.id)]
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(ids.length)
    for (const item of statistiquesPackage.resources) {
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
                : field.type === 'date'
                  ? typeof cell === 'string' && ISO_DATE.test(cell)
                  : typeof cell === 'string'
          if (!ok && problems.length < 5) problems.push(`row ${count}: ${field.id} = ${JSON.stringify(cell)}`)
        })
      }
      expect(problems).toEqual([])
      expect(count).toBe(file.expectedRows)
      expect(sourceCount(file.provenance.files[0] ?? '')).toBe(file.expectedRows)
    })
  }

  it('job seekers by bassin and sector: total and unassigned rows', async () => {
    const rows = await objects(resource('STMT_DEMANDEURS_SECTEUR_BASSIN'))
    expect(rows.reduce((total, row) => total + (row.NB_JOB_SEEKERS as number), 0)).toBe(1_886_359)
    expect(rows.filter((row) => row.CATCHMENT_AREA_CODE === null)).toHaveLength(21)
    expect(rows[0]).toEqual({ CATCHMENT_AREA_CODE: '9411', ACTIVITY_SECTION_NAME: 'Construction', NB_JOB_SEEKERS: 101 })
  })

  it('registered offers: first month, A + B + C = total, last month not published', async () => {
    const rows = await objects(resource('OFFRES_ENREGISTREES_CVS'))
    expect(rows[0]).toEqual({
      MONTH: '1996-01-01',
      NB_OFFER_CAT_A: 101_200,
      NB_OFFER_CAT_B: 50_800,
      NB_OFFER_CAT_C: 19_800,
      NB_OFFER_FRANCE_TOTAL: 171_800,
      NB_OFFER_DOM_TOTAL: 3_900,
    })
    const published = rows.filter((row) => row.NB_OFFER_FRANCE_TOTAL !== null)
    expect(published).toHaveLength(239)
    for (const row of published) {
      expect(row.NB_OFFER_FRANCE_TOTAL).toBe(
        (row.NB_OFFER_CAT_A as number) + (row.NB_OFFER_CAT_B as number) + (row.NB_OFFER_CAT_C as number),
      )
    }
    expect(rows.at(-1)).toEqual({
      MONTH: '2015-12-01',
      NB_OFFER_CAT_A: null,
      NB_OFFER_CAT_B: null,
      NB_OFFER_CAT_C: null,
      NB_OFFER_FRANCE_TOTAL: null,
      NB_OFFER_DOM_TOTAL: null,
    })
  })

  it('offers by commune and ROME: total, missing communes, extraction date', async () => {
    const file = resource('OFFRES_COMMUNE_ROME')
    const city = file.fields.findIndex((field) => field.id === 'CITY_CODE')
    const offers = file.fields.findIndex((field) => field.id === 'NB_OFFERS')
    const date = file.fields.findIndex((field) => field.id === 'EXTRACTION_DATE')
    let total = 0
    let withoutCity = 0
    const dates = new Set<CellValue>()
    const communes = new Set<CellValue>()
    for await (const row of file.rows(DATA_DIR)) {
      total += row[offers] as number
      if (row[city] === null) withoutCity += 1
      else communes.add(row[city] ?? null)
      dates.add(row[date] ?? null)
    }
    expect(total).toBe(925_168)
    expect(withoutCity).toBe(899)
    expect(communes.size).toBe(19_301)
    expect([...dates]).toEqual(['2021-12-21'])
  })
})
