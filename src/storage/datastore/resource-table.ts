/**
 * What a resource's table is made of, whatever fills it: column types, quoted names, the French
 * full text of its text columns, and the checks every cell passes before it is stored.
 */
import type { CellValue, DatasetField, FieldType } from '../../datasets/definition.js'
import { LANGUAGES } from '../../domain/datastore/search-request.js'

/**
 * The text search configurations of the datastore's full text, each a tsvector of the row's text
 * (concatenated): the words as written, so that a code or a stop word is found (« DE »), and the
 * French stems, so that a variant is (« boulangère » finds « boulangers »).
 */
export const TEXT_SEARCH_CONFIGS: readonly string[] = ['simple', ...LANGUAGES.filter((language) => language !== 'simple')]

/** The column type of each field type. */
export const PG_TYPES: Record<FieldType, string> = {
  text: 'text',
  int: 'integer',
  numeric: 'numeric',
  date: 'date',
  timestamp: 'timestamp',
  bool: 'boolean',
}

/** A double-quoted identifier; names come from definitions or are checked against them first. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Column expression of the full text: only text columns count, as in CKAN. */
export function fullTextExpression(fields: readonly DatasetField[], from: (field: DatasetField) => string): string {
  const texts = fields.filter((field) => field.type === 'text').map((field) => `coalesce(${from(field)}, '')`)
  return textVector(texts.length > 0 ? texts.join(` || ' ' || `) : `''`, TEXT_SEARCH_CONFIGS)
}

/** The tsvector of a text expression in each of the configurations, concatenated. */
export function textVector(text: string, configs: readonly string[]): string {
  return configs.map((config) => `to_tsvector('${config}'::regconfig, ${text})`).join(' || ')
}

/** The columns of a resource's rows as COPY and INSERT name them: `_id`, then its fields, quoted. */
export function rowColumns(fields: readonly DatasetField[]): string {
  return ['_id', ...fields.map((field) => field.id)].map(quoteIdent).join(', ')
}

/**
 * The CREATE TABLE of a resource's table: `_id`, a column per field, and the full text, computed
 * by the table from the text columns, or `given` with the rows (prebuilt rows carry theirs). A
 * live table whose key is not one of its fields holds it in a `hiddenKey` text column of its own.
 */
export function createTableSql(name: string, fields: readonly DatasetField[], fullText: 'computed' | 'given', hiddenKey?: string): string {
  const columns = fields.map((field) => `${quoteIdent(field.id)} ${PG_TYPES[field.type]}`)
  if (hiddenKey !== undefined) columns.push(`${quoteIdent(hiddenKey)} text not null`)
  const text = fullText === 'given' ? 'tsvector' : `tsvector generated always as (${fullTextExpression(fields, (field) => quoteIdent(field.id))}) stored`
  return `create table ${quoteIdent(name)} ("_id" integer primary key, ${columns.join(', ')}, "_full_text" ${text})`
}

/** The key of a live table of offers when it is not one of the resource's fields: a hidden column. */
export function hiddenKeyOf(fields: readonly DatasetField[], key: string | undefined): string | undefined {
  return key !== undefined && !fields.some((field) => field.id === key) ? key : undefined
}

/** Thrown when a resource's rows do not match its declared fields or count: nothing is replaced. */
export class DatasetLoadError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n  ${problems.slice(0, 20).join('\n  ')}` : message)
    this.name = 'DatasetLoadError'
  }
}

/** Checks and converts one cell to what its column stores; @returns a problem or the value. */
export function cell(field: DatasetField, value: CellValue | undefined): { value: CellValue } | { problem: string } {
  if (value === null || value === undefined || value === '') return { value: null }
  switch (field.type) {
    case 'text':
      return { value: String(value) }
    case 'int': {
      const number = typeof value === 'number' ? value : Number(String(value).trim())
      return Number.isInteger(number) && Math.abs(number) <= 2_147_483_647 ? { value: number } : { problem: `${field.id}: integer expected, "${String(value)}"` }
    }
    case 'numeric': {
      const number = typeof value === 'number' ? value : Number(String(value).trim().replace(',', '.'))
      return Number.isFinite(number) ? { value: number } : { problem: `${field.id}: number expected, "${String(value)}"` }
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? { value: String(value) } : { problem: `${field.id}: date YYYY-MM-DD expected, "${String(value)}"` }
    case 'timestamp':
      return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(String(value))
        ? { value: String(value) }
        : { problem: `${field.id}: ISO 8601 timestamp expected, "${String(value)}"` }
    case 'bool': {
      if (typeof value === 'boolean') return { value }
      const text = String(value).trim().toLowerCase()
      if (['true', 't', '1', 'o', 'oui', 'y', 'yes'].includes(text)) return { value: true }
      if (['false', 'f', '0', 'n', 'non', 'no'].includes(text)) return { value: false }
      return { problem: `${field.id}: boolean expected, "${String(value)}"` }
    }
  }
}
