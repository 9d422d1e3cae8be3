/**
 * The checks every package's tests run on its definitions and rows, and the small readers those
 * tests share. Checks return the problems they find (empty when all is well), so that a test
 * asserts `toEqual([])` and sees them all at once.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { ExpectStatic, TestAPI } from 'vitest'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import type { CellValue, FieldType, FileResource, PackageDefinition } from '../../src/datasets/definition.js'

/** A package or resource id: a lower-case UUID. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A field id or `pe_source`: UPPER_CASE, as the original names its columns. */
export const FIELD_ID = /^[A-Z][A-Z0-9_]*$/

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Cell problems reported per resource at most: past a few, more say nothing new and slow the diff. */
const MAX_CELL_PROBLEMS = 5

function describeResource(resource: { readonly name: string; readonly peVersion: string }): string {
  return `${resource.name} v${resource.peVersion}`
}

/**
 * What is wrong with a package's metadata: ids that are not unique UUIDs, fields whose ids are not
 * unique UPPER_CASE names or that lack a label or a note, a `pe_source` that is not UPPER_CASE, an
 * unknown `pe_type`, a provenance without files, attribution or date.
 */
export function packageProblems(pkg: PackageDefinition): string[] {
  const problems: string[] = []
  const ids = [pkg.id, ...pkg.resources.map((resource) => resource.id)]
  for (const id of ids) if (!UUID.test(id)) problems.push(`id ${id} is not a UUID`)
  if (new Set(ids).size !== ids.length) problems.push(`${pkg.name}: the package and resource ids are not unique`)
  for (const resource of pkg.resources) {
    const where = describeResource(resource)
    const fieldIds = resource.fields.map((field) => field.id)
    if (new Set(fieldIds).size !== fieldIds.length) problems.push(`${where}: field ids are not unique`)
    for (const field of resource.fields) {
      if (!FIELD_ID.test(field.id)) problems.push(`${where}: field id ${field.id} is not UPPER_CASE`)
      if (field.info.label === '') problems.push(`${where}: ${field.id} has no label`)
      if (field.info.notes === '') problems.push(`${where}: ${field.id} has no notes`)
    }
    if (!FIELD_ID.test(resource.peSource)) problems.push(`${where}: pe_source ${resource.peSource} is not UPPER_CASE`)
    if (!['reference', 'data'].includes(resource.peType)) problems.push(`${where}: pe_type ${String(resource.peType)}`)
    if (resource.provenance.files.length === 0) problems.push(`${where}: no provenance files`)
    if (resource.provenance.attribution === '') problems.push(`${where}: no attribution`)
    if (resource.provenance.date === '') problems.push(`${where}: no provenance date`)
  }
  return problems
}

/** Whether a non-null cell is a value of the field's type (text cells are never empty: empty is null). */
function fitsType(cell: Exclude<CellValue, null>, type: FieldType): boolean {
  switch (type) {
    case 'int':
      return Number.isInteger(cell)
    case 'numeric':
      return typeof cell === 'number' && Number.isFinite(cell)
    case 'date':
      return typeof cell === 'string' && ISO_DATE.test(cell)
    case 'timestamp':
      return typeof cell === 'string' && !Number.isNaN(Date.parse(cell))
    case 'bool':
      return typeof cell === 'boolean'
    case 'text':
      return typeof cell === 'string' && cell !== ''
  }
}

/**
 * The records of a CSV file of `data/`, parsed independently of the packages' streaming reader
 * (whole file, synchronous parser). The separator is the one the header row uses most, `;` or `,`.
 */
export function sourceRecords(path: string, dataDir: URL = DATA_DIR): Record<string, string>[] {
  const content = readFileSync(new URL(path, dataDir), 'utf8')
  const header = content.slice(0, content.indexOf('\n'))
  const delimiter = header.split(';').length > header.split(',').length ? ';' : ','
  return parse(content, { columns: true, bom: true, delimiter, skip_empty_lines: true })
}

/**
 * What is wrong with a file resource's rows: a row whose cell count is not the field count, a cell
 * not of its field's type (the first few), a row count that is not `expectedRows`, or an
 * `expectedRows` that is not the record count of the main file (the first of the provenance)
 * parsed independently.
 */
