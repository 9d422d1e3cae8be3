/**
 * A resource's rows in PostgreSQL's COPY text format (tab-separated, `\N` for null, backslash
 * escapes), numbered by `_id` from 1, each cell checked against its declared type first: what a
 * load streams into its staging table on either store.
 */
import type { CellValue, DatasetField } from '../../datasets/definition.js'
import type { CopyPiece } from '../load-session.js'
import { cell, DatasetLoadError } from './resource-table.js'

/** Text of a piece, at most (a piece is one COPY statement on the embedded store). */
const PIECE_CHARS = 2_000_000
/** Problems reported at most: the first ones are enough to fix a file. */
const MAX_PROBLEMS = 20

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** One checked value as COPY's text format writes it. */
export function copyValue(value: CellValue): string {
  if (value === null) return '\\N'
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (typeof value === 'number') return String(value)
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (char) => ESCAPES[char] ?? char) : value
}

/**
 * The rows as COPY text pieces of whole lines. Every row is checked (count of values, each cell's
 * type); the first problems end the load with a DatasetLoadError naming them, and nothing is
 * replaced (the staging table is dropped).
 */
export async function* copyTextPieces(
  fields: readonly DatasetField[],
  rows: AsyncIterable<readonly CellValue[]> | Iterable<readonly CellValue[]>,
): AsyncGenerator<CopyPiece> {
  const problems: string[] = []
  let lines: string[] = []
  let chars = 0
  let count = 0
  for await (const row of rows) {
    count++
    if (row.length !== fields.length) {
      problems.push(`line ${count}: ${row.length} values, ${fields.length} declared columns`)
    } else if (problems.length === 0) {
      let line = String(count)
      for (const [at, field] of fields.entries()) {
        const checked = cell(field, row[at])
        if ('problem' in checked) problems.push(`line ${count}: ${checked.problem}`)
        else line += `\t${copyValue(checked.value)}`
      }
      lines.push(line)
      chars += line.length
    }
    if (problems.length >= MAX_PROBLEMS) break
    if (problems.length === 0 && chars >= PIECE_CHARS) {
      yield { bytes: Buffer.from(`${lines.join('\n')}\n`), rows: lines.length }
      lines = []
      chars = 0
    }
  }
  if (problems.length > 0) throw new DatasetLoadError('Data refused: nothing was replaced.', problems)
  if (lines.length > 0) yield { bytes: Buffer.from(`${lines.join('\n')}\n`), rows: lines.length }
}
