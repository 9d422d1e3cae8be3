import type { DatasetField, FieldType } from '../../datasets/definition.js'
import { JsonTooDeepError, parseClientJson } from '../../shared/json-depth.js'
import type { ActionParams } from './ckan-actions.js'
import { DatastoreValidationError, invalid } from './datastore-errors.js'
import { parseFilters, pythonRepr, type FilterNode } from './search-filters.js'

/** A column a search may name: a declared field, or the row number `_id`. */
export interface SearchField {
  readonly id: string
  readonly type: FieldType
}

export const ID_FIELD: SearchField = { id: '_id', type: 'int' }

/**
 * A rank column of a full-text search (CKAN ≥ 2.3): `rank`, the row's match (`q` as text or
 * `full_text`), or `rank <column>`, that column's match (`q` as an object).
 */
export interface RankField {
  readonly id: string
  readonly type: 'float'
}

/** A column of a search's result: a field, or a rank. */
export type ResultField = SearchField | RankField

export function isRankField(field: ResultField): field is RankField {
  return field.type === 'float'
}

/** CKAN's records_format values. */
export const RECORDS_FORMATS = ['objects', 'lists', 'csv', 'tsv'] as const
export type RecordsFormat = (typeof RECORDS_FORMATS)[number]

/**
 * The text search configurations a search may ask for (`language`): those the full text of every
 * row holds, its French stems and its words as written (`simple`: codes, stop words).
 */
export const LANGUAGES = ['french', 'simple'] as const
export type Language = (typeof LANGUAGES)[number]
const LANGUAGE_SET = new Set<string>(LANGUAGES)
/** The text search configuration of `q` when none is asked: the datasets are French. */
export const DEFAULT_LANGUAGE: Language = 'french'

/** CKAN's `ckan.datastore.search.rows_max`: a larger limit is clamped to it. */
export const ROWS_MAX = 32_000
/** Rows of a datastore_search without `limit`. */
export const DEFAULT_LIMIT = 100

export type FilterValue = string | number | boolean

/** One key of a sort: PostgreSQL's default puts nulls last ascending, first descending. */
export interface SortKey {
  readonly field: SearchField
  readonly desc: boolean
  readonly nullsFirst: boolean
}

/** A datastore_search, checked against the resource's fields. */
export interface SearchRequest {
  readonly resourceId: string
  /** Comparisons (equality, membership, ranges) and their `and` / `or`; undefined without filters. */
  readonly filters?: FilterNode<SearchField>
  /** Full text over the row (a string), or over given columns (an object). */
  readonly q?: { readonly kind: 'row'; readonly text: string } | { readonly kind: 'fields'; readonly byField: readonly { readonly field: SearchField; readonly text: string }[] }
  /** Full text over the row (`full_text`, CKAN 2.10): it replaces `q` given as text. */
  readonly fullText?: string
  readonly plain: boolean
  readonly language: Language
  readonly distinct: boolean
  /** The columns returned, in order: without `fields`, every field then the ranks. */
  readonly fields: readonly ResultField[]
  readonly sort: readonly SortKey[]
  readonly limit: number
  readonly offset: number
  readonly includeTotal: boolean
  /** CKAN 2.9+: estimate the total from the table's statistics when they reach this many rows. */
  readonly totalEstimationThreshold?: number
  /** CKAN master: give `next_page`, the filter that continues after a page sorted on `_id`. */
  readonly includeNextPage: boolean
  readonly recordsFormat: RecordsFormat
  /** Keyset position: the sort values and `_id` of the last row of the previous page. */
  readonly after?: readonly unknown[]
  /** The parameters as given, echoed in the result as CKAN does. */
  readonly echo: Readonly<Record<string, unknown>>
}

function isLanguage(name: string): name is Language {
  return LANGUAGE_SET.has(name)
}

const TRUE = new Set(['true', 'yes', 't', 'y', '1', 'on'])

/** A parameter as text: strings as given, other JSON values as JSON. */
export function textParam(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString()
  return value === undefined || value === null ? '' : JSON.stringify(value)
}

/** A value as the datastore serves it: numbers as numbers, timestamps in ISO 8601 with a T. */
export function servedValue(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if ((type === 'numeric' || type === 'int') && typeof value === 'string') return Number(value)
  if (type === 'timestamp' && typeof value === 'string') return value.replace(' ', 'T')
  // PostgreSQL writes `2026-11-28 16:39:40.952+00`: ISO 8601 wants the T and a full offset.
  if (type === 'timestamptz' && typeof value === 'string') return value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')
  return value
}

