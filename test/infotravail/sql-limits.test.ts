import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { actionUrl, closeOffer, depositOffer, errorOf, IDS, loadSmallPackages, OFFRES, okResult, ROME_SMALL } from './fixtures.js'

/**
 * The limits of datastore_search_sql on the embedded store: a statement the engine cannot
 * interrupt is stopped at the timeout (its replica worker terminated) while tokens and deposits
 * are served; clients are served fairly (one statement each, a short queue, "come back later"
 * answers in CKAN's envelope with Retry-After); answers are bounded in bytes. Anonymous callers
 * (INFOTRAVAIL_PUBLIC) count one client per address.
 */

/**
 * The wall-time bound of every statement: the heavy ones below are stopped by it, the others must
 * answer within it on a loaded machine.
 */
const TIMEOUT_MS = 3000
const MAX_BYTES = 100_000
/** A count the engine never interrupts: a minute of work on the embedded engine. */
const HEAVY = 'SELECT count(*) AS n FROM generate_series(1, 100000000)'
const TOO_LONG = { __type: 'Validation Error', query: ['Query took too long'] }

interface SqlResult {
  fields: { id: string; type: string }[]
  records: Record<string, unknown>[]
  records_truncated?: boolean
}

let t: TestApp
const sqlFrom = (address: string, text: string) => t.app.inject({ url: actionUrl('datastore_search_sql', { sql: text }), remoteAddress: address })

