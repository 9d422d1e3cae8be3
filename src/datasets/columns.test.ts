import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { CellValue } from './definition.js'
import { decimalComma, fieldsOf, fileResource, fileRows, integer, isoDate, text, type Column } from './columns.js'

const folder = mkdtempSync(join(tmpdir(), 'openemploi-columns-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
const dataDir = pathToFileURL(`${folder}/`)

async function collect(rows: AsyncIterable<readonly CellValue[]> | Iterable<readonly CellValue[]>): Promise<CellValue[][]> {
  const all: CellValue[][] = []
  for await (const row of rows) all.push([...row])
  return all
}

describe('cell readers', () => {
  it('read text, integers, decimal commas and ISO dates, empty as null', () => {
    const record = { t: 'a b', i: '-12', d: ' 48,909987 ', n: '3', date: '2021-12-21', empty: '' }
    expect(text('t')(record)).toBe('a b')
    expect(integer('i')(record)).toBe(-12)
    expect(decimalComma('d')(record)).toBe(48.909987)
    expect(decimalComma('n')(record)).toBe(3)
    expect(isoDate('date')(record)).toBe('2021-12-21')
    for (const read of [text, integer, decimalComma, isoDate]) expect(read('empty')(record)).toBeNull()
  })

  it('turn the file’s null markers into null, compared as written', () => {
    const read = integer('met', { nullMarkers: ['*'] })
    expect(read({ met: '*' })).toBeNull()
    expect(read({ met: '7' })).toBe(7)
    expect(() => read({ met: ' *' })).toThrow(/Not an integer/)
    expect(text('x', { nullMarkers: ['NULL', 'nd'] })({ x: 'nd' })).toBeNull()
  })

  it('refuse what they cannot read rather than guess', () => {
    expect(() => decimalComma('d')({ d: '1.5' })).toThrow('Not a decimal in d: "1.5"')
    expect(() => isoDate('d')({ d: '21/12/2021' })).toThrow('Not an ISO date in d: "21/12/2021"')
    expect(() => text('missing')({ other: 'x' })).toThrow('Column "missing" missing from the source file')
  })
})

describe('fileRows and fileResource', () => {
  writeFileSync(join(folder, 'main.csv'), 'code;count\nA;1\nB;*\n')
  writeFileSync(join(folder, 'bad.csv'), 'code;count\nA;1\nB;x\n')
  const columns: readonly Column<ReadonlyMap<string, string>>[] = [
    { id: 'CODE', type: 'text', label: 'Code', notes: 'Colonne « code ».', cell: text('code') },
    { id: 'NAME', type: 'text', label: 'Nom', notes: 'Par le code.', cell: (record, names) => names.get(record.code ?? '') ?? null },
    { id: 'COUNT', type: 'int', label: 'Nombre', notes: '« * » → null.', cell: integer('count', { nullMarkers: ['*'] }) },
  ]

  it('builds the resource: fields, provenance with the main file first, rows with their context', async () => {
    const resource = fileResource(
      {
        id: '00000000-0000-4000-8000-000000000000',
        name: 'Essai',
        description: 'Une ressource d’essai.',
        peSource: 'ESSAI',
        peVersion: '1',
        peType: 'data',
        file: 'main.csv',
        csv: { delimiter: ';' },
        columns,
        lookupFiles: ['names.csv'],
        attribution: 'Essai',
        date: '2025',
        expectedRows: 2,
      },
      () => new Map([['A', 'Alpha']]),
    )
    expect(resource.kind).toBe('file')
    expect(resource.fields).toEqual(fieldsOf(columns))
    expect(resource.fields[2]).toEqual({ id: 'COUNT', type: 'int', info: { label: 'Nombre', notes: '« * » → null.' } })
    expect(resource.provenance).toEqual({ files: ['main.csv', 'names.csv'], attribution: 'Essai', date: '2025' })
    expect(await collect(resource.rows(dataDir))).toEqual([
      ['A', 'Alpha', 1],
      ['B', null, null],
    ])
  })

  it('names the file and the record of a cell it cannot read', async () => {
    const rows = fileRows(new URL('bad.csv', dataDir), columns, { delimiter: ';' }, new Map<string, string>())
    await expect(collect(rows)).rejects.toThrow(/bad\.csv, record 2: Not an integer: "x"/)
  })
})