/** CKAN's boolean_validator: anything but a true-ish value is false. */
export function booleanParam(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback
  if (typeof value === 'boolean') return value
  return TRUE.has(textParam(value).toLowerCase())
}

/** A natural number parameter (limit, offset): CKAN's messages when it is not one. */
export function naturalParam(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback
  const text = textParam(value).trim()
  if (!/^-?\d+$/.test(text)) throw invalid(name, 'Invalid integer')
  const number = Number(text)
  if (number < 0) throw invalid(name, 'Must be a natural number')
  return number
}

/** An integer parameter, negative ones too (CKAN's int_validator). */
function integerParam(name: string, value: unknown): number {
  const text = textParam(value).trim()
  if (!/^-?\d+$/.test(text)) throw invalid(name, 'Invalid integer')
  return Number(text)
}

/** A JSON parameter given as a string in a query string, or as JSON in a POST body. */
export function jsonParam(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value
  try {
    return parseClientJson(value)
  } catch (error) {
    throw invalid(name, error instanceof JsonTooDeepError ? `Could not parse as valid JSON: ${error.message}` : 'Could not parse as valid JSON')
  }
}

/** The items of a list parameter as text: CKAN's list_of_strings_or_string refuses other items. */
function listItems(name: string, items: readonly unknown[]): string[] {
  return items.map((item) => {
    if (typeof item === 'string') return item
    if (Array.isArray(item)) return pythonRepr(item)
    throw invalid(name, `Neither a string nor a list: ${pythonRepr(item)}`)
  })
}

/** A list given as a JSON array, a comma-separated string, or an array. */
function listParam(name: string, value: unknown): string[] {
  if (Array.isArray(value)) return listItems(name, value)
  if (typeof value !== 'string') throw invalid(name, 'Not a list or a string')
  const text = value.trim()
  if (text.startsWith('[')) {
    const parsed = jsonParam(name, text)
    if (!Array.isArray(parsed)) throw invalid(name, 'Not a list or a string')
    return listItems(name, parsed)
  }
  return text.split(',').map((item) => item.trim()).filter((item) => item.length > 0)
}

function checkValue(field: SearchField, value: unknown, param: string): FilterValue {
  if (typeof value === 'object' || value === undefined) {
    throw invalid(param, `invalid value for field "${field.id}": ${JSON.stringify(value)}`)
  }
  const text = textParam(value)
  if (field.type === 'int' && !/^-?\d+$/.test(text.trim())) throw invalid(param, `invalid value "${text}" for field "${field.id}" (int)`)
  if (field.type === 'numeric' && !Number.isFinite(Number(text.trim()))) throw invalid(param, `invalid value "${text}" for field "${field.id}" (numeric)`)
  if (field.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text)) throw invalid(param, `invalid value "${text}" for field "${field.id}" (date)`)
  if (field.type === 'timestamp' && !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text)) {
    throw invalid(param, `invalid value "${text}" for field "${field.id}" (timestamp)`)
  }
  if (field.type === 'bool') return booleanParam(value, false)
  return field.type === 'int' || field.type === 'numeric' ? Number(text) : text
}

/** Splits a sort clause as CKAN's shlex does: words, double quotes grouping. */
function sortWords(clause: string): string[] | undefined {
  const words: string[] = []
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))/gy
  let match: RegExpExecArray | null
  let consumed = 0
  while ((match = pattern.exec(clause)) !== null) {
    words.push(match[1] ?? match[2] ?? '')
    consumed = pattern.lastIndex
  }
  return clause.slice(consumed).trim() === '' ? words : undefined
}

/**
 * One sort clause: `FIELD [asc|desc] [nulls first|last]` (CKAN 2.11's grammar, case-insensitive,
 * the field double-quoted when it must be), with CKAN 2.2's messages when it is not one.
 */
function sortKey(clause: string, byId: ReadonlyMap<string, SearchField>): SortKey {
  const words = sortWords(clause.trim())
  if (!words || words.length === 0) throw invalid('sort', 'not valid syntax for sort clause')
  const [name = '', ...rest] = words
  const field = byId.get(name)
  if (!field) throw invalid('sort', `field "${name}" not in table`)
  const lower = rest.map((word) => word.toLowerCase())
  const direction = lower[0] === 'asc' || lower[0] === 'desc' ? lower.shift() : undefined
  if (lower.length === 0 || (lower.length === 2 && lower[0] === 'nulls' && (lower[1] === 'first' || lower[1] === 'last'))) {
    const desc = direction === 'desc'
    return { field, desc, nullsFirst: lower.length === 0 ? desc : lower[1] === 'first' }
  }
  if (direction === undefined && rest.length === 1) throw invalid('sort', 'sorting can only be asc or desc')
  throw invalid('sort', 'not valid syntax for sort clause')
}