export async function rowProblems(resource: FileResource, dataDir: URL = DATA_DIR): Promise<string[]> {
  const where = describeResource(resource)
  const cellProblems: string[] = []
  let count = 0
  for await (const row of resource.rows(dataDir)) {
    count += 1
    if (row.length !== resource.fields.length) cellProblems.push(`${where}, row ${count}: ${row.length} cells`)
    resource.fields.forEach((field, index) => {
      const cell = row[index] ?? null
      if (cell !== null && !fitsType(cell, field.type)) {
        cellProblems.push(`${where}, row ${count}: ${field.id} = ${JSON.stringify(cell)} is not ${field.type}`)
      }
    })
  }
  const problems = cellProblems.slice(0, MAX_CELL_PROBLEMS)
  if (count !== resource.expectedRows) problems.push(`${where}: ${count} rows, expectedRows ${resource.expectedRows}`)
  const source = resource.provenance.files[0]
  const records = source === undefined ? 0 : sourceRecords(source, dataDir).length
  if (records !== resource.expectedRows) {
    problems.push(`${where}: ${source ?? 'no file'} has ${records} records, expectedRows ${resource.expectedRows}`)
  }
  return problems
}

/** The parts of the test framework {@link registerResourceChecks} uses, passed in by the test file. */
export interface TestFramework {
  readonly it: TestAPI
  readonly expect: ExpectStatic
}

/**
 * Registers, in the calling test file, the checks every package passes: its metadata
 * ({@link packageProblems}) and, one test per file resource, its rows ({@link rowProblems}).
 * The test file passes `it` and `expect` so that this module loads no test framework at run time.
 */
export function registerResourceChecks(pkg: PackageDefinition, { it, expect }: TestFramework): void {
  it('declares unique UUIDs, well-formed fields and metadata on every resource', () => {
    expect(packageProblems(pkg)).toEqual([])
  })
  for (const resource of fileResourcesOf(pkg)) {
    it(`${describeResource(resource)}: yields one row per source record, cells of the declared types`, async () => {
      expect(await rowProblems(resource)).toEqual([])
    })
  }
}

/** The file resources of a package, in its order. */
export function fileResourcesOf(pkg: PackageDefinition): FileResource[] {
  return pkg.resources.flatMap((resource) => (resource.kind === 'file' ? [resource] : []))
}

/**
 * The one file resource of a package matching every property given (`name`, `peSource`, `peVersion`, `id`).
 * @throws Error when none or several match.
 */
export function findFileResource(
  pkg: PackageDefinition,
  match: Partial<Pick<FileResource, 'id' | 'name' | 'peSource' | 'peVersion'>>,
): FileResource {
  const found = fileResourcesOf(pkg).filter((resource) =>
    Object.entries(match).every(([key, value]) => resource[key as keyof typeof match] === value),
  )
  const [only] = found
  if (only === undefined || found.length > 1) throw new Error(`${found.length} resources of ${pkg.name} match ${JSON.stringify(match)}`)
  return only
}

/** The position of a field in a resource's rows. @throws Error when the resource has no such field. */
export function fieldIndex(resource: FileResource, id: string): number {
  const index = resource.fields.findIndex((field) => field.id === id)
  if (index < 0) throw new Error(`No field ${id} in ${describeResource(resource)}`)
  return index
}

const readRows = new WeakMap<FileResource, Promise<readonly (readonly CellValue[])[]>>()

/**
 * Every row of a file resource, read from `data/` once per test file: expectations that look up
 * several rows of one referential do not parse its file again each time.
 */
export function rowsOf(resource: FileResource): Promise<readonly (readonly CellValue[])[]> {
  let rows = readRows.get(resource)
  if (!rows) {
    rows = (async () => {
      const read: (readonly CellValue[])[] = []
      for await (const row of resource.rows(DATA_DIR)) read.push(row)
      return read
    })()
    readRows.set(resource, rows)
  }
  return rows
}

/** A row as a map field id → cell, for readable expectations. */
export function rowObject(resource: FileResource, row: readonly CellValue[]): Record<string, CellValue> {
  return Object.fromEntries(resource.fields.map((field, index) => [field.id, row[index] ?? null]))
}

/** Every row of a file resource as a map field id → cell. */
export async function rowObjectsOf(resource: FileResource): Promise<Record<string, CellValue>[]> {
  return (await rowsOf(resource)).map((row) => rowObject(resource, row))
}
