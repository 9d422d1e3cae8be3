import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { foldAccents } from '../../src/shared/text.js'
import { createBenchSchema, type BenchSchema } from '../pg-schema.js'
import { SALARY_FIELD, type BenchQuery, type FacetMap, type Outcome, type PeerDoc } from './model.js'
import type { BuildReport, PreparedQuery, SearchSystem, TypoMode } from './system.js'

/**
 * PostgreSQL full text as a PostgreSQL user would set it up: one table, a stored `tsvector` of the
 * searched fields in the `french` configuration with the weights of our fields (A title, B
 * appellation and ROME, C compétences and formations, D licences and languages), a GIN index on
 * it, B-tree indexes on the selective filter columns, facets by GROUPING SETS. Texts are folded
 * to unaccented letters in JavaScript (as our analyser folds them), so "developpeur" finds
 * "Développeur"; stemming is PostgreSQL's own, hence totals that may differ from ours.
 */

const COLUMNS = [
  ['id', 'text primary key'],
  ['intitule', 'text not null'],
  ['labels', 'text not null'],
  ['details', 'text not null'],
  ['extras', 'text not null'],
  ['date_creation', 'bigint not null'],
  ['origine', 'text not null'],
  ['type_contrat', 'text not null'],
  ['nature_contrat', 'text'],
  ['experience', 'text not null'],
  ['qualification', 'text not null'],
  ['duree_hebdo', 'text not null'],
  ['rome_code', 'text'],
  ['grand_domaine', 'text'],
  ['commune', 'text'],
  ['city', 'text'],
  ['departement', 'text'],
  ['region', 'text'],
  ['latitude', 'float8'],
  ['longitude', 'float8'],
  ['salary_m', 'float8'],
  ['salary_a', 'float8'],
  ['salary_h', 'float8'],
  ['salary_c', 'float8'],
  ['weekly_minutes', 'int'],
  ['contract_months', 'float8'],
  ['partners', 'text[] not null'],
] as const

/** Filter columns with a B-tree: the selective ones (experience, qualification, hours have 2 to 4 values). */
const BTREE = ['date_creation', 'type_contrat', 'nature_contrat', 'rome_code', 'grand_domaine', 'commune', 'city', 'departement', 'region', 'latitude', 'salary_m', 'salary_a', 'salary_h', 'weekly_minutes', 'contract_months']

const SALARY_COLUMN = { salaryM: 'salary_m', salaryA: 'salary_a', salaryH: 'salary_h', salaryC: 'salary_c' } as const

/** Length of one degree of latitude on the sphere of the distance (as the index's radius band). */
const KM_PER_DEGREE_OF_LATITUDE = 111.19508

const fold = (text: string) => foldAccents(text).toLowerCase()

/** A value in COPY's text format. */
function copyValue(value: string | number | undefined): string {
  if (value === undefined) return '\\N'
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
}

