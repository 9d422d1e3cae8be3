import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { computeDepartementNeighbours } from './departement-neighbours.js'
import type { GeoFeatureCollection } from './departement-neighbours.js'

const GEOJSON_URL = new URL('../../../data/geo/departements.geojson', import.meta.url)
const OVERSEAS = ['971', '972', '973', '974', '976']

describe('computeDepartementNeighbours on data/geo/departements.geojson', () => {
  let collection: GeoFeatureCollection
  let neighbours: Map<string, string[]>

  beforeAll(() => {
    collection = JSON.parse(readFileSync(GEOJSON_URL, 'utf8')) as GeoFeatureCollection
    neighbours = computeDepartementNeighbours(collection)
  })

  it('has one key per département of the file', () => {
    expect(neighbours.size).toBe(101)
    expect([...neighbours.keys()].sort()).toEqual(collection.features.map((f) => f.properties.code).sort())
  })

  it('is symmetric, irreflexive and sorted', () => {
    for (const [code, list] of neighbours) {
      expect(list).not.toContain(code)
      expect(list).toEqual([...list].sort())
      for (const other of list) expect(neighbours.get(other), `${other} -> ${code}`).toContain(code)
    }
  })

  it('gives no neighbour to the overseas départements', () => {
    for (const code of OVERSEAS) expect(neighbours.get(code), code).toEqual([])
  })

  it('gives every metropolitan département between 1 and 10 neighbours', () => {
    for (const [code, list] of neighbours) {
      if (OVERSEAS.includes(code)) continue
      expect(list.length, code).toBeGreaterThanOrEqual(1)
      expect(list.length, code).toBeLessThanOrEqual(10)
    }
  })

  it.each([
    ['75', ['92', '93', '94']],
    ['2A', ['2B']],
    ['2B', ['2A']],
    ['01', ['38', '39', '69', '71', '73', '74']],
    // 17 faces 33 across the estuary but also shares the land border north of Blaye.
    ['33', ['17', '24', '40', '47']],
    // The 04/84 and 13/83 borders reach the Durance ~0.6 km apart near Cadarache; the gap between them is
    // a Var/Vaucluse border in the IGN outlines, so 13 does not touch 04 while 83 touches 84.
    ['13', ['30', '83', '84']],
    ['83', ['04', '06', '13', '84']],
    ['84', ['04', '07', '13', '26', '30', '83']],
    ['04', ['05', '06', '26', '83', '84']],
    // Nord touches Somme for ~12 km around Gouzeaucourt / Épehy.
    ['59', ['02', '62', '80']],
    // Antony and Châtenay-Malabry (92) border Massy, Wissous and Verrières-le-Buisson (91).
    ['92', ['75', '78', '91', '93', '94', '95']],
    ['93', ['75', '77', '92', '94', '95']],
    ['94', ['75', '77', '91', '92', '93']],
    ['69', ['01', '38', '42', '71']],
    ['29', ['22', '56']],
    // Short borders: Ardèche/Isère and Ardèche/Vaucluse on the Rhône, Vosges/Belfort on the Ballon d'Alsace.
    ['07', ['26', '30', '38', '42', '43', '48', '84']],
    ['90', ['25', '68', '70', '88']],
    // Across the Seine estuary only: Calvados and Seine-Maritime are not neighbours.
    ['14', ['27', '50', '61']],
    ['76', ['27', '60', '80']],
    ['77', ['02', '10', '45', '51', '60', '89', '91', '93', '94', '95']],
  ])('%s borders exactly %j', (code, expected) => {
    expect(neighbours.get(code)).toEqual(expected)
  })
})
