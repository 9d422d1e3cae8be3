import { keysetSort, type SearchField, type SearchRequest } from '../../domain/datastore/search-request.js'
import type { ResourceRecord, SearchPage } from '../../domain/datastore/datastore.repository.js'
import { PG_TYPES, quoteIdent, type SqlDatastore } from './sql-datastore.js'

/** Above this many matching rows, a total is the planner's estimate (`total_was_estimated`). */
export const TOTAL_ESTIMATION_THRESHOLD = 100_000
/** A datastore_search never runs longer than this (CKAN: "Search took too long"). */
export const SEARCH_TIMEOUT_MS = 10_000

class Params {
  readonly values: unknown[] = []
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

function column(field: SearchField): string {
  return quoteIdent(field.id)
}

/** A literal's cast so that a parameter compares with its column's type. */
function cast(field: SearchField): string {
  return PG_TYPES[field.type]
}

/**
 * Keyset condition: rows after `values` in `sort` order (PostgreSQL puts NULLs last ascending,
 * first descending). Expanded as (a after x) or (a = x and b after y) or …
 */
function afterCondition(sort: readonly { field: SearchField; desc: boolean }[], values: readonly unknown[], params: Params): string {
  const alternatives: string[] = []
  const equalities: string[] = []
  for (const [at, { field, desc }] of sort.entries()) {
    const value = values[at]
    const name = column(field)
    let after: string
    let equal: string
    if (value === null) {
      after = desc ? `${name} is not null` : 'false'
      equal = `${name} is null`
    } else {
      const parameter = `${params.add(value)}::${cast(field)}`
      // `_id` is never null: without the null branch the primary key's index serves the range.
      after = desc || field.id === '_id' ? `${name} ${desc ? '<' : '>'} ${parameter}` : `(${name} > ${parameter} or ${name} is null)`
      equal = `${name} = ${parameter}`
    }
    alternatives.push([...equalities, after].join(' and '))
    equalities.push(equal)
  }
  return `(${alternatives.map((item) => `(${item})`).join(' or ')})`
}

function whereClause(request: SearchRequest, params: Params, tsquery: string | undefined): string[] {
  const conditions: string[] = []
  for (const { field, values } of request.filters) {
    conditions.push(
      values.length === 1
        ? `${column(field)} = ${params.add(values[0])}::${cast(field)}`
        : `${column(field)} = any(${params.add(values.map(String))}::${cast(field)}[])`,
    )
  }
  if (request.q?.kind === 'row' && tsquery) conditions.push(`"_full_text" @@ ${tsquery}`)
  if (request.q?.kind === 'fields') {
    for (const { field, text } of request.q.byField) {
      const fn = request.plain ? 'plainto_tsquery' : 'to_tsquery'
      conditions.push(`to_tsvector(${params.add(request.language)}::regconfig, coalesce(${column(field)}::text, '')) @@ ${fn}(${params.add(request.language)}::regconfig, ${params.add(text)})`)
    }
  }
  return conditions
}

/** Runs a datastore_search on a resource's table (or view). */
export async function searchResource(store: SqlDatastore, resource: ResourceRecord, request: SearchRequest): Promise<SearchPage> {
  const params = new Params()
  const table = quoteIdent(resource.id)
  const tsquery =
    request.q?.kind === 'row'
      ? `${request.plain ? 'plainto_tsquery' : 'to_tsquery'}(${params.add(request.language)}::regconfig, ${params.add(request.q.text)})`
      : undefined
  const conditions = whereClause(request, params, tsquery)
  const countParams = [...params.values]
  const countWhere = conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''
  const keyset = keysetSort(request)
  if (request.after && keyset) conditions.push(afterCondition(keyset, request.after, params))
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''
  const rank = request.q?.kind === 'row'
  const selected = request.fields.map(column)
  const hidden = keyset ? keyset.filter((item) => !request.fields.includes(item.field)).map((item) => `${column(item.field)} as ${quoteIdent(`__key_${item.field.id}`)}`) : []
  const select = [...selected, ...(rank ? [`ts_rank("_full_text", ${tsquery ?? "''"}, 32) as "rank"`] : []), ...hidden]
  const order = keyset
    ? keyset.map((item) => `${column(item.field)} ${item.desc ? 'desc' : 'asc'}`)
    : rank && request.sort.length === 0
      ? ['"rank" desc', '"_id" asc']
      : request.distinct && request.sort.length === 0
        ? selected.map((name) => `${name} asc`)
        : request.sort.map((item) => `${column(item.field)} ${item.desc ? 'desc' : 'asc'}`)
  const text = `select ${request.distinct ? 'distinct ' : ''}${select.join(', ')} from ${table} ${where} order by ${order.join(', ')} limit ${request.limit}${request.after ? '' : ` offset ${request.offset}`}`
  const [page, total] = await Promise.all([
    store.read(text, params.values, SEARCH_TIMEOUT_MS),
    request.includeTotal ? countRows(store, resource, request.distinct ? `distinct ${selected.join(', ')}` : '1', countWhere, countParams) : Promise.resolve(undefined),
  ])
  const last = page.rows.at(-1)
  const after = keyset && last && page.rows.length === request.limit ? keyset.map((item) => last[item.field.id] ?? last[`__key_${item.field.id}`] ?? null) : undefined
  const rows = hidden.length > 0 ? page.rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('__key_')))) : page.rows
  return {
    rows,
    ...(total ? { total: total.total } : {}),
    totalWasEstimated: total?.estimated ?? false,
    ...(after ? { after } : {}),
    rank,
  }
}


/**
 * The total of a search: the table's size when nothing narrows it, an exact count up to the
 * threshold, the planner's estimate above it (so that a broad query on a large table stays cheap).
 * `projection` is what a row counts by: `1`, or `distinct` and the fields (distinct rows).
 */
async function countRows(
  store: SqlDatastore,
  resource: ResourceRecord,
  projection: string,
  where: string,
  params: readonly unknown[],
): Promise<{ total: number; estimated: boolean }> {
  const table = quoteIdent(resource.id)
  if (where === '' && projection === '1' && resource.size !== undefined) return { total: resource.size, estimated: false }
  const counted = `select count(*)::int as count from (select ${projection} from ${table} ${where} limit ${TOTAL_ESTIMATION_THRESHOLD + 1}) s`
  const result = await store.read(counted, params, SEARCH_TIMEOUT_MS)
  const count = Number(result.rows[0]?.count ?? 0)
  if (count <= TOTAL_ESTIMATION_THRESHOLD) return { total: count, estimated: false }
  const estimate = await store.explain(`select ${projection} from ${table} ${where}`, params)
  return { total: Math.max(Math.round(estimate.rows), TOTAL_ESTIMATION_THRESHOLD + 1), estimated: true }
}
