import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { inject } from 'vitest'
import { openDatabase, type Database } from '../../src/storage/database.js'

let template: ArrayBuffer | undefined

/**
 * The run's migrated embedded store, dumped (test/support/global-setup.ts) and read once per
 * worker: a new store starts from it rather than being initialised and migrated (seconds each).
 */
export function storeTemplate(): ArrayBuffer {
  if (!template) {
    const bytes = readFileSync(inject('storeTemplate'))
    template = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  }
  return template
}

/** An embedded store in memory, migrated, started from the run's template. */
export function openMemoryDatabase(): Promise<Database> {
  return openDatabase({ dataDir: 'memory://', template: storeTemplate() })
}

/** A store to run a suite on: embedded PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export interface TestDatabase {
  readonly name: string
  open(): Promise<Database & { drop(): Promise<void> }>
}

const pglite: TestDatabase = {
  name: 'PGlite',
  async open() {
    const database = await openMemoryDatabase()
    return Object.assign(database, { drop: () => database.close() })
  },
}

/**
 * A schema of its own on the shared PostgreSQL, and the URL that works in it: suites and parallel
 * runs on the shared `test` database never see each other's rows.
 */
export async function createPostgresSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const scoped = new URL(url)
  scoped.searchParams.set('options', `-c search_path=${schema}`)
  return {
    url: scoped.toString(),
    async drop() {
      const cleaner = new pg.Client({ connectionString: url })
      await cleaner.connect()
      await cleaner.query(`drop schema ${schema} cascade`)
      await cleaner.end()
    },
  }
}

/** Each PostgreSQL run gets its own schema, dropped afterwards. */
function postgres(url: string): TestDatabase {
  return {
    name: 'PostgreSQL',
    async open() {
      const schema = await createPostgresSchema(url)
      const database = await openDatabase({ url: schema.url, dataDir: 'unused' })
      return Object.assign(database, {
        async drop() {
          await database.close()
          await schema.drop()
        },
      })
    },
  }
}

/** The stores the storage suites run on here. */
export function testDatabases(): TestDatabase[] {
  const url = process.env.TEST_DATABASE_URL
  return url ? [pglite, postgres(url)] : [pglite]
}

/**
 * The stores an HTTP suite runs on (`createTestApp`'s `databaseUrl`): embedded always,
 * PostgreSQL when TEST_DATABASE_URL is set.
 */
export function appStores(): { name: string; databaseUrl?: string }[] {
  const url = process.env.TEST_DATABASE_URL
  return url ? [{ name: 'embedded' }, { name: 'PostgreSQL', databaseUrl: url }] : [{ name: 'embedded' }]
}
