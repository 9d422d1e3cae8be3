import { describe, expect, it } from 'vitest'
import { DATA_DIR } from '../../shared/data-dir.js'
import type { CellValue, FileResource } from '../definition.js'
import { countCsvRecords } from '../csv-rows.js'
import { romePackage } from './rome.js'
import { fieldIndex, fileResourcesOf, findFileResource, registerResourceChecks, rowObject, rowsOf } from '../../../test/support/resource-checks.js'

const fileResources = fileResourcesOf(romePackage)

function resource(name: string, peVersion: string): FileResource {
  return findFileResource(romePackage, { name, peVersion })
}

function byId(id: string): FileResource {
  return findFileResource(romePackage, { id })
}

/** The row whose cell of `field` is `value`, as a map field id → cell. */
async function rowWhere(res: FileResource, field: string, value: string): Promise<Record<string, CellValue>> {
  const index = fieldIndex(res, field)
  for (const row of await rowsOf(res)) {
    if (row[index] === value) return rowObject(res, row)
  }
  throw new Error(`No row with ${field} = ${value} in ${res.name} v${res.peVersion}`)
}

/** The row of a fiche in the fiche referential of a release. */
function fiche(peVersion: string, code: string): Promise<Record<string, CellValue>> {
  return rowWhere(resource('Référentiel des fiches métiers ROME', peVersion), 'ROME_PROFESSION_CARD_CODE', code)
}

describe('romePackage', () => {
  it('is the rome package, quarterly, with only file resources', () => {
    expect(romePackage.name).toBe('rome')
    expect(romePackage.frequency).toBe('trimestrielle')
    expect(romePackage.notes).toMatch(/Licence Ouverte/)
    expect(romePackage.notes).toMatch(/France Travail/)
    expect(fileResources).toHaveLength(romePackage.resources.length)
  })

  registerResourceChecks(romePackage, { it, expect })

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
    it('has the metadata and field types of a ROME referential', () => {
      expect(res.peType).toBe('reference')
      expect(res.peSource).toMatch(/^ROME_[A-Z0-9_]+$/)
      expect(res.description.length).toBeGreaterThan(20)
      expect(res.provenance.date).toBe(res.peVersion === '460' ? '2025-09' : '2022')
      expect(res.provenance.attribution).toMatch(/Licence Ouverte/)
      expect(res.provenance.attribution).toMatch(/commit [0-9a-f]{40}/)
      const folder = res.peVersion === '460' ? 'rome/' : 'rome-v3/'
      for (const file of res.provenance.files) expect(file.startsWith(folder)).toBe(true)
      for (const field of res.fields) expect(['text', 'int']).toContain(field.type)
    })

    it('has expectedRows as countCsvRecords counts them', async () => {
      // expectedRows is fixed with countCsvRecords; the generic checks compare it with an independent parser.
      expect(await countCsvRecords(new URL(res.provenance.files[0] ?? '', DATA_DIR))).toBe(res.expectedRows)
    })
  })

  it('gives A1101 its label in both releases', async () => {
    expect(await fiche('347', 'A1101')).toMatchObject({
      ROME_PROFESSION_CARD_NAME: "Conduite d'engins agricoles et forestiers",
      MAIN_PROF_AREA_CODE: 'A',
      PROFESSIONAL_AREA_CODE: 'A11',
      PROFESSIONAL_AREA_NAME: 'Engins agricoles et forestiers',
    })
    expect(await fiche('460', 'A1101')).toMatchObject({
      ROME_PROFESSION_CARD_NAME: "Conducteur / Conductrice d'engins agricoles",
      MAIN_PROF_AREA_NAME: 'Agriculture et Pêche, Espaces naturels et Espaces verts, Soins aux animaux',
      OGR_CODE: '6',
      PARENT_ROME_PROFESSION_CARD_CODE: 'A1101',
      ECOLOGICAL_TRANSITION_NAME: 'Emploi Blanc',
    })
    expect((await fiche('460', 'A1102')).PARENT_ROME_PROFESSION_CARD_CODE).toBe('A1101')
  })

  it('leaves the OGR code of L1510 empty in v347 (absent from the code file)', async () => {
    const row = await fiche('347', 'L1510')
    expect(row.OGR_CODE).toBeNull()
    expect(row.ROME_PROFESSION_CARD_NAME).not.toBeNull()
  })

  it('restores SQL-escaped apostrophes and keeps codes as text', async () => {
    const skill = await rowWhere(resource('Compétences', '347'), 'OGR_CODE', '100010')
    expect(skill.SKILL_NAME).toBe("Utilisation d'engins forestiers")
    const texts = await rowsOf(resource('Textes des fiches métiers', '460'))
    for (const row of texts) expect(String(row[4])).not.toContain("''")
    const appellation = await rowWhere(resource('Appellations métiers', '460'), 'OGR_CODE', '10200')
    expect(appellation).toMatchObject({
      ROME_PROFESSION_NAME: 'Abatteur / Abatteuse de carrière',
      ROME_PROFESSION_CARD_CODE: 'F1402',
      APPELLATION_TYPE_NAME: 'SYNONYME',
    })
  })
})
