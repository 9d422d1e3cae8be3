import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { CellValue, FileResource, PackageDefinition, ResourceDefinition, ViewResource } from '../../src/datasets/definition.js'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import type { Database } from '../../src/storage/database.js'
import { openMemoryDatabase } from '../support/databases.js'
import { openUserSql } from '../../src/storage/datastore/open-user-sql.js'
import { prebuildDatasets } from '../../src/storage/datastore/prebuild.js'
import { PrebuiltRows, readManifest } from '../../src/storage/datastore/prebuilt.js'
import { engineVersion, SqlDatastore } from '../../src/storage/datastore/sql-datastore.js'

/**
 * The shipped datasets prebuilt in the embedded store's bulk format: written once, kept while
 * current, and loaded into a store as the very rows (full text included) a load from the
 * definitions gives; stale ones are not used.
 */

const folder = mkdtempSync(join(tmpdir(), 'openemploi-prebuilt-'))
const prebuiltFolder = pathToFileURL(`${folder}/prebuilt/`)
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const field = (id: string, type: 'text' | 'int') => ({ id, type, info: { label: id, notes: '' } })
let reads = 0
const CITIES: readonly (readonly CellValue[])[] = Array.from({ length: 30_000 }, (_, at) => [`Boulangères de la ville ${at}`, at % 7 === 0 ? null : at, at % 2 === 0 ? 'Lyon\tcentre' : 'Lille'])

const cities: FileResource = {
  kind: 'file',
  id: '11111111-2222-4333-8444-555555555555',
  name: 'Villes',
  description: '',
  peSource: 'TEST',
  peVersion: '1',
  peType: 'data',
  fields: [field('NOM', 'text'), field('N', 'int'), field('ZONE', 'text')],
  provenance: { files: [], attribution: 'Tests', date: '2026' },
  expectedRows: CITIES.length,
  rows() {
    reads++
    return CITIES
  },
}

const bigCities: ViewResource = {
  kind: 'view',
  id: '11111111-2222-4333-8444-666666666666',
  name: 'Grandes villes',
  description: '',
  peSource: 'TEST',
  peVersion: '1',
  peType: 'data',
  fields: [field('NOM', 'text'), field('N', 'int')],
  provenance: { files: [], attribution: 'Tests', date: '2026' },
  select: `select "NOM", "N" from {{${cities.id}}} where "N" > 20000`,
}

const PACKAGE: PackageDefinition = { id: '11111111-2222-4333-8444-777777777777', name: 'villes', title: 'Villes', notes: '', frequency: 'annuelle', tags: [], resources: [cities, bigCities] }

async function rowsOf(database: Database, id: string): Promise<readonly unknown[]> {
  const result = await database.readQuery(`select *, "_full_text"::text as ft from "${id}" order by "_id"`, [], { timeoutMs: 30_000 })
  return result.rows
}

async function loadInto(prebuilt: PrebuiltRows | undefined, packages: readonly PackageDefinition[] = [PACKAGE]) {
  const database = await openMemoryDatabase()
  const datastore = new SqlDatastore(database, openUserSql(database, undefined), prebuilt ? { prebuilt } : {})
  await datastore.syncShipped(packages, DATA_DIR)
  return database
}

describe('prebuilt datasets', () => {
  it('writes each resource once, and keeps what is current', async () => {
    reads = 0
    const first = await prebuildDatasets([PACKAGE], { folder: prebuiltFolder })
    expect([...first.built].sort()).toEqual([cities.id, bigCities.id].sort())
    expect(first.rows).toBe(30_000 + CITIES.filter((row) => Number(row[1]) > 20000).length)
    expect(readdirSync(new URL(prebuiltFolder)).sort()).toEqual([`${cities.id}.copy`, `${bigCities.id}.copy`, 'manifest.json'].sort())
    expect(readManifest(prebuiltFolder)?.resources[cities.id]?.rows).toBe(30_000)
    const second = await prebuildDatasets([PACKAGE], { folder: prebuiltFolder })
    expect(second.built).toEqual([])
    expect([...second.kept].sort()).toEqual([cities.id, bigCities.id].sort())
    expect(reads).toBe(1)
  }, 180_000)

  it('loads the very rows, full text included, that a load from the definitions gives, without reading them', async () => {
    const fromData = await loadInto(undefined)
    reads = 0
    const fromPrebuilt = await loadInto(new PrebuiltRows(() => engineVersion(fromData), prebuiltFolder))
    try {
      expect(reads).toBe(0)
      for (const id of [cities.id, bigCities.id]) {
        const expected = await rowsOf(fromData, id)
        expect(expected.length).toBeGreaterThan(0)
        expect(await rowsOf(fromPrebuilt, id)).toEqual(expected)
      }
      const search = await fromPrebuilt.readQuery(`select count(*)::int as n from "${cities.id}" where "_full_text" @@ plainto_tsquery('french', 'boulangère')`, [], { timeoutMs: 30_000 })
      expect(search.rows[0]?.n).toBe(30_000)
    } finally {
      await fromData.close()
      await fromPrebuilt.close()
    }
  }, 180_000)

  it('is not used when stale: another definition, or another engine', async () => {
    const changed: FileResource = { ...cities, fields: [...cities.fields.slice(0, 2), field('QUARTIER', 'text')] }
    reads = 0
    const database = await loadInto(new PrebuiltRows(() => Promise.resolve('PostgreSQL 18.7'), prebuiltFolder))
    try {
      expect(reads).toBe(1)
      const other = new PrebuiltRows(() => engineVersion(database), prebuiltFolder)
      const all = new Map<string, ResourceDefinition>([[changed.id, changed], [bigCities.id, bigCities]])
      expect(await other.find(changed, all, DATA_DIR)).toBeUndefined()
      expect(await other.find(cities, new Map<string, ResourceDefinition>([[cities.id, cities]]), DATA_DIR)).toMatchObject({ rows: 30_000 })
    } finally {
      await database.close()
    }
  }, 180_000)
})
