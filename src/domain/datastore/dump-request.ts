import { Type } from 'typebox'
import type { DatasetField } from '../../datasets/definition.js'
import { parseClientJson } from '../../shared/json-depth.js'
import type { ActionParams } from './ckan-actions.js'
import { DEFAULT_LANGUAGE, LANGUAGES, parseSearchRequest, booleanParam, textParam, type SearchRequest } from './search-request.js'

/** CKAN's dump formats (ckanext/datastore/blueprint.py `DUMP_FORMATS`), then NDJSON, ours. */
export const DUMP_FORMATS = ['csv', 'tsv', 'json', 'xml', 'ndjson'] as const
export type DumpFormat = (typeof DUMP_FORMATS)[number]

/**
 * Rows per datastore_search of a dump: what one read holds in memory. CKAN pages by 32,000
 * (`PAGINATE_BY`); smaller pages keep a dump's memory and each read's time low.
 */
export const DUMP_PAGE_ROWS = 5000

/**
 * The query string of `GET /datastore/dump/{id}`, as CKAN 2.11's `dump_schema` reads it (every
 * value is text; `filters` and an object `q` are JSON): what the reference documents.
 */
export const DUMP_PARAMS = Type.Object({
  format: Type.Optional(Type.String({ enum: [...DUMP_FORMATS], default: 'csv', description: 'Format de l’export : CSV, TSV, JSON `{fields, records}`, XML de CKAN, ou NDJSON (une ligne par objet).' })),
  bom: Type.Optional(Type.Boolean({ default: false, description: 'Marque d’ordre des octets (BOM UTF-8) en tête du fichier, pour les tableurs.' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Lignes à sauter.' })),
  limit: Type.Optional(Type.Integer({ minimum: 0, description: 'Lignes au plus ; toutes sans `limit`.' })),
  filters: Type.Optional(Type.String({ description: 'Égalités `{"CHAMP": "valeur"}` ou appartenances `{"CHAMP": ["a", "b"]}`, en JSON, comme pour `datastore_search`.' })),
  q: Type.Optional(Type.String({ description: 'Texte intégral sur toute la ligne, ou par champ en JSON `{"CHAMP": "texte"}` ; sans `fields`, une colonne `rank` s’ajoute.' })),
  plain: Type.Optional(Type.Boolean({ default: true, description: '`q` en texte simple ; `false` : la syntaxe de `to_tsquery` de PostgreSQL.' })),
  language: Type.Optional(Type.String({ enum: [...LANGUAGES], default: DEFAULT_LANGUAGE, description: 'Langue de l’analyse du texte de `q`.' })),
  distinct: Type.Optional(Type.Boolean({ default: false, description: 'Lignes distinctes seulement.' })),
  fields: Type.Optional(Type.String({ description: 'Colonnes exportées, dans cet ordre, séparées par des virgules.' })),
  sort: Type.Optional(Type.String({ default: '_id', description: 'Tri : `"CHAMP [asc|desc], …"`.' })),
})

/**
 * A dump refused: CKAN's `abort(400, …)` of a parameter its dump_schema (or the search it runs)
 * refuses, one `name: message` line per parameter.
 */
export class DumpParamsError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'))
    this.name = 'DumpParamsError'
  }
}

/** A dump as asked: its format, and the search that reads its rows (page by page). */
export interface DumpRequest {
  readonly format: DumpFormat
  readonly bom: boolean
  /** Rows at most; undefined: every row (CKAN: `limit` absent). */
  readonly limit: number | undefined
  /** The rows' search: CKAN's dump runs datastore_search with the same parameters. */
  readonly search: SearchRequest
}

/** CKAN's `request.args.to_dict()`: the first value of each parameter. */
function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value
}

/** CKAN's int_validator: an integer (negative too), empty for none. */
function integer(name: string, value: unknown, errors: string[]): number | undefined {
  const text = textParam(value).trim()
  if (text === '') return undefined
  if (!/^[+-]?\d+$/.test(text)) {
    errors.push(`${name}: Invalid integer`)
    return undefined
  }
  return Number(text)
}

/**
 * Reads a dump's query string as CKAN 2.11 does (`dump_schema`, then the datastore_search of
 * `dump_to`): `format` one of DUMP_FORMATS (csv by default), `offset` and `limit` integers, `filters`
 * JSON, `sort` `_id` by default, the others as datastore_search reads them.
 * @throws DumpParamsError with CKAN's messages (both the schema's and the search's).
 */
export function parseDumpRequest(query: Readonly<Record<string, unknown>>, resourceId: string, declared: readonly DatasetField[]): DumpRequest {
  const given = Object.fromEntries(Object.entries(query).map(([key, value]) => [key, first(value)]))
  const errors: string[] = []
  const offset = integer('offset', given.offset, errors) ?? 0
  const limit = integer('limit', given.limit, errors)
  const format = textParam(given.format) === '' ? 'csv' : textParam(given.format)
  if (!(DUMP_FORMATS as readonly string[]).includes(format)) {
    // Python's repr of CKAN's tuple, as one_of words it.
    errors.push(`format: Value must be one of (${DUMP_FORMATS.map((item) => `'${item}'`).join(', ')})`)
  }
  let filters: unknown
  if (given.filters !== undefined && given.filters !== '') {
    try {
      filters = parseClientJson(textParam(given.filters))
    } catch {
      errors.push('filters: Cannot parse JSON')
    }
  }
  if (errors.length > 0) throw new DumpParamsError(errors)
  const distinct = booleanParam(given.distinct, false)
  // CKAN sorts a dump by `_id` unless told; with distinct rows, by the rows themselves (no `_id` there).
  const sort = given.sort === undefined || given.sort === '' ? (distinct ? undefined : '_id') : given.sort
  const params: ActionParams<'datastore_search'> = {
    filters,
    q: given.q,
    plain: given.plain,
    language: given.language,
    distinct: given.distinct,
    fields: given.fields,
    sort,
    offset,
    limit: limit === undefined ? DUMP_PAGE_ROWS : Math.max(0, Math.min(limit, DUMP_PAGE_ROWS)),
    include_total: false,
  }
  if (limit !== undefined && limit < 0) throw new DumpParamsError(['limit: Must be a natural number'])
  return {
    format: format as DumpFormat,
    bom: booleanParam(given.bom, false),
    limit,
    search: parseSearchRequest(params, resourceId, declared),
  }
}
