import { describe, expect, it } from 'vitest'
import { imtPackage } from './imt.js'
import { fileResourcesOf, findFileResource, registerResourceChecks, rowObjectsOf, sourceRecords } from '../../../test/support/resource-checks.js'

const files = fileResourcesOf(imtPackage)

const objects = (peSource: string) => rowObjectsOf(findFileResource(imtPackage, { peSource }))

describe('imt package', () => {
  it('is the imt package, with only file resources', () => {
    expect(imtPackage.name).toBe('imt')
    expect(imtPackage.title).toBe('Informations sur le marché du travail')
    expect(files).toHaveLength(imtPackage.resources.length)
  })

  registerResourceChecks(imtPackage, { it, expect })

  it('tensions: figures as published, bassin names from the 2024 zoning', async () => {
    const rows = await objects('IMT_TENSIONS_BASSIN')
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
    const rows = await objects('DARES_SALAIRE_MEDIAN_FAP2009')
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
    const rows = await objects('ROME_NAF_EMBAUCHES')
    expect(rows[0]).toMatchObject({ ROME_PROFESSION_CARD_CODE: 'A1101', ACTIVITY_CODE: '0111Z', NB_HIRINGS: 161 })
    expect(rows.reduce((total, row) => total + (row.NB_HIRINGS as number), 0)).toBe(2_889_582)
  })
})
