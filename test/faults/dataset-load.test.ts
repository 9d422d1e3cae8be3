import { randomBytes, randomUUID } from 'node:crypto'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import type { CellValue, FileResource, PackageDefinition } from '../../src/datasets/definition.js'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import { openDatabase } from '../../src/storage/database.js'
import { openUserSql } from '../../src/storage/datastore/open-user-sql.js'
import { SqlDatastore } from '../../src/storage/datastore/sql-datastore.js'
import { createPostgresSchema } from '../support/databases.js'

/**
 * A dataset load that PostgreSQL cuts (the loader's connection ended midway) is done again by
 * itself once the store answers, from its start; meanwhile the previous table is served intact.
 */

const url = process.env.TEST_DATABASE_URL

describe.skipIf(!url)('a dataset load cut by PostgreSQL', () => {
  it('keeps the previous table, then loads the resource again and completes the sync', async () => {
    if (!url) return
    const schema = await createPostgresSchema(url)
    const name = `oe_load_${randomBytes(5).toString('hex')}`
    const named = new URL(schema.url)
    named.searchParams.set('application_name', name)
    const database = await openDatabase({ url: named.toString(), dataDir: 'unused' })
    const reader = new pg.Client({ connectionString: schema.url, application_name: `${name}_reader` })
    await reader.connect()
    const resourceId = randomUUID()
    const packageId = randomUUID()
    const servedRows = async () => (await reader.query<{ nom: string }>(`select nom from "${resourceId}" order by _id`)).rows.map((row) => row.nom)
    const stagingExists = async () => (await reader.query(`select from pg_class where relname = $1 and relnamespace = current_schema()::regnamespace`, [`${resourceId}__new`])).rowCount === 1
    try {
      const retries: string[] = []
      const servedDuringRetry: string[][] = []
      const datastore = new SqlDatastore(database, openUserSql(database, schema.url), {
        onRetry: (id) => {
          retries.push(id)
          void servedRows().then((rows) => servedDuringRetry.push(rows))
        },
      })
      let attempts = 0
      const definition = (names: readonly string[], cutOnFirstAttempt: boolean): PackageDefinition => {
        const resource: FileResource = {
          kind: 'file',
          id: resourceId,
          name: 'Communes de test',
          description: 'Une ressource de test.',
          peSource: 'TEST',
          peVersion: '1',
          peType: 'data',
          fields: [{ id: 'nom', type: 'text', info: { label: 'Nom', notes: '' } }],
          provenance: { files: [], attribution: 'Tests', date: '2026' },
          expectedRows: names.length,
          async *rows(): AsyncIterable<readonly CellValue[]> {
            attempts++
            for (const [position, value] of names.entries()) {
              // Midway through the first attempt: the server ends every connection of the node, the loader's included.
              if (cutOnFirstAttempt && attempts === 1 && position === 2) {
                await reader.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [name])
              }
              yield [value]
            }
          },
        }
        return { id: packageId, name: 'test-coupures', title: 'Test', notes: '', frequency: 'annuelle', tags: [], resources: [resource] }
      }

      expect(await datastore.syncShipped([definition(['Lyon', 'Lille', 'Nantes'], false)], DATA_DIR)).toEqual([resourceId])
      expect(await servedRows()).toEqual(['Lyon', 'Lille', 'Nantes'])

      attempts = 0
      const newer = ['Brest', 'Dijon', 'Metz', 'Nice', 'Pau']
      expect(await datastore.syncShipped([definition(newer, true)], DATA_DIR)).toEqual([resourceId])
      expect(retries).toEqual([resourceId])
      expect(attempts).toBe(2)
      expect(servedDuringRetry).toEqual([['Lyon', 'Lille', 'Nantes']])
      expect(await servedRows()).toEqual(newer)
      expect(await stagingExists()).toBe(false)
    } finally {
      await reader.end()
      await database.close()
      await schema.drop()
    }
  })
})