function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`
}

function copyLine(doc: PeerDoc): string {
  const values = [
    doc.id,
    fold(doc.intitule),
    fold(doc.labels),
    fold(doc.details),
    fold(doc.extras),
    doc.date,
    doc.origine,
    doc.typeContrat,
    doc.natureContrat,
    doc.experience,
    doc.qualification,
    doc.dureeHebdo,
    doc.romeCode,
    doc.grandDomaine,
    doc.commune,
    doc.city,
    doc.departement,
    doc.region,
    doc.latitude,
    doc.longitude,
    doc.salaryM,
    doc.salaryA,
    doc.salaryH,
    doc.salaryC,
    doc.weeklyMinutes,
    doc.contractMonths,
    arrayLiteral(doc.partners),
  ]
  return `${values.map(copyValue).join('\t')}\n`
}

function* copyChunks(docs: readonly PeerDoc[]): Generator<string> {
  let chunk = ''
  for (const doc of docs) {
    chunk += copyLine(doc)
    if (chunk.length > 1 << 20) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk !== '') yield chunk
}

/** A PostgreSQL system and what its build cost. */
export interface PostgresBuild {
  readonly system: SearchSystem
  readonly report: BuildReport
  /** Building the word list for pg_trgm, or why there is none. */
  readonly trigrams: { readonly ms: number } | { readonly unavailable: string }
}

/** Builds the table and its indexes in a schema of its own (dropped by `close`). */
export async function buildPostgres(url: string, docs: readonly PeerDoc[], log: (message: string) => void): Promise<PostgresBuild> {
  const schema = await createBenchSchema(url, `bench_peers_${process.pid}`, { applicationName: 'bench-peers' })
  const client = new pg.Client({ connectionString: schema.url })
  await client.connect()
  try {
    await client.query('set statement_timeout = 600000')
    const started = performance.now()
    await client.query(
      `create table offers (${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')},
        document tsvector generated always as (
          setweight(to_tsvector('french', intitule), 'A') || setweight(to_tsvector('french', labels), 'B') ||
          setweight(to_tsvector('french', details), 'C') || setweight(to_tsvector('french', extras), 'D')) stored)`,
    )
    await client.query(`create function distance_km(lat1 float8, lon1 float8, lat2 float8, lon2 float8) returns float8
      language sql immutable parallel safe as $$
        select 2 * 6371.0088 * asin(least(1, sqrt(sin(radians(lat2 - lat1) / 2) ^ 2
          + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2)))
      $$`)
    await pipeline(Readable.from(copyChunks(docs)), client.query(copyFrom(`copy offers (${COLUMNS.map(([name]) => name).join(', ')}) from stdin`)))
    log(`PostgreSQL: ${docs.length} rows copied in ${((performance.now() - started) / 1000).toFixed(1)} s, indexing`)
    await client.query('create index offers_document on offers using gin (document)')
    for (const column of BTREE) await client.query(`create index offers_${column} on offers (${column})`)
    await client.query('analyze offers')
    const ms = performance.now() - started
    const { rows } = await client.query<{ table_mb: string; index_mb: string }>(
      `select round(pg_table_size('offers') / 1048576.0, 1) as table_mb, round(pg_indexes_size('offers') / 1048576.0, 1) as index_mb`,
    )
    const sizes = rows[0]
    const trigrams = await buildTrigrams(client, schema)
    return {
      system: postgresSystem(client, schema, 'unavailable' in trigrams ? undefined : trigrams),
      report: { ms, memory: { tableMB: Number(sizes?.table_mb), indexMB: Number(sizes?.index_mb) } },
      trigrams,
    }
  } catch (error) {
    await client.end()
    await schema.drop()
    throw error
  }
}

/**
 * The word list pg_trgm's documentation suggests for spelling suggestions (F.35.5): the distinct
 * words of the documents (`ts_stat` of the `simple` configuration) with a trigram GIN index.
 */
async function buildTrigrams(client: pg.Client, schema: BenchSchema): Promise<{ ms: number } | { unavailable: string }> {
  const started = performance.now()
  try {
    const { rows } = await client.query<{ schema: string }>(`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`)
    const existing = rows[0]?.schema
    // Created in the bench's schema, it goes with it; one already there is used where it is.
    if (existing === undefined) await client.query(`create extension pg_trgm with schema ${schema.name}`)
    else await client.query(`set search_path = ${schema.name}, ${existing}`)
  } catch (error) {
    return { unavailable: `pg_trgm: ${(error as Error).message}` }
  }
  await client.query(
    `create table words as select word from ts_stat($$select to_tsvector('simple', intitule || ' ' || labels || ' ' || details || ' ' || extras) from offers$$)`,
  )
  await client.query('create unique index words_word on words (word)')
  await client.query('create index words_trigrams on words using gin (word gin_trgm_ops)')
  await client.query('analyze words')
  return { ms: performance.now() - started }
}

/** SQL and parameters of a query's criteria. */
class Conditions {
  readonly clauses: string[] = []
  readonly values: unknown[] = []
  /** How many of the values the WHERE clause uses (the others are the ORDER BY's). */
  filterValues = 0

  /** A parameter, typed: some appear only in ORDER BY, where PostgreSQL cannot infer their type. */
  param(value: unknown, type: 'text' | 'text[]' | 'float8' | 'int' | 'bigint'): string {
    this.values.push(value)
    return `$${this.values.length}::${type}`
  }

  add(clause: string): void {
    this.clauses.push(clause)
  }

  get where(): string {
    return this.clauses.length === 0 ? '' : `where ${this.clauses.join(' and ')}`
  }
}

function conditionsOf(query: BenchQuery, keywordText: string | undefined): { conditions: Conditions; tsquery?: string; distance?: string } {
  const { parsed } = query
  const c = new Conditions()
  let tsquery: string | undefined
  if (keywordText !== undefined) {
    tsquery = `plainto_tsquery('french'::regconfig, ${c.param(fold(keywordText), 'text')})`
    c.add(`document @@ ${tsquery}`)
  }
  const any = (column: string, values: readonly string[] | undefined) => {
    if (values !== undefined) c.add(`${column} = any(${c.param([...values], 'text[]')})`)
  }
  if (parsed.typesContrat || parsed.naturesContrat) {
    c.add(`(type_contrat = any(${c.param([...(parsed.typesContrat ?? [])], 'text[]')}) or nature_contrat = any(${c.param([...(parsed.naturesContrat ?? [])], 'text[]')}))`)
  }
  any('experience', parsed.experiences)
  any('qualification', parsed.qualifications)
  any('duree_hebdo', parsed.dureesHebdo)
  if (parsed.weeklyMinutesMin !== undefined || parsed.weeklyMinutesMax !== undefined) {
    c.add(`weekly_minutes between ${c.param(parsed.weeklyMinutesMin ?? 0, 'int')} and ${c.param(parsed.weeklyMinutesMax ?? 2 ** 31 - 1, 'int')}`)
  }
  if (parsed.contractMonthsMin !== undefined || parsed.contractMonthsMax !== undefined) {
    c.add(`contract_months between ${c.param(parsed.contractMonthsMin ?? 0, 'float8')} and ${c.param(parsed.contractMonthsMax ?? Number.MAX_VALUE, 'float8')}`)
  }
  let distance: string | undefined
  if (parsed.geo) {
    const { centres, radiusKm, wholeCities } = parsed.geo
    const codes = () => c.param(centres.map((centre) => centre.commune), 'text[]')
    const near =
      radiusKm === 0
        ? [`commune = any(${codes()})`, `city = any(${codes()})`]
        : centres.map((centre) => {
            const band = radiusKm / KM_PER_DEGREE_OF_LATITUDE + 1e-6
            return `(latitude between ${c.param(centre.latitude - band, 'float8')} and ${c.param(centre.latitude + band, 'float8')} and distance_km(${c.param(centre.latitude, 'float8')}, ${c.param(centre.longitude, 'float8')}, latitude, longitude) <= ${c.param(radiusKm, 'float8')})`
          })
    if (wholeCities.length > 0) near.push(`city = any(${c.param([...wholeCities], 'text[]')})`)
    c.add(`(${near.join(' or ')})`)
  }
  any('departement', parsed.departements)
  any('region', parsed.regions)
  any('rome_code', parsed.romeCodes)
  any('grand_domaine', parsed.grandsDomaines)
  if (parsed.salary) c.add(`${SALARY_COLUMN[SALARY_FIELD[parsed.salary.period]]} >= ${c.param(parsed.salary.min, 'float8')}`)
  if (parsed.createdFrom !== undefined) c.add(`date_creation >= ${c.param(parsed.createdFrom, 'bigint')}`)
  if (parsed.createdTo !== undefined) c.add(`date_creation <= ${c.param(parsed.createdTo, 'bigint')}`)
  if (parsed.partners) {
    const listed = `partners && ${c.param(parsed.partners.names.map((name) => name.toUpperCase()), 'text[]')}`
    c.add(`(origine = '1' or ${parsed.partners.mode === 'INCLUS' ? listed : `not (${listed})`})`)
  }
  // The distance's parameters come last: the facet query, which does not order, leaves them out.
  c.filterValues = c.values.length
  if (parsed.geo) {
    distance = `least(${parsed.geo.centres.map((centre) => `distance_km(${c.param(centre.latitude, 'float8')}, ${c.param(centre.longitude, 'float8')}, latitude, longitude)`).join(', ')})`
  }
  return { conditions: c, ...(tsquery !== undefined && { tsquery }), ...(distance !== undefined && { distance }) }
}

const FACET_BITS: Readonly<Record<number, keyof FacetMap>> = { 7: 'typeContrat', 11: 'experience', 13: 'qualification', 14: 'natureContrat' }

/** Our words as pg_trgm would correct them: each word the table does not hold becomes its most similar word. */
async function corrected(client: pg.Client, text: string): Promise<string> {
  const words = fold(text).match(/[\p{L}\p{N}]+/gu) ?? []
  const fixed: string[] = []
  for (const word of words) {
    const { rows } = await client.query<{ word: string }>(
      `select coalesce((select word from words where word = $1::text),
        (select word from words where word % $1::text order by similarity(word, $1::text) desc, word limit 1), $1::text) as word`,
      [word],
    )
    fixed.push(rows[0]?.word ?? word)
  }
  return fixed.join(' ')
}

function postgresSystem(client: pg.Client, schema: BenchSchema, trigrams: { ms: number } | undefined): SearchSystem {
  return {
    name: 'PostgreSQL 15 full text',
    typoSetting: trigrams
      ? 'each word not in the word list replaced by its most similar word (pg_trgm `%`, similarity ≥ 0.3), then `plainto_tsquery`'
      : 'pg_trgm unavailable: exact only',
    prepare(query: BenchQuery, typo?: TypoMode): PreparedQuery | string {
      const { parsed, window } = query
      if (typo !== undefined) {
        if (typo === 'tolerant' && !trigrams) return 'pg_trgm unavailable'
        return {
          notes: [],
          run: async (): Promise<Outcome> => {
            const text = typo === 'tolerant' && query.keywordText !== undefined ? await corrected(client, query.keywordText) : query.keywordText
            const { conditions } = conditionsOf(query, text)
            const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from offers ${conditions.where}`, conditions.values.slice(0, conditions.filterValues))
            return { total: rows[0]?.n ?? 0, ids: [] }
          },
        }
      }
      const { conditions, tsquery, distance } = conditionsOf(query, query.keywordText)
      const rank = tsquery === undefined ? undefined : `ts_rank(document, ${tsquery}) desc`
      // The original's orders, each with the others as tie-breakers (contract §4).
      const natural = 'date_creation desc, origine desc, id desc'
      const byDistance = parsed.sort === 2 && distance !== undefined
      const order =
        parsed.sort === 1
          ? ['date_creation desc', rank, 'origine desc, id desc']
          : byDistance
            ? [`${distance} asc`, rank, natural]
            : [rank, natural]
      const facetSql = `select type_contrat, experience, qualification, nature_contrat,
          grouping(type_contrat, experience, qualification, nature_contrat)::int as g, count(*)::int as n
        from offers ${conditions.where}
        group by grouping sets ((type_contrat), (experience), (qualification), (nature_contrat), ())`
      const pageSql = `select id from offers ${conditions.where} order by ${order.filter(Boolean).join(', ')}
        limit ${window.end - window.start + 1} offset ${window.start}`
      return {
        notes: [],
        run: async (): Promise<Outcome> => {
          const facetRows = await client.query<Record<string, string | number | null>>(facetSql, conditions.values.slice(0, conditions.filterValues))
          const page = await client.query<{ id: string }>(pageSql, byDistance ? conditions.values : conditions.values.slice(0, conditions.filterValues))
          const facets: Record<keyof FacetMap, Record<string, number>> = { typeContrat: {}, experience: {}, qualification: {}, natureContrat: {} }
          const columns = { typeContrat: 'type_contrat', experience: 'experience', qualification: 'qualification', natureContrat: 'nature_contrat' }
          let total = 0
          for (const row of facetRows.rows) {
            const bits = Number(row.g)
            if (bits === 15) total = Number(row.n)
            const facet = FACET_BITS[bits]
            const value = facet === undefined ? null : row[columns[facet]]
            if (facet !== undefined && value !== null && value !== undefined) facets[facet][String(value)] = Number(row.n)
          }
          return { total, ids: page.rows.map((row) => row.id), facets }
        },
      }
    },
    close: async () => {
      await client.end()
      await schema.drop()
    },
  }
}
