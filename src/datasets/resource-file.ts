import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createInterface } from 'node:readline'
import { readNdjson } from '../ingest/offer-file.js'
import { csvRecords } from './csv-rows.js'
import type { CellValue, DatasetField } from './definition.js'

/** A file an operator imports does not fit the resource's declared fields. */
export class ResourceFileError extends Error {
  override name = 'ResourceFileError'
}

/**
 * Checks that a record's columns are exactly the declared fields (`_id` aside); the declared set
 * is built once, and a record that fits costs one lookup per column.
 * @throws ResourceFileError naming the missing and unknown columns.
 */
function columnChecker(fields: readonly DatasetField[]): (columns: readonly string[], where: string) => void {
  const declared = new Set(fields.map((field) => field.id))
  return (columns, where) => {
    const known = columns.filter((column) => declared.has(column)).length
    if (known === declared.size && columns.every((column) => column === '_id' || declared.has(column))) return
    const missing = fields.filter((field) => !columns.includes(field.id)).map((field) => field.id)
    const extra = columns.filter((column) => column !== '_id' && !declared.has(column))
    const problems = [
      ...(missing.length > 0 ? [`missing columns: ${missing.join(', ')}`] : []),
      ...(extra.length > 0 ? [`unknown columns: ${extra.join(', ')}`] : []),
    ]
    throw new ResourceFileError(`${where}: ${problems.join('; ')} (declared columns: ${[...declared].join(', ')})`)
  }
}

/** The first line of a CSV file, to tell `;` from `,`. */
async function firstLine(file: string): Promise<string> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8', end: 64 * 1024 }) })
  for await (const line of lines) {
    lines.close()
    return line
  }
  return ''
}

/**
 * Reads an operator's file for a resource: CSV (`,` or `;`, header row of field ids), a JSON
 * array of objects, or NDJSON (one object per line), keys = field ids. Rows come out with their
 * cells in the order of `fields`; the columns must be exactly the declared ones (`_id` ignored).
 * @throws ResourceFileError naming the missing and unknown columns, or the bad line.
 */
export async function* readResourceFile(file: string, fields: readonly DatasetField[]): AsyncGenerator<CellValue[]> {
  const extension = extname(file).toLowerCase()
  const checkColumns = columnChecker(fields)
  const ordered = (record: Record<string, unknown>): CellValue[] =>
    fields.map((field) => {
      const value = record[field.id]
      return value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : (value as CellValue)
    })
  if (extension === '.csv') {
    const header = (await firstLine(file)).replace(/^\uFEFF/, '')
    const delimiter = header.split(';').length > header.split(',').length ? ';' : ','
    let checked = false
    for await (const record of csvRecords(pathToFileURL(file), { delimiter })) {
      if (!checked) {
        checkColumns(Object.keys(record), file)
        checked = true
      }
      yield ordered(record)
    }
    return
  }
  if (extension === '.json') {
    let parsed: unknown
    try {
      parsed = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''))
    } catch (error) {
      throw new ResourceFileError(`${file}: invalid JSON (${(error as Error).message}).`)
    }
    const records: unknown = Array.isArray(parsed) ? parsed : (parsed as { records?: unknown } | null)?.records
    if (!Array.isArray(records)) throw new ResourceFileError(`${file}: an array of objects (or {"records": [...]}) is expected.`)
    for (const [at, record] of (records as unknown[]).entries()) {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new ResourceFileError(`${file}: item ${at + 1} is not an object.`)
      checkColumns(Object.keys(record), `${file} (item ${at + 1})`)
      yield ordered(record as Record<string, unknown>)
    }
    return
  }
  if (extension === '.ndjson' || extension === '.jsonl') {
    for await (const line of readNdjson(createReadStream(file))) {
      if ('error' in line) throw new ResourceFileError(`${file}: line ${line.position}: invalid JSON.`)
      const record = line.value
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new ResourceFileError(`${file}: line ${line.position}: an object is expected.`)
      checkColumns(Object.keys(record), `${file} (line ${line.position})`)
      yield ordered(record as Record<string, unknown>)
    }
    return
  }
  throw new ResourceFileError(`${file}: unknown format (.csv, .json or .ndjson expected).`)
}
