import { describe, expect, it } from 'vitest'
import type { FileResource, ViewResource } from '../definition.js'
import { bmoPackage } from './bmo.js'
import { FIELD_ID, fieldIndex, fileResourcesOf, findFileResource, registerResourceChecks, rowObject, rowsOf } from '../../../test/support/resource-checks.js'

const files = fileResourcesOf(bmoPackage)
const views = bmoPackage.resources.filter((resource): resource is ViewResource => resource.kind === 'view')

const resource = (name: string) => findFileResource(bmoPackage, { name })

describe('bmo package', () => {
  it('has the original package id, its name and frequency', () => {
    expect(bmoPackage.id).toBe('521b5b3e-9bcc-4e8e-b6f1-2a0a0899989a')
    expect(bmoPackage.name).toBe('bmo')
    expect(bmoPackage.frequency).toBe('annuelle')
  })

  registerResourceChecks(bmoPackage, { it, expect })

  it('BMO 2025: published sums, secret cells as null, known values', async () => {
    const bmo = resource('Résultats enquête BMO 2025')
    const rows = await rowsOf(bmo)
    const sum = (id: string) => rows.reduce((total, row) => total + ((row[fieldIndex(bmo, id)] as number | null) ?? 0), 0)
    const nulls = (id: string) => rows.filter((row) => row[fieldIndex(bmo, id)] === null).length
    // Σ met of SOURCE.md, over the published (non-secret) cells.
    expect(sum('NB_RECRUT_PROJECTS')).toBe(2_401_105)
    expect(sum('NB_DIFF_RECRUT_PROJECTS')).toBe(1_191_811)
    expect(sum('NB_SEASON_RECRUT_PROJECTS')).toBe(745_082)
    expect(nulls('NB_RECRUT_PROJECTS')).toBe(11_452)
    expect(nulls('NB_SEASON_RECRUT_PROJECTS')).toBe(36_972)
    expect(new Set(rows.map((row) => row[fieldIndex(bmo, 'FAP_CODE')])).size).toBe(217)
    expect(new Set(rows.map((row) => row[fieldIndex(bmo, 'CATCHMENT_AREA_CODE')])).size).toBe(406)
    // Codes and names as the original wrote them (bmo_infotravail.sample.csv: `2`, `AISNE`, `0101`, `HAUTS-DE-FRANCE`).
    const departements = new Set(rows.map((row) => row[fieldIndex(bmo, 'DEPARTEMENT_CODE')]))
    for (const code of ['1', '2', '2A', '2B', '971']) expect(departements).toContain(code)
    expect(departements).not.toContain('01')
    const names = new Set(rows.map((row) => `${String(row[fieldIndex(bmo, 'DEPARTEMENT_CODE')])} ${String(row[fieldIndex(bmo, 'DEPARTEMENT_NAME')])}`))
    for (const name of ['2 AISNE', '9 ARIEGE', '95 VAL-D\'OISE']) expect(names).toContain(name)
    const regions = new Set(rows.map((row) => `${String(row[fieldIndex(bmo, 'REGION_CODE')])} ${String(row[fieldIndex(bmo, 'REGION_LIB')])}`))
    for (const region of ['01 GUADELOUPE', '32 HAUTS-DE-FRANCE', '11 ILE-DE-FRANCE', '93 PROVENCE-ALPES-COTE D\'AZUR']) expect(regions).toContain(region)
    expect(rows.every((row) => /^\d{4}$/.test(String(row[fieldIndex(bmo, 'CATCHMENT_AREA_CODE')])))).toBe(true)
    expect(new Set(rows.map((row) => row[fieldIndex(bmo, 'CATCHMENT_AREA_NAME')]))).toContain('GRAND ROISSY - LE BOURGET')

    expect(rowObject(bmo, rows[0] ?? [])).toEqual({
      CATCHMENT_AREA_CODE: '0101',
      CATCHMENT_AREA_NAME: 'BASSIN BASSE-TERRE',
      PROFESSION_FAMILY_CODE: 'Z',
      PROFESSION_FAMILY_NAME: 'Autres métiers',
      FAP_CODE: 'A0X40',
      FAP_NAME: 'Agriculteurs',
      DEPARTEMENT_CODE: '971',
      DEPARTEMENT_NAME: 'GUADELOUPE',
      NB_RECRUT_PROJECTS: 227,
      NB_DIFF_RECRUT_PROJECTS: 80,
      NB_SEASON_RECRUT_PROJECTS: 128,
      REGION_CODE: '01',
      REGION_LIB: 'GUADELOUPE',
    })
    // A row whose seasonal count is secret upstream (`*`).
    const corse = rows.find(
      (row) => row[fieldIndex(bmo, 'FAP_CODE')] === 'W1X80' && row[fieldIndex(bmo, 'CATCHMENT_AREA_CODE')] === '9409',
    )
    expect(corse?.[fieldIndex(bmo, 'NB_RECRUT_PROJECTS')]).toBe(18)
    expect(corse?.[fieldIndex(bmo, 'NB_SEASON_RECRUT_PROJECTS')]).toBeNull()
  })

  it('FAP referential and crosswalk: known codes', async () => {
    const fap = resource('Référentiel des familles de métier')
    const fapRows = await rowsOf(fap)
    const a0x41a = fapRows.find((row) => row[fieldIndex(fap, 'FAP341_CODE')] === 'A0X41a')
    expect(a0x41a?.[fieldIndex(fap, 'FAP228_CODE')]).toBe('A0X41')
    expect(a0x41a?.[fieldIndex(fap, 'FAP22_CODE')]).toBe('A')

    const passage = findFileResource(bmoPackage, { peSource: 'PASSAGE_ROME_QUALIF_FAP_2021' })
    const passageRows = await rowsOf(passage)
    expect(new Set(passageRows.map((row) => row[fieldIndex(passage, 'ROME_PROFESSION_CARD_CODE')])).size).toBe(532)
    const a1101 = passageRows.find(
      (row) => row[fieldIndex(passage, 'ROME_PROFESSION_CARD_CODE')] === 'A1101' && row[fieldIndex(passage, 'QUALIFICATION_CODE')] === '0',
    )
    expect(a1101?.[fieldIndex(passage, 'FAP341_CODE')]).toBe('A0X43')
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
