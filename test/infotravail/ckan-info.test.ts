import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appStores } from '../support/databases.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { actionUrl, BMO_2025_ID, errorOf, fileOf, IDS, IMT_SMALL, loadSmallPackages, OFFRES, okResult, resourceOf } from './fixtures.js'

/**
 * datastore_info as CKAN 2.11's DataStore answers it (issue 13, point 6): `meta` with CKAN's keys,
 * each field's `schema` with PostgreSQL's own type name, and CKAN master's `include_meta` /
 * `include_fields_schema`. On the embedded store and, where TEST_DATABASE_URL is set, PostgreSQL.
 */

interface Info {
  meta?: Record<string, unknown>
  fields: { id: string; type: string; info?: unknown; schema?: Record<string, unknown> }[]
}

/** PostgreSQL's `format_type` of each declared type (what CKAN's `native_type` is). */
const NATIVE = { text: 'text', int: 'integer', numeric: 'numeric', date: 'date', timestamp: 'timestamp without time zone', bool: 'boolean' } as const

describe.each(appStores())('datastore_info as CKAN’s DataStore ($name store)', ({ databaseUrl }) => {
  let t: TestApp
  const info = async (params: Record<string, unknown>) => okResult<Info>(await t.get(actionUrl('datastore_info', params)), 'datastore_info')

  beforeAll(async () => {
    t = await createTestApp(databaseUrl ? { databaseUrl } : {})
    await loadSmallPackages(t, [IMT_SMALL, OFFRES])
  }, 120_000)
  afterAll(() => t.close())

  // CKAN 2.11 `resource_fields`: meta = id, count, table_type, size, db_size, idx_size, aliases (sizes in bytes).
  it('gives meta with CKAN’s keys', async () => {
    const { meta } = await info({ resource_id: IDS.salaires })
    expect(Object.keys(meta ?? {}).sort()).toEqual(['aliases', 'count', 'db_size', 'id', 'idx_size', 'size', 'table_type'])
    expect(meta).toMatchObject({ id: IDS.salaires, count: 616, table_type: 'BASE TABLE', aliases: [] })
    for (const key of ['size', 'db_size', 'idx_size']) expect(Number.isInteger(meta?.[key]), key).toBe(true)
    // The table's pages, its primary key's index, a database larger than either.
    expect(meta?.size).toBeGreaterThan(0)
    expect(meta?.idx_size).toBeGreaterThan(0)
    expect(meta?.db_size).toBeGreaterThan(Number(meta?.size) + Number(meta?.idx_size))
    const view = await info({ id: IDS.offerCounts })
    expect(view.meta).toMatchObject({ id: IDS.offerCounts, table_type: 'VIEW', size: 0, idx_size: 0, aliases: [] })
  })

  // CKAN 2.11: each field (not `_id`) has `schema` {native_type (pg_catalog.format_type), notnull, index_name, is_index, uniquekey}.
  it('gives each field its schema, native_type as PostgreSQL names it', async () => {
    const { fields } = await info({ id: IDS.romeNaf })
    const declared = fileOf(IDS.romeNaf).fields
    expect(fields.map((field) => field.id)).toEqual(declared.map((field) => field.id))
    expect(declared.some((field) => field.type === 'int')).toBe(true)
    for (const [at, field] of fields.entries()) {
      const type = declared[at]?.type ?? 'text'
      expect(field.type).toBe(type)
      expect(Object.keys(field.schema ?? {}).sort()).toEqual(['index_name', 'is_index', 'native_type', 'notnull', 'uniquekey'])
      expect(field.schema).toMatchObject({ native_type: NATIVE[type], notnull: false, uniquekey: false })
      expect(field.schema?.is_index).toBe(field.schema?.index_name !== null)
    }
    const view = await info({ id: IDS.offerCounts })
    expect(view.fields.map((field) => field.schema?.native_type)).toEqual(resourceOf(IDS.offerCounts).fields.map((field) => NATIVE[field.type]))
  })

  // CKAN master (2.12-dev) datastore_info: include_meta and include_fields_schema, both default true.
  it('honours include_meta and include_fields_schema', async () => {
    const bare = await info({ id: IDS.salaires, include_meta: false, include_fields_schema: 'false' })
    expect(Object.keys(bare)).toEqual(['fields'])
    for (const field of bare.fields) expect(field).not.toHaveProperty('schema')
    const metaOnly = await info({ id: IDS.salaires, include_fields_schema: 'no' })
    expect(metaOnly.meta?.count).toBe(616)
    expect(metaOnly.fields[0]).not.toHaveProperty('schema')
    const schemaOnly = await info({ id: IDS.salaires, include_meta: 'false' })
    expect(schemaOnly).not.toHaveProperty('meta')
    expect(schemaOnly.fields[0]?.schema?.native_type).toBe('text')
  })

  // CKAN 2.11 datastore_info: `{"resource_id": ["Missing value"]}`, `Resource/Alias "x" was not found.`
  it('answers CKAN 2.11’s errors', async () => {
    expect(errorOf(await t.get(actionUrl('datastore_info')), 409, 'datastore_info')).toEqual({ __type: 'Validation Error', resource_id: ['Missing value'] })
    expect(errorOf(await t.get(actionUrl('datastore_info', { id: BMO_2025_ID })), 404, 'datastore_info')).toEqual({
      __type: 'Not Found Error',
      message: `Not found: Resource/Alias "${BMO_2025_ID}" was not found.`,
    })
  })
})
