import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { DATA_DIR } from '../../shared/data-dir.js'
import type { CellValue, FileResource, ViewResource } from '../definition.js'
import { bmoPackage } from './bmo.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const FIELD_ID = /^[A-Z][A-Z0-9_]*$/

const files = bmoPackage.resources.filter((resource): resource is FileResource => resource.kind === 'file')
const views = bmoPackage.resources.filter((resource): resource is ViewResource => resource.kind === 'view')

function resource(name: string): FileResource {
  const found = files.find((candidate) => candidate.name === name)
  if (!found) throw new Error(`No resource ${name}`)
  return found
}

async function allRows(file: FileResource): Promise<(readonly CellValue[])[]> {
  const rows: (readonly CellValue[])[] = []
  for await (const row of file.rows(DATA_DIR)) rows.push(row)
  return rows
}

/** Records of a source file, parsed independently of the package's reader. */
function sourceRecords(path: string, delimiter: string): Record<string, string>[] {
  return parse(readFileSync(new URL(path, DATA_DIR)), { columns: true, bom: true, delimiter, skip_empty_lines: true })
}

const DELIMITERS: Record<string, string> = {
  'bmo/bmo_2025.csv': ',',
  'bmo/dares_fap2021_nomenclature.csv': ',',
  'bmo/dares_passage_rome_qualif_fap2021.csv': ';',
}

function column(file: FileResource, id: string): number {
  const index = file.fields.findIndex((field) => field.id === id)
  if (index < 0) throw new Error(`No field ${id} in ${file.name}`)
  return index
}

