import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { buildNode, type ServiceNode } from '../../src/node.js'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import { DATASTORE_READER_ROLE } from '../../src/storage/migrations/0006-datastore.js'
import { createPostgresSchema } from '../support/databases.js'
import { actionUrl, AGENCES, definitionRows, DEPOT, errorOf, IDS, OFFRES, offerDeposit, okResult, ROME_SMALL, type SearchResult } from './fixtures.js'

/**
 * datastore_search_sql on a real PostgreSQL: users' SQL runs as the read-only reader role, and a
 * statement running past the timeout is cancelled (409 "Query took too long") while the service
 * keeps answering. The real composition (`serve`'s node) on a schema of its own.
 */

const url = process.env.TEST_DATABASE_URL
const TIMEOUT_MS = 500
const MAX_BYTES = 1_000_000

describe.skipIf(!url)('Infotravail on PostgreSQL (runs where TEST_DATABASE_URL names a server)', () => {
  let schema: Awaited<ReturnType<typeof createPostgresSchema>>
  let node: ServiceNode
  let folder: string
  let token: string
  /** A second application: users' SQL is admitted per client. */
  let otherToken: string
  let admin: pg.Client

  const get = (path: string, bearer = token) => node.app.inject({ url: path, headers: { authorization: `Bearer ${bearer}` } })
  const runSql = (text: string, bearer = token) => get(actionUrl('datastore_search_sql', { sql: text }), bearer)
  const gate = () => node.services.infotravail.sqlGate.stats
  /** Waits for a condition (on the gate, or the server's activity), polling. */
  async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
    const giveUp = Date.now() + 60_000
    while (!(await condition())) {
      if (Date.now() > giveUp) throw new Error('condition not met')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  beforeAll(async () => {
    if (!url) return
    schema = await createPostgresSchema(url)
    folder = mkdtempSync(join(tmpdir(), 'openemploi-infotravail-'))
    const config = loadConfig({ DATABASE_URL: schema.url, DATA_DIR: folder, DEMO_OFFERS: '0', LOG_LEVEL: 'silent', DATASETS: 'none', DATASTORE_SQL_TIMEOUT_MS: String(TIMEOUT_MS), DATASTORE_SQL_MAX_BYTES: String(MAX_BYTES) })
    node = await buildNode(config, pino({ level: 'silent' }))
    await node.services.loadIndex()
    await node.services.datastore.syncShipped([ROME_SMALL, AGENCES, OFFRES], DATA_DIR)
    node.services.infotravail.invalidate()
    const { credentials } = await node.services.access.createClient({ name: 'PG', ownerEmail: 'pg@exemple.fr', kind: 'entreprise', apis: ['infotravailv1', 'depotoffresv1'] })
    await node.services.access.setRateLimit(credentials.client_id, 100_000)
    token = (await node.services.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
    const other = (await node.services.access.createClient({ name: 'PG 2', ownerEmail: 'pg2@exemple.fr', kind: 'entreprise', apis: ['infotravailv1'] })).credentials
    await node.services.access.setRateLimit(other.client_id, 100_000)
    otherToken = (await node.services.access.issueToken(other.client_id, other.client_secret, undefined)).access_token
    const deposited = await node.app.inject({ method: 'POST', url: DEPOT, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(offerDeposit()) })
    expect(deposited.statusCode, deposited.body).toBe(201)
    admin = new pg.Client({ connectionString: schema.url })
    await admin.connect()
  })
  afterAll(async () => {
    if (!url) return
    await admin.end()
    await node.close()
    await schema.drop()
    rmSync(folder, { recursive: true, force: true })
  })

  it('answers the client patterns as on the embedded engine', async () => {
    const counted = okResult<{ records: unknown[]; fields: unknown[] }>(await runSql(`SELECT COUNT(*) FROM "${IDS.competences}"`), 'datastore_search_sql')
    expect(counted.records).toEqual([{ count: 4947 }])
    expect(counted.fields).toEqual([{ id: 'count', type: 'int8' }])
    const offers = okResult<{ records: unknown[] }>(await runSql(`SELECT "ROME_PROFESSION_CARD_CODE" FROM "${IDS.offers}"`), 'datastore_search_sql')
    expect(offers.records).toEqual([{ ROME_PROFESSION_CARD_CODE: 'J1506' }])
    const truncated = okResult<{ records: unknown[]; records_truncated?: boolean }>(await runSql(`SELECT c."_id" FROM "${IDS.competences}" c CROSS JOIN "${IDS.grandsDomaines}" g`), 'datastore_search_sql')
    expect(truncated.records).toHaveLength(32000)
    expect(truncated.records_truncated).toBe(true)
  })

  it('runs users’ SQL as the reader role, in a read-only transaction, which may read nothing but the resources', async () => {
    const store = node.services.datastore
    expect((await store.readSql('select current_user as who', 1000)).rows).toEqual([{ who: DATASTORE_READER_ROLE }])
    // Behind the SQL guard, the role and the transaction refuse by themselves.
    await expect(store.readSql('select count(*) from offers', 1000)).rejects.toMatchObject({ code: '42501' })
    await expect(store.readSql('select token_hash from access_tokens', 1000)).rejects.toMatchObject({ code: '42501' })
    await expect(store.readSql(`delete from "${IDS.grandsDomaines}"`, 1000)).rejects.toMatchObject({ code: '25006' })
    const { rows } = await admin.query<{ n: number }>(`select count(*)::int as n from "${IDS.grandsDomaines}"`)
    expect(rows).toEqual([{ n: 14 }])

    // Through HTTP: a resource the role may not read is refused by the engine, while
    // datastore_search (the service's own reads) still serves it.
    await admin.query(`revoke select on "${IDS.domaines}" from ${DATASTORE_READER_ROLE}`)
    try {
      expect(errorOf(await runSql(`SELECT COUNT(*) FROM "${IDS.domaines}"`), 403, 'datastore_search_sql')).toEqual({
        __type: 'Authorization Error',
        message: "Access denied: Not authorized to read this query's tables",
      })
      expect(okResult<SearchResult>(await get(actionUrl('datastore_search', { resource_id: IDS.domaines, limit: 1 })), 'datastore_search').total).toBe(110)
    } finally {
      await admin.query(`grant select on "${IDS.domaines}" to ${DATASTORE_READER_ROLE}`)
    }
    expect(okResult<{ records: unknown[] }>(await runSql(`SELECT COUNT(*) FROM "${IDS.domaines}"`), 'datastore_search_sql').records).toEqual([{ count: 110 }])
  })

  it('cancels a statement past the timeout with CKAN’s “Query took too long”, answering other requests meanwhile', async () => {
    const marker = `slow_${Date.now()}`
    // About 2.7 billion rows to count: minutes of work if it were not cancelled.
    const slowSql = `SELECT COUNT(*) AS ${marker} FROM "${IDS.competences}" a, "${IDS.competences}" b, "${IDS.domaines}" c`
    let slowAnsweredAt = 0
    const slow = runSql(slowSql).then((response) => {
      slowAnsweredAt = Date.now()
      return response
    })
    const running = async () =>
      (await admin.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%${marker}%' and pid <> pg_backend_pid()`)).rows[0]?.n
    await until(async () => (await running()) === 1)

    const [search, cheapSql] = await Promise.all([
      get(actionUrl('datastore_search', { resource_id: IDS.grandsDomaines })),
      runSql(`SELECT COUNT(*) FROM "${IDS.grandsDomaines}"`, otherToken),
    ])
    const othersAnsweredAt = Date.now()
    expect(okResult<SearchResult>(search, 'datastore_search').total).toBe(14)
    expect(okResult<{ records: unknown[] }>(cheapSql, 'datastore_search_sql').records).toEqual([{ count: 14 }])
    expect(slowAnsweredAt === 0 || slowAnsweredAt >= othersAnsweredAt).toBe(true)

    const response = await slow
    expect(errorOf(response, 409, 'datastore_search_sql')).toEqual({ __type: 'Validation Error', query: ['Query took too long'] })
    // Nothing left running, and the connections serve the next queries.
    await until(() => gate().stopping === 0)
    expect(await running()).toBe(0)
    for (let i = 0; i < 3; i++) {
      expect(okResult<{ records: unknown[] }>(await runSql(`SELECT COUNT(*) FROM "${IDS.grandsDomaines}"`), 'datastore_search_sql').records).toEqual([{ count: 14 }])
    }
  })

  it.each([
    ['a 100 MB text', "SELECT repeat('x', 100000000) AS big"],
    ['a 100 million element array', 'SELECT array_fill(1, ARRAY[100000000]) AS big'],
  ])('stops %s, which the statement timeout cannot interrupt, and holds the client until its backend has ended', async (_label, text) => {
    const response = await runSql(text)
    expect(response.body.length).toBeLessThan(MAX_BYTES)
    if (response.statusCode === 200) {
      // A server fast enough to build the value within the timeout: the answer is still bounded.
      expect(okResult<{ records: unknown[]; records_truncated?: boolean }>(response, 'datastore_search_sql')).toMatchObject({ records: [], records_truncated: true })
    } else {
      expect(errorOf(response, 409, 'datastore_search_sql')).toEqual({ __type: 'Validation Error', query: ['Query took too long'] })
    }
    // Other clients are served meanwhile.
    expect(okResult<{ records: unknown[] }>(await runSql('SELECT 1 AS one', otherToken), 'datastore_search_sql').records).toEqual([{ one: 1 }])
    // The given-up backend is terminated: once it has ended, the client may send again.
    await until(() => gate().stopping === 0)
    const left = await admin.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where application_name = 'openemploi-user-sql' and query like '%100000000%' and state = 'active'`)
    expect(left.rows[0]?.n).toBe(0)
    expect(okResult<{ records: unknown[] }>(await runSql('SELECT 2 AS two'), 'datastore_search_sql').records).toEqual([{ two: 2 }])
  })

  it('admits one statement per client: the second is told to come back (429, Retry-After) while another client is served', async () => {
    const slow = runSql(`SELECT COUNT(*) FROM "${IDS.competences}" a, "${IDS.competences}" b, "${IDS.domaines}" c`)
    await until(() => gate().running === 1)
    const again = await runSql('SELECT 1')
    expect(again.headers['retry-after']).toBe('1')
    expect(errorOf(again, 429, 'datastore_search_sql')).toEqual({ __type: 'Too Many Requests', message: 'A statement of this client is still running: send the next one after its answer' })
    expect(okResult<{ records: unknown[] }>(await runSql('SELECT 1 AS one', otherToken), 'datastore_search_sql').records).toEqual([{ one: 1 }])
    expect(errorOf(await slow, 409, 'datastore_search_sql')).toEqual({ __type: 'Validation Error', query: ['Query took too long'] })
    // A loaded server may end it only after the watchdog gave it up: the client is free once it has.
    await until(() => gate().stopping === 0)
  })

  it('bounds answers in bytes here too', async () => {
    const result = okResult<{ records: { g: number }[]; records_truncated?: boolean }>(await runSql(`SELECT g, repeat('x', 10000) AS filler FROM generate_series(1, 500) g ORDER BY g`), 'datastore_search_sql')
    expect(result.records_truncated).toBe(true)
    // 1 MB of row text at most: about 100 rows of 10 kB.
    expect(result.records.length).toBeGreaterThan(50)
    expect(result.records.length).toBeLessThanOrEqual(100)
    expect(result.records.map((record) => record.g)).toEqual(result.records.map((_, at) => at + 1))
  })

  it('refuses the security suite’s attempts here too, leaving the data as it was', async () => {
    const before = await admin.query(`select (select count(*) from "${IDS.grandsDomaines}")::int as g, (select count(*) from offers)::int as o`)
    for (const [text, status] of [
      ['SELECT * FROM pg_roles', 403],
      [`WITH d AS (DELETE FROM "${IDS.grandsDomaines}" RETURNING *) SELECT * FROM d`, 409],
      [`SELECT 1; DROP TABLE "${IDS.grandsDomaines}"`, 409],
      ["SELECT set_config('default_transaction_read_only', 'off', false)", 403],
      ['SELECT pg_sleep(5)', 403],
      ['SELECT * FROM offers', 409],
    ] as const) {
      expect((await runSql(text)).statusCode, text).toBe(status)
    }
    const after = await admin.query(`select (select count(*) from "${IDS.grandsDomaines}")::int as g, (select count(*) from offers)::int as o`)
    expect(after.rows).toEqual(before.rows)
  })

  it('pages with _links.next over values read by the PostgreSQL driver (numerics, text with nulls)', async () => {
    const agences = await definitionRows(IDS.agences)
    for (const sort of ['LATITUDE desc', 'ADDRESS_COMPLEMENT asc']) {
      const whole = okResult<SearchResult>(await get(actionUrl('datastore_search', { resource_id: IDS.agences, sort, limit: 32000 })), 'datastore_search')
      expect(whole.records).toHaveLength(agences.length)
      const rows: unknown[] = []
      let page = okResult<SearchResult>(await get(actionUrl('datastore_search', { resource_id: IDS.agences, sort, limit: 100 })), 'datastore_search')
      while (page.records.length > 0) {
        rows.push(...page.records)
        page = okResult<SearchResult>(await get(page._links.next), 'datastore_search')
      }
      expect(rows, sort).toEqual(whole.records)
    }
  })
})