/** Waits for a condition on the gate (a statement admitted, queued…), polling. */
async function until(condition: () => boolean): Promise<void> {
  const giveUp = Date.now() + 30_000
  while (!condition()) {
    if (Date.now() > giveUp) throw new Error('condition not met')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Every given-up statement stopped: each client may send again. */
const settled = () => until(() => t.infotravail.sqlGate.stats.stopping === 0 && t.infotravail.sqlGate.stats.running === 0)

function busy(response: LightMyRequestResponse): Record<string, unknown> {
  expect(response.headers['retry-after']).toBe('1')
  return errorOf(response, 429, 'datastore_search_sql')
}

beforeAll(async () => {
  t = await createTestApp({ infotravailPublic: true, sqlTimeoutMs: TIMEOUT_MS, sqlMaxBytes: MAX_BYTES })
  await t.reload()
  await loadSmallPackages(t, [ROME_SMALL, OFFRES])
  // The replica starts with the first statement: not inside a test's timing.
  okResult<SqlResult>(await sqlFrom('10.9.9.9', 'SELECT 1'), 'datastore_search_sql')
})
afterAll(() => t.close())

describe('the wall-time bound', () => {
  it('stops a statement the engine cannot interrupt (“Query took too long”) while tokens and deposits are served', async () => {
    const heavy = sqlFrom('10.0.0.1', HEAVY)
    await until(() => t.infotravail.sqlGate.stats.running === 1)
    // The store's own session is not the one running it.
    const token = await t.access.issueToken(t.client.client_id, t.client.client_secret, undefined)
    expect(token.access_token).toEqual(expect.any(String))
    await depositOffer(t)
    expect(errorOf(await heavy, 409, 'datastore_search_sql')).toEqual(TOO_LONG)
    expect(t.infotravail.sqlGate.stats.cancelled).toBeGreaterThanOrEqual(1)
    // The next statements run on a new replica, reading the resources again.
    const counted = okResult<SqlResult>(await sqlFrom('10.0.0.2', `SELECT COUNT(*) AS n FROM "${IDS.grandsDomaines}"`), 'datastore_search_sql')
    expect(counted.records).toEqual([{ n: 14 }])
    await settled()
  })

  it.each([
    ['a 100 MB text', "SELECT repeat('x', 100000000) AS big"],
    ['a 100 million element array', 'SELECT array_fill(1, ARRAY[100000000]) AS big'],
  ])('bounds %s: stopped, or answered without the value', async (_label, text) => {
    const response = await sqlFrom('10.0.0.3', text)
    expect(response.body.length).toBeLessThan(MAX_BYTES)
    if (response.statusCode === 200) {
      const result = okResult<SqlResult>(response, 'datastore_search_sql')
      expect(result.records).toEqual([])
      expect(result.records_truncated).toBe(true)
    } else {
      expect(errorOf(response, 409, 'datastore_search_sql')).toEqual(TOO_LONG)
    }
    await settled()
  })
})

describe('fairness across clients', () => {
  it('answers another client while one client’s slow statement runs, and tells that client to wait for its answer', async () => {
    const slow = sqlFrom('10.0.1.1', HEAVY)
    await until(() => t.infotravail.sqlGate.stats.running === 1)
    expect(busy(await sqlFrom('10.0.1.1', 'SELECT 1'))).toEqual({
      __type: 'Too Many Requests',
      message: 'A statement of this client is still running: send the next one after its answer',
    })
    expect(okResult<SqlResult>(await sqlFrom('10.0.1.2', 'SELECT 1 AS one'), 'datastore_search_sql').records).toEqual([{ one: 1 }])
    expect(errorOf(await slow, 409, 'datastore_search_sql')).toEqual(TOO_LONG)
    await settled()
    expect(okResult<SqlResult>(await sqlFrom('10.0.1.1', 'SELECT 2 AS two'), 'datastore_search_sql').records).toEqual([{ two: 2 }])
  })

  it('queues a few statements and tells the next ones to come back', async () => {
    const slow = sqlFrom('10.0.2.1', HEAVY)
    await until(() => t.infotravail.sqlGate.stats.running === 1)
    const queued = ['10.0.2.2', '10.0.2.3'].map((address) => sqlFrom(address, 'SELECT 1 AS one'))
    await until(() => t.infotravail.sqlGate.stats.queued === 2)
    expect(busy(await sqlFrom('10.0.2.4', 'SELECT 1'))).toEqual({ __type: 'Too Many Requests', message: 'Too many SQL statements running: retry later' })
    expect(errorOf(await slow, 409, 'datastore_search_sql')).toEqual(TOO_LONG)
    for (const response of await Promise.all(queued)) expect(okResult<SqlResult>(response, 'datastore_search_sql').records).toEqual([{ one: 1 }])
    await settled()
  })
})

describe('the byte bound', () => {
  it('keeps rows while their text stays within the bound, in order, with records_truncated', async () => {
    const result = okResult<SqlResult>(await sqlFrom('10.0.3.1', "SELECT g, repeat('x', 1000) AS filler FROM generate_series(1, 1000) g ORDER BY g"), 'datastore_search_sql')
    expect(result.records_truncated).toBe(true)
    expect(result.fields).toEqual([
      { id: 'g', type: 'int4' },
      { id: 'filler', type: 'text' },
    ])
    expect(result.records.length).toBeGreaterThan(50)
    expect(result.records.length).toBeLessThan(MAX_BYTES / 1000)
    expect(result.records.map((record) => record.g)).toEqual(result.records.map((_, at) => at + 1))
  })

  it('answers no row for a single value over the bound, and a whole answer within it', async () => {
    const over = okResult<SqlResult>(await sqlFrom('10.0.3.2', `SELECT repeat('x', ${2 * MAX_BYTES}) AS big`), 'datastore_search_sql')
    expect(over).toMatchObject({ records: [], records_truncated: true, fields: [{ id: 'big', type: 'text' }] })
    const whole = okResult<SqlResult>(await sqlFrom('10.0.3.2', 'SELECT g FROM generate_series(1, 100) g'), 'datastore_search_sql')
    expect(whole.records).toHaveLength(100)
    expect(whole).not.toHaveProperty('records_truncated')
    const empty = okResult<SqlResult>(await sqlFrom('10.0.3.2', 'SELECT g FROM generate_series(1, 0) g'), 'datastore_search_sql')
    expect(empty).toMatchObject({ records: [], fields: [{ id: 'g', type: 'int4' }] })
    expect(empty).not.toHaveProperty('records_truncated')
  })
})

describe('the byte bound cannot be fooled', () => {
  it('by a column named as the bound’s own: the statement fails', async () => {
    const response = await sqlFrom('10.0.3.3', `SELECT 0 AS "openemploi:bytes", repeat('x', ${2 * MAX_BYTES}) AS big`)
    expect(errorOf(response, 409, 'datastore_search_sql')).toMatchObject({ __type: 'Validation Error', query: [expect.stringMatching(/ambiguous/) as unknown] })
  })
})

describe('the replica of the embedded store', () => {
  it('follows the live offres resources: deposits and closures show in the next statement, views included', async () => {
    const count = async () => okResult<SqlResult>(await sqlFrom('10.0.4.1', `SELECT COUNT(*) AS n FROM "${IDS.offers}"`), 'datastore_search_sql').records[0]?.n
    const grouped = async () =>
      okResult<SqlResult>(await sqlFrom('10.0.4.1', `SELECT SUM("NB_OFFERS")::int AS n FROM "${IDS.offerCounts}"`), 'datastore_search_sql').records[0]?.n
    const before = Number(await count())
    expect(await grouped()).toBe(before)
    const offer = await depositOffer(t, { intitule: 'Boulanger de nuit (H/F)' })
    expect(await count()).toBe(before + 1)
    expect(await grouped()).toBe(before + 1)
    await closeOffer(t, offer.id)
    expect(await count()).toBe(before)
    expect(await grouped()).toBe(before)
  })

  it('reads a resource loaded again after it was copied', async () => {
    const read = async () => okResult<SqlResult>(await sqlFrom('10.0.4.2', `SELECT COUNT(*) AS n FROM "${IDS.grandsDomaines}"`), 'datastore_search_sql').records
    expect(await read()).toEqual([{ n: 14 }])
    const [definition] = [ROME_SMALL]
    const resource = definition.resources.find((item) => item.id === IDS.grandsDomaines)
    if (!resource || resource.kind !== 'file') throw new Error('no such resource')
    const rows = [['Z', 'Zeta']]
    await t.datastore.load(definition.id, resource, 0, { kind: 'rows', rows }, { origin: 'import', fingerprint: 'test' })
    t.infotravail.invalidate()
    expect(await read()).toEqual([{ n: 1 }])
  })
})