describe('bmo package', () => {
  it('has the original package id and unique UUIDs', () => {
    expect(bmoPackage.id).toBe('521b5b3e-9bcc-4e8e-b6f1-2a0a0899989a')
    expect(bmoPackage.name).toBe('bmo')
    expect(bmoPackage.frequency).toBe('annuelle')
    const ids = [bmoPackage.id, ...bmoPackage.resources.map((item) => item.id)]
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('declares well-formed fields and metadata on every resource', () => {
    for (const item of bmoPackage.resources) {
      const ids = item.fields.map((field) => field.id)
      expect(new Set(ids).size, item.name).toBe(ids.length)
      for (const field of item.fields) {
        expect(field.id).toMatch(FIELD_ID)
        expect(field.info.label.length, field.id).toBeGreaterThan(0)
        expect(field.info.notes.length, field.id).toBeGreaterThan(0)
      }
      expect(item.peSource).toMatch(FIELD_ID)
      expect(['reference', 'data']).toContain(item.peType)
      expect(item.provenance.files.length).toBeGreaterThan(0)
    }
  })

  for (const file of files) {
    it(`${file.name}: rows match the source file and the declared types`, async () => {
      const source = file.provenance.files[0] ?? ''
      const records = sourceRecords(source, DELIMITERS[source] ?? ',')
      const rows = await allRows(file)
      expect(rows.length).toBe(file.expectedRows)
      expect(records.length).toBe(file.expectedRows)
      const problems: string[] = []
      rows.forEach((row, rowIndex) => {
        if (row.length !== file.fields.length) problems.push(`row ${rowIndex}: ${row.length} cells`)
        file.fields.forEach((field, index) => {
          const cell = row[index] ?? null
          if (cell === null) return
          const ok =
            field.type === 'int'
              ? Number.isInteger(cell)
              : field.type === 'numeric'
                ? typeof cell === 'number' && Number.isFinite(cell)
                : typeof cell === 'string'
          if (!ok && problems.length < 5) problems.push(`row ${rowIndex}: ${field.id} = ${JSON.stringify(cell)}`)
        })
      })
      expect(problems).toEqual([])
    })
  }

  it('BMO 2025: published sums, secret cells as null, known values', async () => {
    const bmo = resource('Résultats enquête BMO 2025')
    const rows = await allRows(bmo)
    const sum = (id: string) => rows.reduce((total, row) => total + ((row[column(bmo, id)] as number | null) ?? 0), 0)
    const nulls = (id: string) => rows.filter((row) => row[column(bmo, id)] === null).length
    // Σ met of SOURCE.md, over the published (non-secret) cells.
    expect(sum('NB_RECRUT_PROJECTS')).toBe(2_401_105)
    expect(sum('NB_DIFF_RECRUT_PROJECTS')).toBe(1_191_811)
    expect(sum('NB_SEASON_RECRUT_PROJECTS')).toBe(745_082)
    expect(nulls('NB_RECRUT_PROJECTS')).toBe(11_452)
    expect(nulls('NB_SEASON_RECRUT_PROJECTS')).toBe(36_972)
    expect(new Set(rows.map((row) => row[column(bmo, 'FAP_CODE')])).size).toBe(217)
    expect(new Set(rows.map((row) => row[column(bmo, 'CATCHMENT_AREA_CODE')])).size).toBe(406)
    expect(new Set(rows.map((row) => row[column(bmo, 'DEPARTEMENT_CODE')]))).toContain('01')

    const first = rows[0] ?? []
    const byId = Object.fromEntries(bmo.fields.map((field, index) => [field.id, first[index]]))
    expect(byId).toEqual({
      CATCHMENT_AREA_CODE: '101',
      CATCHMENT_AREA_NAME: 'BASSIN BASSE-TERRE',
      PROFESSION_FAMILY_CODE: 'Z',
      PROFESSION_FAMILY_NAME: 'Autres métiers',
      FAP_CODE: 'A0X40',
      FAP_NAME: 'Agriculteurs',
      DEPARTEMENT_CODE: '971',
      DEPARTEMENT_NAME: 'Guadeloupe',
      NB_RECRUT_PROJECTS: 227,
      NB_DIFF_RECRUT_PROJECTS: 80,
      NB_SEASON_RECRUT_PROJECTS: 128,
      REGION_CODE: '01',
      REGION_LIB: 'Guadeloupe',
    })
    // A row whose seasonal count is secret upstream (`*`).
    const corse = rows.find(
      (row) => row[column(bmo, 'FAP_CODE')] === 'W1X80' && row[column(bmo, 'CATCHMENT_AREA_CODE')] === '9409',
    )
    expect(corse?.[column(bmo, 'NB_RECRUT_PROJECTS')]).toBe(18)
    expect(corse?.[column(bmo, 'NB_SEASON_RECRUT_PROJECTS')]).toBeNull()
  })

  it('FAP referential and crosswalk: known codes', async () => {
    const fap = resource('Référentiel des familles de métier')
    const fapRows = await allRows(fap)
    const a0x41a = fapRows.find((row) => row[column(fap, 'FAP341_CODE')] === 'A0X41a')
    expect(a0x41a?.[column(fap, 'FAP228_CODE')]).toBe('A0X41')
    expect(a0x41a?.[column(fap, 'FAP22_CODE')]).toBe('A')

    const passage = files.find((file) => file.peSource === 'PASSAGE_ROME_QUALIF_FAP_2021')
    if (!passage) throw new Error('No crosswalk')
    const passageRows = await allRows(passage)
    expect(new Set(passageRows.map((row) => row[column(passage, 'ROME_PROFESSION_CARD_CODE')])).size).toBe(532)
    const a1101 = passageRows.find(
      (row) => row[column(passage, 'ROME_PROFESSION_CARD_CODE')] === 'A1101' && row[column(passage, 'QUALIFICATION_CODE')] === '0',
    )
    expect(a1101?.[column(passage, 'FAP341_CODE')]).toBe('A0X43')
  })

  it('the ROME view names only existing resources and columns', () => {
    expect(views).toHaveLength(1)
    const view = views[0]
    if (!view) throw new Error('No view')
    const sql = view.select
    expect(sql.trim().toUpperCase().startsWith('SELECT')).toBe(true)
    expect(sql).not.toContain(';')

    // Every {{id}} is a file resource of this package, each bound to an alias.
    const aliases = new Map<string, FileResource>()
    for (const match of sql.matchAll(/\{\{([^}]+)\}\}\s+AS\s+(\w+)/g)) {
      const target = files.find((file) => file.id === match[1])
      expect(target, match[1]).toBeDefined()
      if (target) aliases.set(match[2] ?? '', target)
    }
    expect([...sql.matchAll(/\{\{([^}]+)\}\}/g)].length).toBe(aliases.size)
    expect(aliases.size).toBe(3)

    // Columns read from a resource alias exist in that resource; the derived table `p` only
    // exposes columns selected from the resources.
    const allFieldIds = new Set(files.flatMap((file) => file.fields.map((field) => field.id)))
    for (const match of sql.matchAll(/(\w+)\."([^"]+)"/g)) {
      const [, alias = '', name = ''] = match
      const target = aliases.get(alias)
      if (target) expect(target.fields.map((field) => field.id), `${alias}.${name}`).toContain(name)
      else expect(allFieldIds.has(name), `${alias}.${name}`).toBe(true)
    }

    // The outer select list is the view's fields, in order.
    const outer = sql.slice(0, sql.indexOf('FROM'))
    const selected = [...outer.matchAll(/\w+\."([^"]+)"/g)].map((match) => match[1])
    expect(selected).toEqual(view.fields.map((field) => field.id))
    for (const field of view.fields) expect(field.id).toMatch(FIELD_ID)
    expect(view.fields.find((field) => field.id === 'NB_RECRUT_PROJECTS')?.info.notes).toMatch(/répété/)
  })
})
