import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CellValue } from '../../src/datasets/definition.js'
import { ROWS_MAX } from '../../src/domain/datastore/search-request.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { actionUrl, BASE, definitionRows, depositOffer, errorOf, IDS, IMT_SMALL, loadSmallPackages, OFFRES, okResult, ROME_SMALL } from './fixtures.js'

/**
 * datastore_search_sql through HTTP on the embedded engine: the original’s client patterns
 * checked against the files, the row cap, and the security suite (each attempt refused with
 * CKAN’s status and shape, and nothing changed afterwards).
 */

type Row = Record<string, CellValue>
interface SqlResult {
  sql: string
  fields: { id: string; type: string }[]
  records: Record<string, unknown>[]
  records_truncated?: boolean
}

let t: TestApp
let fiches: Row[]
let domaines: Row[]
let grands: Row[]
let competences: Row[]
let romeNaf: Row[]

const run = (text: string) => t.get(actionUrl('datastore_search_sql', { sql: text }))
const runOk = async (text: string) => okResult<SqlResult>(await run(text), 'datastore_search_sql')
const q = (id: string) => `"${id}"`
const withoutFullText = (records: Record<string, unknown>[]) => records.map(({ _full_text: _, ...rest }) => rest)

beforeAll(async () => {
  t = await createTestApp()
  await t.reload()
  await loadSmallPackages(t, [ROME_SMALL, IMT_SMALL, OFFRES])
  await depositOffer(t)
  ;[fiches, domaines, grands, competences, romeNaf] = await Promise.all([
    definitionRows(IDS.romeFiches),
    definitionRows(IDS.domaines),
    definitionRows(IDS.grandsDomaines),
    definitionRows(IDS.competences),
    definitionRows(IDS.romeNaf),
  ])
})
afterAll(() => t.close())

describe('values', () => {
  it('serves timestamps with a zone in ISO 8601, the same instant', async () => {
    const result = await runOk(`SELECT '2026-11-28 16:39:40.952+00'::timestamptz AS "AT", '2026-11-28 16:39:40'::timestamp AS "LOCAL"`)
    expect(result.fields).toEqual([
      { id: 'AT', type: 'timestamptz' },
      { id: 'LOCAL', type: 'timestamp' },
    ])
    const [record] = result.records
    expect(record?.AT).toMatch(/^2026-11-2\dT\d{2}:\d{2}:40\.952[+-]\d{2}:\d{2}$/)
    expect(Date.parse(String(record?.AT))).toBe(Date.parse('2026-11-28T16:39:40.952Z'))
    expect(record?.LOCAL).toBe('2026-11-28T16:39:40')
  })
})