/** The keyset order a cursor belongs to, as text (`FIELD desc,_id asc`). */
function keysetSignature(keyset: readonly SortKey[]): string {
  // Nulls are named only where they are not PostgreSQL's default: earlier cursors stay valid.
  return keyset.map((item) => `${item.field.id} ${item.desc ? 'desc' : 'asc'}${item.nullsFirst === item.desc ? '' : item.nullsFirst ? ' nulls first' : ' nulls last'}`).join(',')
}

/**
 * The opaque keyset cursor of `_links.next`: the position (`values`, one per column of the
 * keyset order) and that order itself, so that a cursor is never read against another sort.
 */
export function encodeCursor(request: Pick<SearchRequest, 'sort' | 'q' | 'fullText' | 'distinct'>, values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify({ sort: keysetSignature(keysetSort(request) ?? []), after: values })).toString('base64url')
}

const INVALID_CURSOR = 'Invalid cursor: use the one of _links.next with the same sort'

function decodeCursor(value: unknown, keyset: readonly SortKey[]): unknown[] {
  let parsed: unknown
  try {
    parsed = parseClientJson(Buffer.from(String(value), 'base64url').toString('utf8'))
  } catch {
    throw invalid('cursor', INVALID_CURSOR)
  }
  const { sort, after } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { sort?: unknown; after?: unknown }
  if (sort !== keysetSignature(keyset) || !Array.isArray(after) || after.length !== keyset.length) throw invalid('cursor', INVALID_CURSOR)
  for (const [at, item] of after.entries()) {
    if (item === null) continue
    if (!['string', 'number', 'boolean'].includes(typeof item)) throw invalid('cursor', INVALID_CURSOR)
    // A value the column's type cannot take would fail in the database: refused here.
    const { field } = keyset[at] as { field: SearchField }
    try {
      checkValue(field, item, 'cursor')
    } catch {
      throw invalid('cursor', INVALID_CURSOR)
    }
  }
  return after
}

/**
 * Reads CKAN's datastore_search parameters (strings from a query string, or JSON values from a
 * POST body) against a resource's fields. Unknown parameters are ignored, as the original did.
 * @throws DatastoreValidationError with CKAN's messages.
 */
