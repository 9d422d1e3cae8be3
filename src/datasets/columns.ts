/**
 * File resources described column by column: each column gives its data-dictionary entry and how
 * a record of the source CSV gives its cell. Every package reads its files through these readers,
 * so that a quirk of the published files (a decimal comma, a secrecy marker, a missing header) is
 * handled one way everywhere.
 */
import { fileURLToPath } from 'node:url'
import { csvRecords, intCell, textCell, type CsvReadOptions, type CsvRecord } from './csv-rows.js'
import type { CellValue, DatasetField, FieldType, FileResource, ResourceMetadata } from './definition.js'

/** The note of a column whose name OpenEmploi chose (the original API's name for it is not known). */
export const CHOSEN_NAME_NOTE = "Nom de colonne choisi par OpenEmploi (non observé sur l'API d'origine)."

/**
 * How a cell is read from a source record and, where a column needs it, from what the resource
 * loaded before its rows (a lookup table: bassin names, a commune index, a joined file).
 */
export type CellReader<Context = void> = (record: CsvRecord, context: Context) => CellValue

/** One column of a file resource: its data-dictionary entry and how a source record gives its cell. */
export interface Column<Context = void> {
  /** The field id, UPPER_CASE (`ROME_PROFESSION_CARD_CODE`). */
  readonly id: string
  readonly type: FieldType
  /** The French label of the data dictionary. */
  readonly label: string
  /** The data dictionary's note: which source column it is, what it means, how it was read. */
  readonly notes: string
  readonly cell: CellReader<Context>
}

/** How a cell reader treats the raw text of its column. */
export interface CellOptions {
  /**
   * Raw values that stand for "no value" in this file (`*` statistical secrecy, `nd` not available,
   * a literal `NULL`…): the cell is null rather than the text, and never a made-up 0. Compared as
   * written, before any trimming or parsing.
   */
  readonly nullMarkers?: readonly string[]
}

/**
 * The raw text of a column of a record.
 * @throws Error when the header is missing: the file changed, which must not pass silently as nulls.
 */
export function rawCell(record: CsvRecord, header: string): string {
  const value = record[header]
  if (value === undefined) throw new Error(`Column "${header}" missing from the source file`)
  return value
}

function reader(
  header: string,
  options: CellOptions,
  parse: (value: string) => CellValue,
): (record: CsvRecord) => CellValue {
  const markers = options.nullMarkers ?? []
  return (record) => {
    const value = rawCell(record, header)
    return markers.includes(value) ? null : parse(value)
  }
}

/** A text cell: the column's text as published, null when empty. */
export function text(header: string, options: CellOptions = {}): (record: CsvRecord) => CellValue {
  return reader(header, options, textCell)
}

/** An integer cell, null when empty. @throws Error (when read) on anything but a whole number. */
export function integer(header: string, options: CellOptions = {}): (record: CsvRecord) => CellValue {
  return reader(header, options, intCell)
}

/**
 * A decimal written with a comma (`16,61538462`, `"48,909987"`), as French spreadsheets export
 * them; null when blank. @throws Error (when read) on anything else, rather than guessing.
 */
export function decimalComma(header: string, options: CellOptions = {}): (record: CsvRecord) => CellValue {
  return reader(header, options, (raw) => {
    const value = raw.trim()
    if (value === '') return null
    if (!/^-?\d+(,\d+)?$/.test(value)) throw new Error(`Not a decimal in ${header}: ${JSON.stringify(value)}`)
    return Number(value.replace(',', '.'))
  })
}

/** An ISO date (YYYY-MM-DD) kept as text, null when empty. @throws Error (when read) on anything else. */
export function isoDate(header: string, options: CellOptions = {}): (record: CsvRecord) => CellValue {
  return reader(header, options, (value) => {
    if (value === '') return null
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`Not an ISO date in ${header}: ${JSON.stringify(value)}`)
    return value
  })
}

/** The fields a resource declares for its columns, in their order. */
export function fieldsOf<Context>(columns: readonly Column<Context>[]): readonly DatasetField[] {
  return columns.map((column) => ({ id: column.id, type: column.type, info: { label: column.label, notes: column.notes } }))
}

/**
 * Streams the rows of a CSV file, one per record, cells in the order of `columns` (streaming keeps
 * memory flat: the largest files have hundreds of thousands of records).
 * @throws Error naming the file and the record when a cell cannot be read.
 */
export function fileRows(file: URL, columns: readonly Column[], csv?: CsvReadOptions): AsyncIterable<readonly CellValue[]>
export function fileRows<Context>(
  file: URL,
  columns: readonly Column<Context>[],
  csv: CsvReadOptions,
  context: Context,
): AsyncIterable<readonly CellValue[]>
export async function* fileRows<Context>(
  file: URL,
  columns: readonly Column<Context>[],
  csv: CsvReadOptions = {},
  context?: Context,
): AsyncIterable<readonly CellValue[]> {
  let position = 0
  for await (const record of csvRecords(file, csv)) {
    position += 1
    let row: CellValue[]
    try {
      // The overloads make `context` given whenever the columns need one.
      row = columns.map((column) => column.cell(record, context as Context))
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new Error(`${fileURLToPath(file)}, record ${position}: ${message}`, { cause: error })
    }
    yield row
  }
}

/** What describes a file resource read column by column from one CSV file of `data/`. */
export interface ColumnFileSpec<Context = void> extends Omit<ResourceMetadata, 'fields' | 'provenance'> {
  /** The file the rows are read from, relative to `data/`: one row per record. */
  readonly file: string
  /** How that file is read (`,` and UTF-8 unless given). */
  readonly csv?: CsvReadOptions
  readonly columns: readonly Column<Context>[]
  /** Other files of `data/` the cells draw on (lookups), listed after `file` in the provenance. */
  readonly lookupFiles?: readonly string[]
  /** The provenance's attribution: publisher, licence, upstream copy. */
  readonly attribution: string
  /** The provenance's date: the date or period the figures describe. */
  readonly date: string
  /** The number of records of `file`, checked at load. */
  readonly expectedRows: number
}

/**
 * A file resource from its column description: fields from the columns, provenance listing `file`
 * first (its record count is the row count), rows streamed from `file`. `loadContext` gives what
 * the cells need besides their record; it runs once per read, before the first row.
 */
export function fileResource(spec: ColumnFileSpec): FileResource
export function fileResource<Context>(
  spec: ColumnFileSpec<Context>,
  loadContext: (dataDir: URL) => Context | Promise<Context>,
): FileResource
export function fileResource<Context>(
  spec: ColumnFileSpec<Context>,
  loadContext?: (dataDir: URL) => Context | Promise<Context>,
): FileResource {
  async function* rows(dataDir: URL): AsyncIterable<readonly CellValue[]> {
    // The overloads make `loadContext` given whenever the columns need a context.
    const context = loadContext === undefined ? (undefined as Context) : await loadContext(dataDir)
    yield* fileRows(new URL(spec.file, dataDir), spec.columns, spec.csv ?? {}, context)
  }
  return {
    kind: 'file',
    id: spec.id,
    name: spec.name,
    description: spec.description,
    peSource: spec.peSource,
    peVersion: spec.peVersion,
    peType: spec.peType,
    fields: fieldsOf(spec.columns),
    provenance: { files: [spec.file, ...(spec.lookupFiles ?? [])], attribution: spec.attribution, date: spec.date },
    expectedRows: spec.expectedRows,
    rows,
  }
}