describe('the original’s client patterns', () => {
  it('SELECT * … WHERE on quoted UPPER_CASE columns, LIKE, LIMIT (mobiville’s form)', async () => {
    const text = `SELECT * FROM ${q(IDS.romeFiches)} WHERE "MAIN_PROF_AREA_CODE" = 'A' AND "PROFESSIONAL_AREA_CODE" = 'A14' AND "ROME_PROFESSION_CARD_CODE" LIKE 'A14%' LIMIT 30`
    const result = await runOk(text)
    expect(Object.keys(result).sort()).toEqual(['fields', 'records', 'sql'])
    expect(result.sql).toBe(text)
    const expected = fiches.filter((row) => row.MAIN_PROF_AREA_CODE === 'A' && row.PROFESSIONAL_AREA_CODE === 'A14' && String(row.ROME_PROFESSION_CARD_CODE).startsWith('A14')).slice(0, 30)
    expect(expected.length).toBeGreaterThan(1)
    expect(withoutFullText(result.records).sort((a, b) => Number(a._id) - Number(b._id))).toEqual(expected)
    // SELECT * shows the full-text column too, as CKAN's did (clients drop it).
    expect(result.fields.map((field) => field.id)).toEqual(['_id', ...Object.keys(fiches[0] ?? {}).filter((key) => key !== '_id'), '_full_text'])
    expect(result.fields.find((field) => field.id === '_id')?.type).toBe('int4')
    expect(result.fields.find((field) => field.id === 'MAIN_PROF_AREA_CODE')?.type).toBe('text')
    expect(result.fields.find((field) => field.id === '_full_text')?.type).toBe('tsvector')
    expect(typeof result.records[0]?._full_text).toBe('string')
  })

  it('SELECT COUNT(*), with and without WHERE', async () => {
    expect((await runOk(`SELECT COUNT(*) FROM ${q(IDS.competences)}`)).records).toEqual([{ count: competences.length }])
    const filtered = await runOk(`SELECT COUNT(*) AS n FROM ${q(IDS.romeFiches)} WHERE "MAIN_PROF_AREA_CODE" = 'N'`)
    expect(filtered.records).toEqual([{ n: fiches.filter((row) => row.MAIN_PROF_AREA_CODE === 'N').length }])
    expect(filtered.fields).toEqual([{ id: 'n', type: 'int8' }])
  })

  it('LIMIT/OFFSET paging gives every row once', async () => {
    const seen: Record<string, unknown>[] = []
    for (let offset = 0; ; offset += 1000) {
      const page = await runOk(`SELECT "_id", "OGR_CODE", "SKILL_NAME" FROM ${q(IDS.competences)} ORDER BY "_id" LIMIT 1000 OFFSET ${offset}`)
      seen.push(...page.records)
      if (page.records.length < 1000) break
    }
    expect(seen).toEqual(competences.map((row) => ({ _id: row._id, OGR_CODE: row.OGR_CODE, SKILL_NAME: row.SKILL_NAME })))
  })

  it('INNER JOIN of two resources', async () => {
    const result = await runOk(
      `SELECT f."ROME_PROFESSION_CARD_CODE", d."PROFESSIONAL_AREA_NAME" FROM ${q(IDS.romeFiches)} f INNER JOIN ${q(IDS.domaines)} d ON d."PROFESSIONAL_AREA_CODE" = f."PROFESSIONAL_AREA_CODE" WHERE f."MAIN_PROF_AREA_CODE" = 'K' ORDER BY f."_id"`,
    )
    const names = new Map(domaines.map((row) => [row.PROFESSIONAL_AREA_CODE, row.PROFESSIONAL_AREA_NAME]))
    const expected = fiches
      .filter((row) => row.MAIN_PROF_AREA_CODE === 'K' && names.has(row.PROFESSIONAL_AREA_CODE))
      .map((row) => ({ ROME_PROFESSION_CARD_CODE: row.ROME_PROFESSION_CARD_CODE, PROFESSIONAL_AREA_NAME: names.get(row.PROFESSIONAL_AREA_CODE) }))
    expect(expected.length).toBeGreaterThan(5)
    expect(result.records).toEqual(expected)

    const hirings = await runOk(
      `SELECT f."MAIN_PROF_AREA_CODE", SUM(n."NB_HIRINGS") AS hirings, COUNT(*) AS n FROM ${q(IDS.romeNaf)} n INNER JOIN ${q(IDS.romeFiches)} f ON f."ROME_PROFESSION_CARD_CODE" = n."ROME_PROFESSION_CARD_CODE" GROUP BY 1 ORDER BY 1`,
    )
    const domainOf = new Map(fiches.map((row) => [row.ROME_PROFESSION_CARD_CODE, String(row.MAIN_PROF_AREA_CODE)]))
    const sums = new Map<string, { hirings: number; n: number }>()
    for (const row of romeNaf) {
      const domain = domainOf.get(row.ROME_PROFESSION_CARD_CODE)
      if (domain === undefined) continue
      const sum = sums.get(domain) ?? { hirings: 0, n: 0 }
      sum.hirings += Number(row.NB_HIRINGS ?? 0)
      sum.n += 1
      sums.set(domain, sum)
    }
    expect(hirings.records).toEqual([...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, sum]) => ({ MAIN_PROF_AREA_CODE: code, hirings: sum.hirings, n: sum.n })))
  })

  it('WITH … SELECT', async () => {
    const result = await runOk(
      `WITH per_domain AS (SELECT "MAIN_PROF_AREA_CODE", count(*) AS fiches FROM ${q(IDS.romeFiches)} GROUP BY 1)
       SELECT g."MAIN_PROF_AREA_CODE", g."MAIN_PROF_AREA_NAME", p.fiches FROM ${q(IDS.grandsDomaines)} g JOIN per_domain p USING ("MAIN_PROF_AREA_CODE") ORDER BY p.fiches DESC, 1`,
    )
    const counts = new Map<CellValue, number>()
    for (const row of fiches) counts.set(row.MAIN_PROF_AREA_CODE ?? null, (counts.get(row.MAIN_PROF_AREA_CODE ?? null) ?? 0) + 1)
    const expected = grands
      .map((row) => ({ MAIN_PROF_AREA_CODE: row.MAIN_PROF_AREA_CODE, MAIN_PROF_AREA_NAME: row.MAIN_PROF_AREA_NAME, fiches: counts.get(row.MAIN_PROF_AREA_CODE ?? null) ?? 0 }))
      .sort((a, b) => b.fiches - a.fiches || String(a.MAIN_PROF_AREA_CODE).localeCompare(String(b.MAIN_PROF_AREA_CODE)))
    expect(result.records).toEqual(expected)
  })

  it('takes the SQL in a POST body too, and a trailing ; or -- comment', async () => {
    const text = `SELECT COUNT(*) FROM ${q(IDS.grandsDomaines)}; -- fin`
    const posted = await t.get(`${BASE}/datastore_search_sql`, { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ sql: text }) })
    expect(okResult<SqlResult>(posted, 'datastore_search_sql').records).toEqual([{ count: 14 }])
    expect((await runOk(`SELECT COUNT(*) FROM ${q(IDS.grandsDomaines)} -- un commentaire`)).records).toEqual([{ count: 14 }])
  })

  it('json_populate_record with a resource’s row type', async () => {
    const result = await runOk(`SELECT ("r")."MAIN_PROF_AREA_CODE" AS code FROM json_populate_record(null::${q(IDS.grandsDomaines)}, '{"MAIN_PROF_AREA_CODE": "Z"}') AS "r"`)
    expect(result.records).toEqual([{ code: 'Z' }])
  })

  it('reads the offres package’s views, not the offers table', async () => {
    expect((await runOk(`SELECT COUNT(*) FROM ${q(IDS.offers)}`)).records).toEqual([{ count: 1 }])
    const counted = await runOk(`SELECT "ROME_PROFESSION_CARD_CODE", "NB_OFFERS" FROM ${q(IDS.offerCounts)}`)
    expect(counted.records).toEqual([{ ROME_PROFESSION_CARD_CODE: 'J1506', NB_OFFERS: 1 }])
  })
})

