import type { FilterNode } from '../../domain/datastore/search-filters.js'
import { ID_FIELD, isRankField, keysetSort, type Language, type RankField, type SearchField, type SearchRequest, type SortKey } from '../../domain/datastore/search-request.js'
import type { ResourceRecord, SearchPage } from '../../domain/datastore/datastore.repository.js'
import { textVector } from './resource-table.js'
import { PG_TYPES, quoteIdent, type SqlDatastore } from './sql-datastore.js'

/** A datastore_search never runs longer than this (CKAN: "Search took too long"). */
export const SEARCH_TIMEOUT_MS = 10_000

class Params {
  readonly values: unknown[] = []
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

function column(field: SearchField | RankField): string {
  return quoteIdent(field.id)
}

/** A literal's cast so that a parameter compares with its column's type. */
function cast(field: SearchField): string {
  return PG_TYPES[field.type]
}

/** A key of ORDER BY; nulls are named only where they are not PostgreSQL's default (last ascending). */
function orderTerm(key: SortKey): string {
  const nulls = key.nullsFirst === key.desc ? '' : key.nullsFirst ? ' nulls first' : ' nulls last'
  return `${column(key.field)} ${key.desc ? 'desc' : 'asc'}${nulls}`
}

/**
 * Keyset condition: rows after `values` in `sort` order, nulls first or last as each key says.
 * Expanded as (a after x) or (a = x and b after y) or …
 */
function afterCondition(sort: readonly SortKey[], values: readonly unknown[], params: Params): string {
  const alternatives: string[] = []
  const equalities: string[] = []
  for (const [at, { field, desc, nullsFirst }] of sort.entries()) {
    const value = values[at]
    const name = column(field)
    let after: string
    let equal: string
    if (value === null) {
      after = nullsFirst ? `${name} is not null` : 'false'
      equal = `${name} is null`
    } else {
      const parameter = `${params.add(value)}::${cast(field)}`
      // `_id` is never null: without the null branch the primary key's index serves the range.
      const beyond = `${name} ${desc ? '<' : '>'} ${parameter}`
      after = nullsFirst || field.id === '_id' ? beyond : `(${beyond} or ${name} is null)`
      equal = `${name} = ${parameter}`
    }
    alternatives.push([...equalities, after].join(' and '))
    equalities.push(equal)
  }
  return `(${alternatives.map((item) => `(${item})`).join(' or ')})`
}

const COMPARISONS = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const

/** The SQL of a filter tree (CKAN master's `build_clause`): an empty `and` is true, an empty `or` or `in` false. */
function filterCondition(node: FilterNode<SearchField>, params: Params): string {
  if (node.kind !== 'compare') {
    const members = node.members.map((member) => filterCondition(member, params))
    if (members.length === 0) return node.kind === 'and' ? 'true' : 'false'
    return `(${members.join(node.kind === 'and' ? ' and ' : ' or ')})`
  }
  const { field, op, values } = node
  if (op === 'in') return values.length === 0 ? 'false' : `${column(field)} = any(${params.add(values.map(String))}::${cast(field)}[])`
  return `${column(field)} ${COMPARISONS[op]} ${params.add(values[0])}::${cast(field)}`
}

/** The configurations a query in `language` matches in: the words as written, and the language's stems. */
function queryConfigs(language: Language): string[] {
  return language === 'simple' ? ['simple'] : ['simple', language]
}

/**
 * The tsquery of a full-text search. Plain (CKAN's plainto_tsquery): every word is required, each
 * found as written or by its stem (« boulanger » finds « boulangers », « DE » a code); in
 * to_tsquery's syntax (plain=false), the whole query read in each configuration, either matching.
 */
function tsquery(text: string, request: SearchRequest, params: Params): string {
  const configs = queryConfigs(request.language)
  const value = params.add(text)
  if (!request.plain) return `(${configs.map((config) => `to_tsquery('${config}', ${value})`).join(' || ')})`
  const perWord = configs.map((config) => `plainto_tsquery('${config}', word)`).join(' || ')
  // One parameter whatever the number of words; a word of punctuation alone adds no condition.
  return `(select coalesce(string_agg('(' || query::text || ')', ' & '), '')::tsquery from regexp_split_to_table(${value}::text, '\\s+') as word, lateral (select ${perWord} as query) w where numnode(query) > 0)`
}

/** The full-text conditions of a search and its rank columns, by id. */
interface TextSearch {
  readonly conditions: readonly string[]
  readonly ranks: ReadonlyMap<string, string>
}

/**
 * The row's full text (`q` as text, or `full_text` which replaces it, as in CKAN 2.10+) matches
 * the `_full_text` column; each column of `q` as an object its own vector, in the same configurations.
 */
function textSearch(request: SearchRequest, params: Params): TextSearch {
  const conditions: string[] = []
  const ranks = new Map<string, string>()
  const rowText = request.fullText ?? (request.q?.kind === 'row' ? request.q.text : undefined)
  if (rowText !== undefined) {
    const query = tsquery(rowText, request, params)
    conditions.push(`"_full_text" @@ ${query}`)
    ranks.set('rank', `ts_rank("_full_text", ${query}, 32)`)
  }
  if (request.q?.kind === 'fields') {
    for (const { field, text } of request.q.byField) {
      const vector = textVector(`coalesce(${column(field)}::text, '')`, queryConfigs(request.language))
      const query = tsquery(text, request, params)
      conditions.push(`(${vector}) @@ ${query}`)
      ranks.set(`rank ${field.id}`, `ts_rank(${vector}, ${query}, 32)`)
    }
  }
  return { conditions, ranks }
}

function whereClause(request: SearchRequest, params: Params, text: TextSearch): string[] {
  return [...(request.filters ? [filterCondition(request.filters, params)] : []), ...text.conditions]
}

/** Runs a datastore_search on a resource's table (or view). */
export async function searchResource(store: SqlDatastore, resource: ResourceRecord, request: SearchRequest): Promise<SearchPage> {
  const params = new Params()
  const table = quoteIdent(resource.id)
  const matching = textSearch(request, params)
  const conditions = whereClause(request, params, matching)
  const countParams = [...params.values]
  const countWhere = conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''
  const keyset = keysetSort(request)
  if (request.after && keyset) conditions.push(afterCondition(keyset, request.after, params))
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''
  // Rank fields are made from the same q and full_text as the ranks (parseSearchRequest).
  const rankOf = (field: RankField) => matching.ranks.get(field.id) ?? 'null'
  const selected = request.fields.map((field) => (isRankField(field) ? `${rankOf(field)} as ${column(field)}` : column(field)))
  const hidden = keyset ? keyset.filter((item) => !request.fields.includes(item.field)).map((item) => `${column(item.field)} as ${quoteIdent(`__key_${item.field.id}`)}`) : []
  const select = [...selected, ...hidden]
  // Without a sort, a full-text search is in rank order, best first (CKAN's `_sort`), then `_id`;
  // distinct rows in the order of their columns, ranks first.
  const ranked = request.sort.length === 0 && matching.ranks.size > 0
  const order = keyset
    ? keyset.map(orderTerm)
    : request.distinct && request.sort.length === 0
      ? [...request.fields.filter(isRankField), ...request.fields.filter((field) => !isRankField(field))].map((field) => `${column(field)} ${isRankField(field) ? 'desc' : 'asc'}`)
      : ranked
        ? [...[...matching.ranks.values()].map((rank) => `${rank} desc`), '"_id" asc']
        : request.sort.map(orderTerm)
  const text = `select ${request.distinct ? 'distinct ' : ''}${select.join(', ')} from ${table} ${where} order by ${order.join(', ')} limit ${request.limit}${request.after ? '' : ` offset ${request.offset}`}`
  const [page, total] = await Promise.all([
    store.read(text, params.values, SEARCH_TIMEOUT_MS),
    request.includeTotal
      ? countRows(store, resource, request.distinct ? `distinct ${selected.join(', ')}` : '1', countWhere, countParams, request.totalEstimationThreshold)
      : Promise.resolve(undefined),
  ])
  const last = page.rows.at(-1)
  const keyOf = (row: Record<string, unknown>, field: SearchField) => row[field.id] ?? row[`__key_${field.id}`] ?? null
  const after = keyset && last && page.rows.length === request.limit ? keyset.map((item) => keyOf(last, item.field)) : undefined
  // CKAN master's next_page: only for pages in `_id` order alone, the last row's `_id`.
  const byIdAlone = !request.distinct && (request.sort.length === 0 ? request.q === undefined && request.fullText === undefined : request.sort.length === 1 && request.sort[0]?.field === ID_FIELD)
  const lastId = request.includeNextPage && byIdAlone && last ? Number(keyOf(last, ID_FIELD)) : undefined
  const rows = hidden.length > 0 ? page.rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('__key_')))) : page.rows
  return {
    rows,
    ...(total ? { total: total.total } : {}),
    totalWasEstimated: total?.estimated ?? false,
    ...(after ? { after } : {}),
    ...(lastId !== undefined ? { nextPage: { _id: { [request.sort[0]?.desc ? 'lt' : 'gt']: lastId } } } : {}),
  }
}

/**
 * The total of a search, exact as CKAN's: the table's stored size when nothing narrows it, else
 * a count. With `threshold` (CKAN 2.9+'s total_estimation_threshold), and neither filter nor
 * distinct, the table's statistics are the total when they reach it (`total_was_estimated`).
 * `projection` is what a row counts by: `1`, or `distinct` and the fields (distinct rows).
 */
async function countRows(
  store: SqlDatastore,
  resource: ResourceRecord,
  projection: string,
  where: string,
  params: readonly unknown[],
  threshold: number | undefined,
): Promise<{ total: number; estimated: boolean }> {
  const table = quoteIdent(resource.id)
  const whole = where === '' && projection === '1'
  if (whole && threshold !== undefined && resource.size !== undefined) {
    const estimate = await store.estimatedRows(resource.id)
    if (estimate !== undefined && estimate >= threshold) return { total: estimate, estimated: true }
  }
  if (whole && resource.size !== undefined) return { total: resource.size, estimated: false }
  const result = await store.read(`select count(*) as count from (select ${projection} from ${table} ${where}) s`, params, SEARCH_TIMEOUT_MS)
  return { total: Number(result.rows[0]?.count ?? 0), estimated: false }
}
