import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { UnavailableError } from '../../src/shared/errors.js'
import { openDatabase } from '../../src/storage/database.js'
import { openUserSql } from '../../src/storage/datastore/open-user-sql.js'
import { createPostgresSchema } from '../support/databases.js'

/**
 * Every pool of the store (the service's, the datastore reads', users' SQL's own): a connection the
 * server ends while it is checked out fails its statement as UnavailableError, never with an
 * unhandled 'error' event (which would end the process: here, fail the run), and the pool serves
 * the next statement on a new connection.
 */

const url = process.env.TEST_DATABASE_URL

describe.skipIf(!url)('the store’s pools when PostgreSQL ends their connections', () => {
  it('turn a connection ended under a statement, or while held between statements, into UnavailableError, then recover', async () => {
    if (!url) return
    const schema = await createPostgresSchema(url)
    const name = `oe_pools_${randomBytes(5).toString('hex')}`
    const named = new URL(schema.url)
    named.searchParams.set('application_name', name)
    const database = await openDatabase({ url: named.toString(), dataDir: 'unused' })
    const killer = new pg.Client({ connectionString: url, application_name: `${name}_killer` })
    await killer.connect()
    const terminate = async (running: string) => {
      // Waits for the statement to be running on the server, then ends its session.
      for (let attempt = 0; attempt < 250; attempt++) {
        const { rows } = await killer.query<{ done: boolean }>(
          'select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = $1 and query like $2',
          [name, `%${running}%`],
        )
        if (rows.some((row) => row.done)) return
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error(`${running} never ran`)
    }
    try {
      // The service's pool, under a statement. Each failure's expectation is attached before the
      // session is ended: a rejection arriving while `terminate` still runs is then handled.
      const statement = expect(sql`select pg_sleep(30) as main_pool_sleep`.execute(database.db)).rejects.toBeInstanceOf(UnavailableError)
      await terminate('main_pool_sleep')
      await statement
      // The service's pool, a connection held between statements (a transaction, a dataset load).
      const held = expect(
        database.db.transaction().execute(async (trx) => {
          await sql`select 1 as held_first`.execute(trx)
          await terminate('held_first')
          await new Promise((resolve) => setTimeout(resolve, 100))
          await sql`select 2`.execute(trx)
        }),
      ).rejects.toBeInstanceOf(UnavailableError)
      await held
      // The datastore reads' pool.
      const read = expect(database.readQuery('select pg_sleep(30) as read_pool_sleep', [], { timeoutMs: 60_000 })).rejects.toBeInstanceOf(UnavailableError)
      await terminate('read_pool_sleep')
      await read
      expect((await database.readQuery('select 1 as one', [], { timeoutMs: 5000 })).rows).toEqual([{ one: 1 }])
      // Users' SQL's own connections.
      const userSql = openUserSql(database, named.toString())
      try {
        const user = expect(userSql.query('select pg_sleep(30) as user_sql_sleep', { timeoutMs: 60_000, resources: [] })).rejects.toBeInstanceOf(UnavailableError)
        await terminate('user_sql_sleep')
        await user
        expect((await userSql.query('select 1 as one', { timeoutMs: 5000, resources: [] })).rows).toEqual([{ one: 1 }])
      } finally {
        await userSql.close()
      }
      expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows).toEqual([{ one: 1 }])
    } finally {
      await killer.end()
      await database.close()
      await schema.drop()
    }
  })
})
