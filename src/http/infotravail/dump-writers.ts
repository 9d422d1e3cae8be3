/**
 * The text of a datastore dump, as CKAN 2.11 writes it (ckanext/datastore/writer.py, and the
 * records of the datastore_search it pages through, backend/postgres.py `search_data`).
 */
import type { DumpFormat } from '../../domain/datastore/dump-request.js'
import { servedValue } from '../../domain/datastore/search-request.js'

/** A column of the dump: its id, its type, and its data dictionary entry when it has one. */
export interface DumpColumn {
  readonly id: string
  readonly type: string
  readonly info?: unknown
}

/** How a dump is written: what comes before the rows, each page of rows, what comes after. */
export interface DumpWriter {
  readonly head: string
  rows(rows: readonly Record<string, unknown>[]): string
  readonly tail: string
}

const BOM = '\uFEFF'

/**
 * A header cell as Python's csv module writes it (QUOTE_MINIMAL): quoted when it holds the
 * delimiter, a quote or a line break.
 */
function headerCell(text: string, delimiter: string): string {
  return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * A value as PostgreSQL's `COPY … TO STDOUT csv` writes it (CKAN's CSV and TSV records): null
 * empty, an empty text quoted (`""`, told apart from null), quoted when it holds the delimiter, a
 * quote or a line break; booleans `t`/`f`; timestamps with a T (CKAN selects them with to_char).
 */
function copyCell(type: string, value: unknown, delimiter: string, alone: boolean): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'boolean') return value ? 't' : 'f'
  const text = String(type === 'timestamp' ? servedValue(type, value) : value)
  const quote = text === '' || /["\r\n]/.test(text) || text.includes(delimiter) || (alone && text === '\\.')
  return quote ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * A float as Python's `str` writes it: the shortest digits, `.0` on whole numbers, an exponent of
 * at least two digits from 1e16 up and below 1e-4 (CKAN's XML cells are `str()` of JSON values).
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf'
  const magnitude = Math.abs(value)
  if (magnitude !== 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
    const [mantissa = '', exponent = '0'] = value.toExponential().split('e')
    const power = Number(exponent)
    return `${mantissa}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`
  }
  const text = String(value)
  return text.includes('.') ? text : `${text}.0`
}

/**
 * An XML cell's text: `str()` of the value CKAN decoded from PostgreSQL's JSON (an integer stays
 * one, a decimal is a float, a boolean `True`/`False`).
 */
function xmlText(type: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return type === 'int' ? String(value) : pythonFloat(value)
  // A decimal comes as PostgreSQL's text: whole, it stays an integer; else a float.
  if (type === 'numeric') return /^[+-]?\d+$/.test(String(value)) ? String(value) : pythonFloat(Number(value))
  return String(servedValue(type, value))
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** An element as ElementTree writes it: `xsi:nil` for null, self-closed when empty. */
function xmlElement(column: DumpColumn, value: unknown): string {
  if (value === null || value === undefined) return `<${column.id} xsi:nil="true" />`
  const text = xmlText(column.type, value)
  return text === '' ? `<${column.id} />` : `<${column.id}>${escapeXml(text)}</${column.id}>`
}

function delimitedWriter(columns: readonly DumpColumn[], delimiter: string, bom: boolean): DumpWriter {
  const alone = columns.length === 1
  return {
    // Python's csv writer ends the header with \r\n; PostgreSQL's COPY ends each record with \n.
    head: `${bom ? BOM : ''}${columns.map((column) => headerCell(column.id, delimiter)).join(delimiter)}\r\n`,
    rows: (rows) => {
      let text = ''
      for (const row of rows) text += `${columns.map((column) => copyCell(column.type, row[column.id], delimiter, alone)).join(delimiter)}\n`
      return text
    },
    tail: '',
  }
}

function jsonWriter(columns: readonly DumpColumn[], bom: boolean): DumpWriter {
  let first = true
  return {
    head: `${bom ? BOM : ''}{\n  "fields": ${JSON.stringify(columns.map((column) => ({ id: column.id, type: column.type, ...(column.info ? { info: column.info } : {}) })))},\n  "records": [`,
    rows: (rows) => {
      let text = ''
      for (const row of rows) {
        text += `${first ? '\n    ' : ',\n    '}${JSON.stringify(columns.map((column) => servedValue(column.type, row[column.id])))}`
        first = false
      }
      return text
    },
    tail: '\n]}\n',
  }
}

function xmlWriter(columns: readonly DumpColumn[], bom: boolean): DumpWriter {
  // `_id` first becomes the row's attribute, as CKAN's XMLWriter does.
  const idColumn = columns[0]?.id === '_id'
  const elements = idColumn ? columns.slice(1) : columns
  return {
    head: `${bom ? BOM : ''}<data xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n`,
    rows: (rows) => {
      let text = ''
      for (const row of rows) {
        const open = idColumn ? `<row _id="${String(row._id)}">` : '<row>'
        text += `${open}${elements.map((column) => xmlElement(column, row[column.id])).join('')}</row>\n`
      }
      return text
    },
    tail: '</data>\n',
  }
}

function ndjsonWriter(columns: readonly DumpColumn[], bom: boolean): DumpWriter {
  return {
    head: bom ? BOM : '',
    rows: (rows) => {
      let text = ''
      for (const row of rows) text += `${JSON.stringify(Object.fromEntries(columns.map((column) => [column.id, servedValue(column.type, row[column.id])])))}\n`
      return text
    },
    tail: '',
  }
}

/** The writer of a dump format over the given columns (`bom`: a UTF-8 byte order mark first, in every format as CKAN). */
export function dumpWriter(format: DumpFormat, columns: readonly DumpColumn[], bom: boolean): DumpWriter {
  switch (format) {
    case 'csv':
      return delimitedWriter(columns, ',', bom)
    case 'tsv':
      return delimitedWriter(columns, '\t', bom)
    case 'json':
      return jsonWriter(columns, bom)
    case 'xml':
      return xmlWriter(columns, bom)
    case 'ndjson':
      return ndjsonWriter(columns, bom)
  }
}
