import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { DATA_DIR } from '../../shared/data-dir.js'
import type { CellValue, FileResource } from '../definition.js'
import { countCsvRecords } from '../csv-rows.js'
import { romePackage } from './rome.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const FIELD_ID = /^[A-Z][A-Z0-9_]*$/

const fileResources: FileResource[] = romePackage.resources.flatMap((resource) =>
  resource.kind === 'file' ? [resource] : [],
)

/** Records of a CSV file counted independently of csv-rows.ts (whole file, synchronous parser). */
function recordCount(relativePath: string): number {
  const records: unknown[] = parse(readFileSync(new URL(relativePath, DATA_DIR)), {
    bom: true,
    columns: true,
    skip_empty_lines: true,
  })
  return records.length
}

async function collect(resource: FileResource): Promise<(readonly CellValue[])[]> {
  const rows: (readonly CellValue[])[] = []
  for await (const row of resource.rows(DATA_DIR)) rows.push(row)
  return rows
}

function resource(name: string, version: string): FileResource {
  const found = fileResources.find((r) => r.name === name && r.peVersion === version)
  if (!found) throw new Error(`No resource ${name} v${version}`)
  return found
}

function byId(id: string): FileResource {
  const found = fileResources.find((r) => r.id === id)
  if (!found) throw new Error(`No resource ${id}`)
  return found
}

/** The row whose cell of `field` is `value`, as a map field id → cell. */
async function rowWhere(res: FileResource, field: string, value: string): Promise<Record<string, CellValue>> {
  const index = res.fields.findIndex((f) => f.id === field)
  for (const row of await collect(res)) {
    if (row[index] === value) return Object.fromEntries(res.fields.map((f, i) => [f.id, row[i] ?? null]))
  }
  throw new Error(`No row with ${field} = ${value} in ${res.name} v${res.peVersion}`)
}

