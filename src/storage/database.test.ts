import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../../test/support/databases.js'

describe.each(testDatabases())('read queries on $name', (store) => {
  let database: Awaited<ReturnType<typeof store.open>>

  beforeAll(async () => {
    database = await store.open()
  })
  afterAll(() => database.drop())

  it('run read-only, with the columns\' names and types', async () => {
    const result = await database.readQuery('select 1::int as one, $1::text as two', ['deux'], { timeoutMs: 1000 })
    expect(result.rows).toEqual([{ one: 1, two: 'deux' }])
    expect(result.fields.map((field) => field.name)).toEqual(['one', 'two'])
    await expect(database.readQuery('create table written (a int)', [], { timeoutMs: 1000 })).rejects.toThrow(/read-only/)
  })

  it('run as the session\'s own role when the role asked for does not exist (a server where roles may not be created)', async () => {
    const result = await database.readQuery('select 1 as one', [], { timeoutMs: 1000, role: 'openemploi_no_such_role' })
    expect(result.rows).toEqual([{ one: 1 }])
  })
})
