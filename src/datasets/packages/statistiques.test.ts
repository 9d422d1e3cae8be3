import { describe, expect, it } from 'vitest'
import { DATA_DIR } from '../../shared/data-dir.js'
import type { CellValue } from '../definition.js'
import { statistiquesPackage } from './statistiques.js'
import { fieldIndex, fileResourcesOf, findFileResource, registerResourceChecks, rowObjectsOf } from '../../../test/support/resource-checks.js'

const files = fileResourcesOf(statistiquesPackage)

const resource = (peSource: string) => findFileResource(statistiquesPackage, { peSource })

describe('statistiques package', () => {
  it('has the original package id, its name and frequency, only file resources', () => {
    expect(statistiquesPackage.id).toBe('47dbbaba-c983-47df-bd9c-eaeec14bd834')
    expect(statistiquesPackage.name).toBe('statistiques')
    expect(statistiquesPackage.frequency).toBe('mensuelle')
    expect(files).toHaveLength(statistiquesPackage.resources.length)
  })

  registerResourceChecks(statistiquesPackage, { it, expect })

  it('job seekers by bassin and sector: total and unassigned rows', async () => {
    const rows = await rowObjectsOf(resource('STMT_DEMANDEURS_SECTEUR_BASSIN'))
    expect(rows.reduce((total, row) => total + (row.NB_JOB_SEEKERS as number), 0)).toBe(1_886_359)
    expect(rows.filter((row) => row.CATCHMENT_AREA_CODE === null)).toHaveLength(21)
    expect(rows[0]).toEqual({ CATCHMENT_AREA_CODE: '9411', ACTIVITY_SECTION_NAME: 'Construction', NB_JOB_SEEKERS: 101 })
  })

  it('registered offers: first month, A + B + C = total, last month not published', async () => {
    const rows = await rowObjectsOf(resource('OFFRES_ENREGISTREES_CVS'))
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
    const city = fieldIndex(file, 'CITY_CODE')
    const offers = fieldIndex(file, 'NB_OFFERS')
    const date = fieldIndex(file, 'EXTRACTION_DATE')
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