describe('romePackage', () => {
  it('is the rome package, quarterly, with only file resources', () => {
    expect(romePackage.name).toBe('rome')
    expect(romePackage.frequency).toBe('trimestrielle')
    expect(romePackage.notes).toMatch(/Licence Ouverte/)
    expect(romePackage.notes).toMatch(/France Travail/)
    expect(fileResources).toHaveLength(romePackage.resources.length)
  })

  it('has unique UUIDs for the package and its resources', () => {
    const ids = [romePackage.id, ...romePackage.resources.map((r) => r.id)]
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('has one resource per name and version, in versions 460 and 347 only', () => {
    const keys = fileResources.map((r) => `${r.name}@${r.peVersion}`)
    expect(new Set(keys).size).toBe(keys.length)
    for (const r of fileResources) expect(['460', '347']).toContain(r.peVersion)
    // The tables both releases have are published under the same name.
    for (const name of [
      'Référentiel des fiches métiers ROME',
      'Appellations métiers',
      'Grands domaines professionnels',
      'Domaines professionnels',
      'Compétences',
      'Items du ROME',
      'Liens fiches métiers ↔ référentiels',
      'Cohérence fiches métiers ↔ items',
      'Textes des fiches métiers',
      'Mobilités professionnelles',
    ]) {
      expect(resource(name, '460')).toBeDefined()
      expect(resource(name, '347')).toBeDefined()
    }
    expect(resource('Savoirs', '460')).toBeDefined()
    expect(resource('Contextes de travail', '460')).toBeDefined()
  })

  it('keeps the original ids and counts of the v347 resources', () => {
    const known: [string, string, number][] = [
      ['aff724e0-cb7f-4ee0-a559-740d51331736', 'Référentiel des fiches métiers ROME', 532],
      ['e5eba2a1-d8f4-4762-abc2-cb8bb00686d4', 'Grands domaines professionnels', 14],
      ['ad3b6d19-4aab-45c6-b9ea-c0a5b49b3e6e', 'Domaines professionnels', 110],
      ['bb7c0638-2bc3-41d9-93aa-75205c288509', 'Compétences', 4947],
      ['794e460b-6679-4d0b-bfea-8cf4071b4687', 'Liens fiches métiers ↔ référentiels', 42228],
    ]
    for (const [id, name, rows] of known) {
      const r = byId(id)
      expect(r.name).toBe(name)
      expect(r.peVersion).toBe('347')
      expect(r.expectedRows).toBe(rows)
    }
    const fieldIds = (id: string) => byId(id).fields.map((f) => f.id)
    expect(fieldIds('aff724e0-cb7f-4ee0-a559-740d51331736')).toEqual(
      expect.arrayContaining([
        'ROME_PROFESSION_CARD_CODE',
        'ROME_PROFESSION_CARD_NAME',
        'MAIN_PROF_AREA_NAME',
        'PROFESSIONAL_AREA_NAME',
      ]),
    )
    expect(fieldIds('bb7c0638-2bc3-41d9-93aa-75205c288509')).toEqual(expect.arrayContaining(['OGR_CODE', 'SKILL_NAME']))
    expect(fieldIds('794e460b-6679-4d0b-bfea-8cf4071b4687')).toEqual(
      expect.arrayContaining(['OGR_CODE', 'ROME_PROFESSION_CARD_CODE', 'REF_TYPE_CODE']),
    )
  })

  describe.each(fileResources.map((r) => [`${r.name} v${r.peVersion}`, r] as const))('%s', (_label, res) => {
    it('has valid metadata and fields', () => {
      expect(res.peType).toBe('reference')
      expect(res.peSource).toMatch(/^ROME_[A-Z0-9_]+$/)
      expect(res.description.length).toBeGreaterThan(20)
      expect(res.provenance.date).toBe(res.peVersion === '460' ? '2025-09' : '2022')
      expect(res.provenance.attribution).toMatch(/Licence Ouverte/)
      expect(res.provenance.attribution).toMatch(/commit [0-9a-f]{40}/)
      const folder = res.peVersion === '460' ? 'rome/' : 'rome-v3/'
      for (const file of res.provenance.files) expect(file.startsWith(folder)).toBe(true)
      const ids = res.fields.map((f) => f.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const field of res.fields) {
        expect(field.id).toMatch(FIELD_ID)
        expect(['text', 'int']).toContain(field.type)
        expect(field.info.label.length).toBeGreaterThan(0)
        expect(field.info.notes.length).toBeGreaterThan(0)
      }
    })

    it('yields as many well-formed rows as its source file has records', async () => {
      const mainFile = res.provenance.files[0] ?? ''
      const independent = recordCount(mainFile)
      expect(res.expectedRows).toBe(independent)
      expect(await countCsvRecords(new URL(mainFile, DATA_DIR))).toBe(independent)
      // Plain checks collected into one assertion: an expect per cell would take minutes.
      const problems: string[] = []
      let count = 0
      for await (const row of res.rows(DATA_DIR)) {
        count += 1
        if (row.length !== res.fields.length) problems.push(`row ${count}: ${row.length} cells`)
        res.fields.forEach((field, i) => {
          const cell = row[i]
          if (cell === null) return
          const ok = field.type === 'int' ? Number.isInteger(cell) : typeof cell === 'string' && cell !== ''
          if (!ok) problems.push(`row ${count}, ${field.id}: ${JSON.stringify(cell)}`)
        })
      }
      expect(problems.slice(0, 5)).toEqual([])
      expect(count).toBe(res.expectedRows)
    }, 60_000)
  })

  it('gives A1101 its label in both releases', async () => {
    const v347 = await rowWhere(resource('Référentiel des fiches métiers ROME', '347'), 'ROME_PROFESSION_CARD_CODE', 'A1101')
    expect(v347).toMatchObject({
      ROME_PROFESSION_CARD_NAME: "Conduite d'engins agricoles et forestiers",
      MAIN_PROF_AREA_CODE: 'A',
      PROFESSIONAL_AREA_CODE: 'A11',
      PROFESSIONAL_AREA_NAME: 'Engins agricoles et forestiers',
    })
    const v460 = await rowWhere(resource('Référentiel des fiches métiers ROME', '460'), 'ROME_PROFESSION_CARD_CODE', 'A1101')
    expect(v460).toMatchObject({
      ROME_PROFESSION_CARD_NAME: "Conducteur / Conductrice d'engins agricoles",
      MAIN_PROF_AREA_NAME: 'Agriculture et Pêche, Espaces naturels et Espaces verts, Soins aux animaux',
      OGR_CODE: '6',
      PARENT_ROME_PROFESSION_CARD_CODE: 'A1101',
      ECOLOGICAL_TRANSITION_NAME: 'Emploi Blanc',
    })
    const child = await rowWhere(resource('Référentiel des fiches métiers ROME', '460'), 'ROME_PROFESSION_CARD_CODE', 'A1102')
    expect(child.PARENT_ROME_PROFESSION_CARD_CODE).toBe('A1101')
  })

  it('leaves the OGR code of L1510 empty in v347 (absent from the code file)', async () => {
    const row = await rowWhere(resource('Référentiel des fiches métiers ROME', '347'), 'ROME_PROFESSION_CARD_CODE', 'L1510')
    expect(row.OGR_CODE).toBeNull()
    expect(row.ROME_PROFESSION_CARD_NAME).not.toBeNull()
  })

  it('restores SQL-escaped apostrophes and keeps codes as text', async () => {
    const skill = await rowWhere(resource('Compétences', '347'), 'OGR_CODE', '100010')
    expect(skill.SKILL_NAME).toBe("Utilisation d'engins forestiers")
    const texts = await collect(resource('Textes des fiches métiers', '460'))
    for (const row of texts) expect(String(row[4])).not.toContain("''")
    const appellation = await rowWhere(resource('Appellations métiers', '460'), 'OGR_CODE', '10200')
    expect(appellation).toMatchObject({
      ROME_PROFESSION_NAME: 'Abatteur / Abatteuse de carrière',
      ROME_PROFESSION_CARD_CODE: 'F1402',
      APPELLATION_TYPE_NAME: 'SYNONYME',
    })
  })
})
