import { describe, expect, it } from 'vitest'
import type { CellValue, DatasetField } from '../../datasets/definition.js'
import { copyTextPieces, copyValue } from './copy-text.js'

const field = (id: string, type: DatasetField['type']): DatasetField => ({ id, type, info: { label: id, notes: '' } })
const FIELDS = [field('NOM', 'text'), field('N', 'int'), field('X', 'numeric'), field('D', 'date'), field('B', 'bool')]

async function text(rows: (readonly CellValue[])[], fields: readonly DatasetField[] = FIELDS): Promise<string> {
  let all = ''
  for await (const piece of copyTextPieces(fields, rows)) all += Buffer.from(piece.bytes).toString('utf8')
  return all
}

describe('COPY text of a resource’s rows', () => {
  it('writes null as \\N, booleans as t/f, and escapes backslashes, tabs and line ends', () => {
    expect(copyValue(null)).toBe('\\N')
    expect(copyValue(true)).toBe('t')
    expect(copyValue(12.5)).toBe('12.5')
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re')
    expect(copyValue('Électricien')).toBe('Électricien')
  })

  it('numbers the rows from 1 and converts every cell as its column declares it', async () => {
    expect(await text([['Lyon', '12', '3,5', '2025-01-31', 'oui'], ['', null, 7, null, false]])).toBe(
      '1\tLyon\t12\t3.5\t2025-01-31\tt\n2\t\\N\t\\N\t7\t\\N\tf\n',
    )
  })

  it('refuses rows whose cells do not match their types or count, naming the problems (after a bad cell, only counts are checked)', async () => {
    await expect(text([['Lille', null, null, '31/01/2025', null], ['Lyon', 'douze', null, null, null], ['Brest']])).rejects.toThrow(
      'Data refused: nothing was replaced.\n  line 1: D: date YYYY-MM-DD expected, "31/01/2025"\n  line 3: 1 values, 5 declared columns',
    )
  })

  it('cuts large inputs into pieces of whole lines that hold every row once', async () => {
    const rows = Array.from({ length: 60_000 }, (_, at) => [`ligne ${at} ${'x'.repeat(40)}`] as const)
    const pieces = []
    for await (const piece of copyTextPieces([field('T', 'text')], rows)) pieces.push(piece)
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.reduce((sum, piece) => sum + piece.rows, 0)).toBe(60_000)
    const lines = pieces.flatMap((piece) => Buffer.from(piece.bytes).toString('utf8').split('\n').filter(Boolean))
    expect(lines).toHaveLength(60_000)
    expect(lines.at(-1)).toBe(`60000\tligne 59999 ${'x'.repeat(40)}`)
  })
})
