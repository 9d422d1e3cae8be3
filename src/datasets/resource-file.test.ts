import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DatasetField } from './definition.js'
import { readResourceFile, ResourceFileError } from './resource-file.js'

const folder = mkdtempSync(join(tmpdir(), 'openemploi-resource-file-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const FIELDS: DatasetField[] = [
  { id: 'CODE', type: 'text', info: { label: 'Code', notes: '' } },
  { id: 'NB', type: 'int', info: { label: 'Nombre', notes: '' } },
]

function file(name: string, content: string): string {
  const path = join(folder, name)
  writeFileSync(path, content)
  return path
}

async function rows(path: string) {
  const all: unknown[] = []
  for await (const row of readResourceFile(path, FIELDS)) all.push(row)
  return all
}

describe('readResourceFile', () => {
  it('reads CSV, JSON and NDJSON alike, a byte-order mark and CRLF line ends included, `_id` ignored', async () => {
    const expected = [['A1', '3'], ['B2', null]]
    expect(await rows(file('a.csv', '\uFEFFCODE;NB\r\nA1;3\r\nB2;\r\n'))).toEqual([['A1', '3'], ['B2', '']])
    const json = [{ CODE: 'A1', NB: '3', _id: 1 }, { NB: null, CODE: 'B2' }]
    expect(await rows(file('a.json', `\uFEFF${JSON.stringify(json)}`))).toEqual(expected)
    expect(await rows(file('b.json', JSON.stringify({ records: json })))).toEqual(expected)
    expect(await rows(file('a.ndjson', `\uFEFF${json.map((row) => JSON.stringify(row)).join('\r\n')}\r\n`))).toEqual(expected)
  })

  it('names the missing and unknown columns, and the element or line', async () => {
    const error = rows(file('c.ndjson', '{"CODE":"A1","NB":1}\n{"CODE":"A2","AUTRE":2}\n'))
    await expect(error).rejects.toThrow(ResourceFileError)
    await expect(rows(file('d.ndjson', '{"CODE":"A1","NB":1}\n{"CODE":"A2","AUTRE":2}\n'))).rejects.toThrow(
      /\(line 2\): missing columns: NB; unknown columns: AUTRE/,
    )
    await expect(rows(file('e.json', '[{"CODE":"A1"}]'))).rejects.toThrow(/\(item 1\): missing columns: NB/)
  })

  it('refuses a file that is not JSON with a ResourceFileError', async () => {
    await expect(rows(file('f.ndjson', '{"CODE":"A1","NB":1}\n{oops\n'))).rejects.toThrow(/line 2: invalid JSON/)
    await expect(rows(file('g.json', '[{"CODE":'))).rejects.toThrow(ResourceFileError)
  })
})
