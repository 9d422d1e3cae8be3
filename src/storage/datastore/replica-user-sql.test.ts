import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SqlAbandonedError } from '../../domain/datastore/datastore-errors.js'
import type { Database } from '../database.js'
import { openMemoryDatabase } from '../../../test/support/databases.js'
import type { PGliteClient } from '../pglite-client.js'
import { ReplicaUserSql } from './replica-user-sql.js'

describe('ReplicaUserSql', () => {
  let database: Database
  let executor: ReplicaUserSql

  beforeAll(async () => {
    database = await openMemoryDatabase()
    executor = new ReplicaUserSql(database)
  })
  afterAll(async () => {
    await executor.close()
    await database.close()
  })

  it('answers on a worker of its own, read-only', async () => {
    expect((await executor.query('select 1 as one', { timeoutMs: 10_000, resources: [] })).rows).toEqual([{ one: 1 }])
    await expect(executor.query('create table written (a int)', { timeoutMs: 10_000, resources: [] })).rejects.toMatchObject({ code: '25006' })
  })

  it('gives a statement up at its timeout, and answers the next one on a new replica', async () => {
    const failure = executor.query('select count(*) from generate_series(1, 100000000)', { timeoutMs: 200, resources: [] })
    await expect(failure).rejects.toBeInstanceOf(SqlAbandonedError)
    const abandoned = await failure.then(
      () => undefined,
      (error: unknown) => error as SqlAbandonedError,
    )
    await abandoned?.stopped
    expect((await executor.query('select 2 as two', { timeoutMs: 10_000, resources: [] })).rows).toEqual([{ two: 2 }])
  })

  it('starts a new replica when its worker failed, telling the caller to come back meanwhile (503)', async () => {
    await executor.query('select 1', { timeoutMs: 10_000, resources: [] })
    // The worker gone under the executor (as after an engine crash).
    const replica = await (executor as unknown as { current: Promise<{ client: PGliteClient }> }).current
    await replica.client.terminate()
    await expect(executor.query('select 1', { timeoutMs: 10_000, resources: [] })).rejects.toMatchObject({ status: 503 })
    expect((await executor.query('select 3 as three', { timeoutMs: 10_000, resources: [] })).rows).toEqual([{ three: 3 }])
  })
})
