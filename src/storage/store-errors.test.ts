import { CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type DatabaseConnection, type Driver, type QueryResult } from 'kysely'
import { describe, expect, it } from 'vitest'
import { UnavailableError } from '../shared/errors.js'
import { isConnectionFailure, storeError, translatingDialect } from './store-errors.js'

/** An error as the pg driver builds them: a message, and the server's SQLSTATE or the socket's code. */
const failure = (message: string, code?: string) => Object.assign(new Error(message), code === undefined ? {} : { code })

describe('isConnectionFailure', () => {
  it.each([
    ['the server ending the session (pg_terminate_backend)', failure('terminating connection due to administrator command', '57P01')],
    ['a crash of another backend', failure('terminating connection because of crash of another server process', '57P02')],
    ['a server starting or stopping', failure('the database system is starting up', '57P03')],
    ['class 08, connection exception', failure('connection failure', '08006')],
    ['a server full of connections', failure('sorry, too many clients already', '53300')],
    ['a refused socket', failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset socket', failure('read ECONNRESET', 'ECONNRESET')],
    ['the socket closed under a query', failure('Connection terminated unexpectedly')],
    ['a connection timeout of the client', failure('Connection terminated due to connection timeout')],
    ['a connection timeout of the pool', failure('timeout exceeded when trying to connect')],
    ['a client already broken', failure('Client has encountered a connection error and is not queryable')],
    ['every address refused', new AggregateError([failure('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')],
    ['a failure wrapped in another', new Error('load failed', { cause: failure('read ECONNRESET', 'ECONNRESET') })],
  ])('is true for %s', (_case, error) => {
    expect(isConnectionFailure(error)).toBe(true)
  })

  it.each([
    ['a syntax error', failure('syntax error at or near "selec"', '42601')],
    ['a statement timeout', failure('canceling statement due to statement timeout', '57014')],
    ['a unique violation', failure('duplicate key value violates unique constraint', '23505')],
    ['a serialization failure', failure('could not serialize access', '40001')],
    ['a permission error', failure('permission denied for table offers', '42501')],
    ['a programming error', new TypeError('Cannot read properties of undefined')],
    ['not an error', 'Connection terminated'],
    ['nothing', undefined],
  ])('is false for %s', (_case, error) => {
    expect(isConnectionFailure(error)).toBe(false)
  })
})

describe('storeError', () => {
  it('makes a connection failure an UnavailableError that keeps its cause', () => {
    const cause = failure('terminating connection due to administrator command', '57P01')
    const translated = storeError(cause)
    expect(translated).toBeInstanceOf(UnavailableError)
    expect((translated as UnavailableError).cause).toBe(cause)
  })

  it('leaves any other error as it is', () => {
    const error = failure('syntax error', '42601')
    expect(storeError(error)).toBe(error)
    const unavailable = new UnavailableError('Index en cours de chargement.')
    expect(storeError(unavailable)).toBe(unavailable)
  })
})

/** A driver whose connections fail as told, recording which connection each transaction step got. */
function fakeDriver(fail: { acquire?: Error; query?: Error; commit?: Error }) {
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => (fail.query && query.sql.startsWith('select') ? Promise.reject(fail.query) : Promise.resolve({ rows: [] })),
    async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
      if (fail.query) throw fail.query
      yield await Promise.resolve({ rows: [] as R[] })
    },
  }
  const steps: { step: string; same: boolean }[] = []
  const driver: Driver = {
    init: () => Promise.resolve(),
    acquireConnection: () => (fail.acquire ? Promise.reject(fail.acquire) : Promise.resolve(connection)),
    beginTransaction: (given) => {
      steps.push({ step: 'begin', same: given === connection })
      return Promise.resolve()
    },
    commitTransaction: (given) => {
      steps.push({ step: 'commit', same: given === connection })
      return fail.commit ? Promise.reject(fail.commit) : Promise.resolve()
    },
    rollbackTransaction: (given) => {
      steps.push({ step: 'rollback', same: given === connection })
      return Promise.resolve()
    },
    releaseConnection: () => Promise.resolve(),
    destroy: () => Promise.resolve(),
  }
  const db = new Kysely<Record<string, never>>({
    dialect: translatingDialect({
      createDriver: () => driver,
      createAdapter: () => new PostgresAdapter(),
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    }),
  })
  return { db, steps }
}

describe('translatingDialect', () => {
  it('throws UnavailableError when no connection can be had', async () => {
    const { db } = fakeDriver({ acquire: failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED') })
    await expect(sql`select 1`.execute(db)).rejects.toBeInstanceOf(UnavailableError)
  })

  it('throws UnavailableError when the connection is cut under a statement, and leaves statement errors alone', async () => {
    await expect(sql`select 1`.execute(fakeDriver({ query: failure('Connection terminated unexpectedly') }).db)).rejects.toBeInstanceOf(UnavailableError)
    const syntax = failure('syntax error', '42601')
    await expect(sql`select 1`.execute(fakeDriver({ query: syntax }).db)).rejects.toBe(syntax)
    const streamed = fakeDriver({ query: failure('read ECONNRESET', 'ECONNRESET') }).db.connection().execute(async (connection) => {
      for await (const _rows of connection.getExecutor().stream(CompiledQuery.raw('select 1'), 10)) return
    })
    await expect(streamed).rejects.toBeInstanceOf(UnavailableError)
  })

  it('throws UnavailableError when a commit is cut, and gives the driver its own connection for each step', async () => {
    const { db, steps } = fakeDriver({ commit: failure('terminating connection due to administrator command', '57P01') })
    await expect(db.transaction().execute(() => Promise.resolve())).rejects.toBeInstanceOf(UnavailableError)
    expect(steps).toEqual([
      { step: 'begin', same: true },
      { step: 'commit', same: true },
      { step: 'rollback', same: true },
    ])
  })
})