export function parseSearchRequest(params: ActionParams<'datastore_search'>, resourceId: string, declared: readonly DatasetField[]): SearchRequest {
  const all: SearchField[] = [ID_FIELD, ...declared.map((field) => ({ id: field.id, type: field.type }))]
  const byId = new Map(all.map((field) => [field.id, field]))
  const echo: Record<string, unknown> = { resource_id: resourceId }

  let filters: FilterNode<SearchField> | undefined
  if (params.filters !== undefined && params.filters !== '') {
    const parsed = jsonParam('filters', params.filters)
    filters = parseFilters(parsed, (name) => byId.get(name), (field, value) => checkValue(field, value, 'filters'))
    echo.filters = parsed
  }

  let q: SearchRequest['q']
  if (params.q !== undefined && params.q !== '') {
    const raw = typeof params.q === 'string' && params.q.trim().startsWith('{') ? jsonParam('q', params.q) : params.q
    if (typeof raw === 'string') q = { kind: 'row', text: raw }
    else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      const byField = Object.entries(raw).map(([name, text]) => {
        const field = byId.get(name)
        if (!field) throw invalid('q', `field "${name}" not in table`)
        // CKAN 2.11's datastore_validate keeps a key whose value is not a string: refused so.
        if (typeof text !== 'string') throw invalid('q', `invalid value "${name}"`)
        return { field, text }
      })
      q = { kind: 'fields', byField }
    } else throw invalid('q', 'Not a string or a json object')
    echo.q = raw
  }
  let fullText: string | undefined
  if (params.full_text !== undefined && params.full_text !== '') {
    if (typeof params.full_text !== 'string') throw invalid('full_text', 'Must be a string')
    fullText = params.full_text
    echo.full_text = fullText
  }
  // CKAN's rank columns: `rank` for the row's full text, `rank <column>` for each column of q.
  const ranks: RankField[] = [
    ...(fullText !== undefined || q?.kind === 'row' ? [{ id: 'rank', type: 'float' as const }] : []),
    ...(q?.kind === 'fields' ? q.byField.map(({ field }) => ({ id: `rank ${field.id}`, type: 'float' as const })) : []),
  ]

  const language = params.language === undefined || params.language === '' ? DEFAULT_LANGUAGE : textParam(params.language).toLowerCase()
  if (!isLanguage(language)) throw invalid('language', `Value must be one of ${JSON.stringify(LANGUAGES)}`)
  const plain = booleanParam(params.plain, true)
  const distinct = booleanParam(params.distinct, false)
  if (params.distinct !== undefined) echo.distinct = distinct
  if (params.plain !== undefined) echo.plain = plain
  if (params.language !== undefined) echo.language = language

  let fields: ResultField[] = [...all, ...ranks]
  if (params.fields !== undefined && params.fields !== '') {
    fields = listParam('fields', params.fields).map((name) => {
      const field = byId.get(name) ?? ranks.find((rank) => rank.id === name)
      if (!field) throw invalid('fields', `field "${name}" not in table`)
      return field
    })
    echo.fields = fields.map((field) => field.id)
  }

  const sort: SortKey[] = []
  if (params.sort !== undefined && params.sort !== '') {
    const clauses = Array.isArray(params.sort) ? listItems('sort', params.sort) : typeof params.sort === 'string' ? params.sort.split(',') : undefined
    if (!clauses) throw invalid('sort', 'sort is not a list or a string')
    for (const clause of clauses) {
      const key = sortKey(clause, byId)
      if (distinct && !fields.includes(key.field)) throw invalid('sort', `field ${key.field.id} must be among the fields returned when distinct is true`)
      sort.push(key)
    }
    echo.sort = params.sort
  }

  const limit = Math.min(naturalParam('limit', params.limit, DEFAULT_LIMIT), ROWS_MAX)
  const offset = naturalParam('offset', params.offset, 0)
  const includeTotal = booleanParam(params.include_total, true)
  const threshold = params.total_estimation_threshold
  const totalEstimationThreshold = threshold === undefined || threshold === null || threshold === '' ? undefined : integerParam('total_estimation_threshold', threshold)
  if (totalEstimationThreshold !== undefined) echo.total_estimation_threshold = totalEstimationThreshold
  const includeNextPage = booleanParam(params.include_next_page, false)
  if (params.include_next_page !== undefined) echo.include_next_page = includeNextPage
  const format = params.records_format === undefined || params.records_format === '' ? 'objects' : textParam(params.records_format)
  if (!(RECORDS_FORMATS as readonly string[]).includes(format)) throw invalid('records_format', `Value must be one of ${JSON.stringify(RECORDS_FORMATS)}`)

  const request: SearchRequest = {
    resourceId,
    ...(filters ? { filters } : {}),
    ...(q ? { q } : {}),
    ...(fullText !== undefined ? { fullText } : {}),
    plain,
    language,
    distinct,
    fields,
    sort,
    limit,
    offset,
    includeTotal,
    ...(totalEstimationThreshold !== undefined ? { totalEstimationThreshold } : {}),
    includeNextPage,
    recordsFormat: format as RecordsFormat,
    echo: { ...echo, limit, offset, include_total: includeTotal, records_format: format },
  }
  if (params.cursor !== undefined && params.cursor !== '') {
    const keyset = keysetSort(request)
    if (!keyset) throw new DatastoreValidationError({ cursor: ['A cursor needs a sort on columns (not on rank) and distinct false'] })
    return { ...request, after: decodeCursor(params.cursor, keyset) }
  }
  return request
}

/**
 * The order a page can be resumed from (keyset paging): the sort, then `_id`, which makes every
 * position unique. Undefined where rows have no stable position to resume from (distinct, rank).
 */
export function keysetSort(request: Pick<SearchRequest, 'sort' | 'q' | 'fullText' | 'distinct'>): readonly SortKey[] | undefined {
  if (request.distinct) return undefined
  // Without a sort, a full-text search is in rank order.
  if (request.sort.length === 0 && (request.q !== undefined || request.fullText !== undefined)) return undefined
  // `_id` is unique: what follows it in a sort never matters.
  const at = request.sort.findIndex((item) => item.field.id === '_id')
  return at >= 0 ? request.sort.slice(0, at + 1) : [...request.sort, { field: ID_FIELD, desc: false, nullsFirst: false }]
}