describe('the row cap', () => {
  it('answers at most 32000 rows, with records_truncated, from a join of real resources', async () => {
    expect(competences.length * grands.length).toBeGreaterThan(ROWS_MAX)
    const result = await runOk(`SELECT c."_id" AS c, g."_id" AS g FROM ${q(IDS.competences)} c CROSS JOIN ${q(IDS.grandsDomaines)} g ORDER BY 1, 2`)
    expect(result.records_truncated).toBe(true)
    expect(result.records).toHaveLength(ROWS_MAX)
    expect(result.records[0]).toEqual({ c: 1, g: 1 })
    expect(result.records.at(-1)).toEqual({ c: Math.ceil(ROWS_MAX / grands.length), g: ROWS_MAX % grands.length || grands.length })
  })

  it('from generate_series too; exactly 32000 rows are not truncated', async () => {
    const over = await runOk('SELECT g FROM generate_series(1, 40000) g')
    expect(over.records_truncated).toBe(true)
    expect(over.records).toHaveLength(ROWS_MAX)
    const exact = await runOk(`SELECT g FROM generate_series(1, ${ROWS_MAX}) g`)
    expect(exact.records).toHaveLength(ROWS_MAX)
    expect(exact).not.toHaveProperty('records_truncated')
  })

  it('on the embedded engine (statements cannot be cancelled there), refuses a query planned too expensive before running it', async () => {
    const error = errorOf(await run(`SELECT COUNT(*) FROM ${q(IDS.competences)} a, ${q(IDS.competences)} b, ${q(IDS.domaines)} c`), 409, 'datastore_search_sql')
    expect(error).toEqual({ __type: 'Validation Error', query: ['Query too expensive: narrow it (filters, LIMIT) or ask the operator for a dump'] })
  })
})

describe('errors', () => {
  it('missing sql, SQL errors and unknown relations: 409 in CKAN’s shape', async () => {
    expect(errorOf(await t.get(actionUrl('datastore_search_sql')), 409, 'datastore_search_sql')).toEqual({ __type: 'Validation Error', sql: ['Missing value'] })
    const unknownColumn = `SELECT "NOPE" FROM ${q(IDS.grandsDomaines)}`
    expect(errorOf(await run(unknownColumn), 409, 'datastore_search_sql')).toEqual({
      __type: 'Validation Error',
      query: ['column "NOPE" does not exist'],
      info: { statement: [unknownColumn], params: [{}], orig: ['column "NOPE" does not exist'] },
    })
    expect(errorOf(await run('SELECT * FROM "00000000-0000-0000-0000-000000000000"'), 409, 'datastore_search_sql')).toEqual({
      __type: 'Validation Error',
      query: ['relation "00000000-0000-0000-0000-000000000000" does not exist'],
    })
    expect(errorOf(await run('SELECT FROM WHERE'), 409, 'datastore_search_sql')).toMatchObject({ __type: 'Validation Error', query: [expect.stringMatching(/syntax error/) as unknown] })
  })
})

