import { createReadStream } from 'node:fs'
import { parse, type Options } from 'csv-parse'

/** A record of a CSV file with a header row: header → raw cell text (no key for a missing cell). */
export type CsvRecord = Record<string, string>

/** How a CSV file of `data/` is read (all optional: comma-separated UTF-8 with a header row). */
export interface CsvReadOptions {
  /** The field separator; `,` unless given (some French files use `;`). */
  readonly delimiter?: string
  /** The file's encoding; `utf8` unless given (a BOM is always dropped). */
  readonly encoding?: BufferEncoding
  /** Accept records whose column count differs from the header's (only for files known to be ragged). */
  readonly relaxColumnCount?: boolean
}

function parserOptions(options: CsvReadOptions): Options {
  return {
    columns: true,
    bom: true,
    delimiter: options.delimiter ?? ',',
    // Some exports put a blank line after a multi-line quoted value: such a line is not a record.
    skip_empty_lines: true,
    relax_column_count: options.relaxColumnCount ?? false,
  }
}

/**
 * Streams the records of a CSV file with a header row, each as a map header → raw cell text.
 * Streaming keeps memory flat for the larger files (hundreds of thousands of rows).
 */
export async function* csvRecords(
  file: URL,
  options: CsvReadOptions = {},
): AsyncIterable<CsvRecord> {
  const parser = createReadStream(file, { encoding: options.encoding ?? 'utf8' }).pipe(
    parse(parserOptions(options)),
  )
  for await (const record of parser) yield record as CsvRecord
}

/**
 * The number of records (not lines: quoted values may span lines) of a CSV file with a header
 * row, read the same way as {@link csvRecords}; used to fix and check `expectedRows`.
 */
export async function countCsvRecords(file: URL, options: CsvReadOptions = {}): Promise<number> {
  let count = 0
  for await (const _record of csvRecords(file, options)) count += 1
  return count
}

/** A raw cell as a dataset value: empty (or missing) cells become null, text is kept as is. */
export function textCell(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value
}

/** A raw cell as an integer, null when empty; throws on anything that is not a whole number. */
export function intCell(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null
  const text = value.trim()
  if (!/^-?\d+$/.test(text)) throw new Error(`Not an integer: ${JSON.stringify(value)}`)
  return Number(text)
}
