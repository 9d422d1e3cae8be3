import { describe, expect, it } from 'vitest'
import { dumpWriter, pythonFloat } from './dump-writers.js'

/** What the shipped data never holds, written as CKAN 2.11 writes it (writer.py, PostgreSQL's COPY). */

const columns = [
  { id: '_id', type: 'int' },
  { id: 'T', type: 'text' },
  { id: 'N', type: 'numeric' },
  { id: 'B', type: 'bool' },
  { id: 'S', type: 'timestamp' },
]
const row = { _id: 7, T: '', N: '2.0', B: true, S: '2005-03-01 00:00:00' }

describe('dump writers', () => {
  // COPY … csv quotes an empty text (`""`) to tell it from null (empty), writes booleans t/f.
  it('CSV: an empty text quoted, null empty, booleans t/f, timestamps with a T', () => {
    const writer = dumpWriter('csv', columns, false)
    expect(writer.head).toBe('_id,T,N,B,S\r\n')
    expect(writer.rows([row, { _id: 8, T: null, N: null, B: false, S: null }])).toBe('7,"",2.0,t,2005-03-01T00:00:00\n8,,,f,\n')
    // COPY quotes `\.` alone on its line (its end-of-data marker).
    expect(dumpWriter('csv', [{ id: 'T', type: 'text' }], false).rows([{ T: '\\.' }])).toBe('"\\."\n')
  })

  // Python's csv writer quotes a header cell holding the delimiter, a quote or a line break.
  it('CSV and TSV headers quote what Python quotes', () => {
    expect(dumpWriter('csv', [{ id: 'a,b', type: 'text' }, { id: 'c"d', type: 'text' }], false).head).toBe('"a,b","c""d"\r\n')
    expect(dumpWriter('tsv', [{ id: 'a,b', type: 'text' }, { id: 'c\td', type: 'text' }], false).head).toBe('a,b\t"c\td"\r\n')
  })

  // ElementTree: an empty text self-closes (`<T />`), & < > escaped, str() of JSON values (True, 2.0).
  it('XML: empty elements, escapes, Python’s str of numbers and booleans', () => {
    const writer = dumpWriter('xml', columns, false)
    expect(writer.rows([row])).toBe('<row _id="7"><T /><N>2.0</N><B>True</B><S>2005-03-01T00:00:00</S></row>\n')
    expect(writer.rows([{ ...row, T: 'a & <b>', N: '12' }])).toContain('<T>a &amp; &lt;b&gt;</T><N>12</N>')
  })

  it('pythonFloat writes floats as Python’s str', () => {
    expect([2, 1.5, 44.8378, 1e16, 1.5e-5, 0.0001, 123456789012345.6].map(pythonFloat)).toEqual(['2.0', '1.5', '44.8378', '1e+16', '1.5e-05', '0.0001', '123456789012345.6'])
  })
})