describe('the security suite', () => {
  const SINGLE = { __type: 'Validation Error', query: ['Query is not a single statement.'] }
  const NOT_SELECT = { __type: 'Validation Error', query: ['Query is not a SELECT statement.'] }
  const SYSTEM = { __type: 'Authorization Error', message: 'Access denied: Not authorized to access system tables' }
  const fn = (name: string) => ({ __type: 'Authorization Error', message: `Access denied: Not authorized to call function ${name}` })
  const relation = (name: string) => ({ __type: 'Validation Error', query: [`relation "${name}" does not exist`] })
  const G = q(IDS.grandsDomaines)

  const attempts: [string, string, number, Record<string, unknown>][] = [
    ['a system table', 'SELECT * FROM pg_roles', 403, SYSTEM],
    ['a catalogue table, qualified', 'SELECT * FROM pg_catalog.pg_tables', 403, SYSTEM],
    ['information_schema', 'SELECT table_name FROM information_schema.tables', 403, SYSTEM],
    ['a catalogue lookup through regclass', "SELECT 'offers'::regclass", 403, SYSTEM],
    ['a catalogue row type in a cast', 'SELECT NULL::pg_catalog.pg_authid', 403, SYSTEM],
    ['a catalogue row type in json_populate_record', "SELECT json_populate_record(null::pg_authid, '{}')", 403, SYSTEM],
    ['the row type of a table of the service', "SELECT (json_populate_record(null::applications, '{}')).*", 403, { __type: 'Authorization Error', message: 'Access denied: Not authorized to use type applications' }],
    ['system columns', `SELECT xmin, * FROM ${G}`, 403, { __type: 'Authorization Error', message: 'Access denied: Not authorized to access system columns' }],
    ['stacked statements', `SELECT 1; DROP TABLE ${G}`, 409, SINGLE],
    ['a statement after a block comment', `SELECT 1 /* rien */; DELETE FROM ${G}`, 409, SINGLE],
    ['a statement after a line comment', `SELECT 1 -- rien\n; DELETE FROM ${G}`, 409, SINGLE],
    ['a transaction end then a write', `SELECT 1; COMMIT; DROP TABLE ${G}`, 409, SINGLE],
    ['a backslash-quote', `SELECT * FROM ${G} WHERE "MAIN_PROF_AREA_CODE" = 'A\\'' OR 1 = 1`, 409, SINGLE],
    ['set_config', "SELECT set_config('default_transaction_read_only', 'off', false)", 403, fn('set_config')],
    ['current_setting', "SELECT current_setting('data_directory')", 403, fn('current_setting')],
    ['a DO block', `DO $$ BEGIN DELETE FROM ${G}; END $$`, 409, NOT_SELECT],
    ['a DELETE in a CTE', `WITH d AS (DELETE FROM ${G} RETURNING *) SELECT * FROM d`, 409, { __type: 'Validation Error', query: ['Data-modifying statements are not allowed in WITH.'] }],
    ['an UPDATE of the offers in a CTE', "WITH u AS (UPDATE offers SET status = 'closed' RETURNING 1) SELECT count(*) FROM u", 409, { __type: 'Validation Error', query: ['Data-modifying statements are not allowed in WITH.'] }],
    ['SELECT INTO', `SELECT * INTO copie FROM ${G}`, 409, { __type: 'Validation Error', query: ['SELECT INTO is not allowed.'] }],
    ['SELECT FOR UPDATE', `SELECT * FROM ${G} FOR UPDATE`, 409, { __type: 'Validation Error', query: ['SELECT FOR UPDATE/SHARE is not allowed.'] }],
    ['pg_sleep', 'SELECT pg_sleep(5)', 403, fn('pg_sleep')],
    ['pg_sleep in a WHERE', `SELECT * FROM ${G} WHERE pg_sleep(1) IS NULL`, 403, fn('pg_sleep')],
    ['nextval', "SELECT nextval('offers_seq_seq')", 403, fn('nextval')],
    ['setval', "SELECT setval('offers_seq_seq', 1)", 403, fn('setval')],
    ['pg_notify', "SELECT pg_notify('offer_changes', '1')", 403, fn('pg_notify')],
    ['a query run from text', "SELECT query_to_xml('DELETE FROM offers', true, true, '')", 403, fn('query_to_xml')],
    ['a file read', "SELECT pg_read_file('/etc/passwd')", 403, fn('pg_read_file')],
    ['a large object import', "SELECT lo_import('/etc/passwd')", 403, fn('lo_import')],
    ['a backend kill in a LATERAL', `SELECT * FROM ${G} a, LATERAL (SELECT pg_terminate_backend(pg_backend_pid())) b`, 403, fn('pg_terminate_backend')],
    ['current_user', 'SELECT current_user', 403, fn('current_user')],
    ['a plain DELETE', `DELETE FROM ${G}`, 409, NOT_SELECT],
    ['DROP TABLE', `DROP TABLE ${G}`, 409, NOT_SELECT],
    ['TRUNCATE', `TRUNCATE ${G}`, 409, NOT_SELECT],
    ['UPDATE', `UPDATE ${G} SET "MAIN_PROF_AREA_NAME" = 'x'`, 409, NOT_SELECT],
    ['INSERT', `INSERT INTO ${G} ("_id") VALUES (99)`, 409, NOT_SELECT],
    ['SET ROLE', 'SET ROLE postgres', 409, NOT_SELECT],
    ['COPY TO PROGRAM', `COPY ${G} TO PROGRAM 'id'`, 409, NOT_SELECT],
    ['GRANT', `GRANT ALL ON ${G} TO PUBLIC`, 409, NOT_SELECT],
    ['the offers table', 'SELECT * FROM offers', 409, relation('offers')],
    ['the offers table, qualified', 'SELECT count(*) FROM public.offers', 409, relation('public.offers')],
    ['the offers table as TABLE', 'TABLE offers', 409, relation('offers')],
    ['the applications table', 'SELECT * FROM applications', 409, relation('applications')],
    ['the access tokens', 'SELECT token_hash FROM access_tokens', 409, relation('access_tokens')],
    ['the datastore’s catalogue', 'SELECT * FROM datastore_resources', 409, relation('datastore_resources')],
    ['a resource joined with the offers table', `SELECT * FROM ${G} g JOIN offers o ON o.id = g."MAIN_PROF_AREA_CODE"`, 409, relation('offers')],
  ]

  /** What must not change: rows of a resource and of the service's tables, and the tables themselves. */
  async function snapshot() {
    const db = t.database.db
    const digest = async (table: string, order: string) =>
      (await sql<{ n: number; digest: string | null }>`select count(*)::int as n, md5(string_agg(t::text, ',' order by ${sql.raw(order)})) as digest from ${sql.raw(table)} t`.execute(db)).rows[0]
    return {
      grands: await digest(G, '"_id"'),
      fiches: await digest(q(IDS.romeFiches), '"_id"'),
      offers: await digest('offers', 'id'),
      applications: await digest('applications', 'client_id'),
      tokens: await digest('access_tokens', 'token_hash'),
      resources: await digest('datastore_resources', 'id'),
      settings: (await sql<{ readOnly: string }>`select current_setting('default_transaction_read_only') as "readOnly"`.execute(db)).rows[0],
    }
  }

  it.each(attempts)('refuses %s', async (_label, text, status, error) => {
    const before = await snapshot()
    expect(before.offers?.n).toBe(1)
    expect(before.tokens?.n).toBeGreaterThan(0)
    expect(errorOf(await run(text), status, 'datastore_search_sql')).toEqual(error)
    // The same by POST.
    const posted = await t.get(`${BASE}/datastore_search_sql`, { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ sql: text }) })
    expect(errorOf(posted, status, 'datastore_search_sql')).toEqual(error)
    expect(await snapshot()).toEqual(before)
    // The resource still answers through the API.
    expect((await runOk(`SELECT COUNT(*) FROM ${G}`)).records).toEqual([{ count: 14 }])
  })

  it('runs what only looks dangerous: a write inside a comment or a dollar-quoted string is text', async () => {
    const before = await snapshot()
    expect((await runOk(`SELECT COUNT(*) AS n FROM ${G} --; DROP TABLE ${G}`)).records).toEqual([{ n: 14 }])
    expect((await runOk(`SELECT $$; DROP TABLE ${G}; $$ AS x`)).records).toEqual([{ x: `; DROP TABLE ${G}; ` }])
    expect((await runOk(`SELECT COUNT(*) AS n FROM ${G} /* ; DELETE FROM ${G} */`)).records).toEqual([{ n: 14 }])
    expect(await snapshot()).toEqual(before)
  })
})
