import { describe, expect, it } from 'vitest'
import type { CellValue, FileResource, PackageDefinition } from '../../src/datasets/definition.js'
import { packageProblems, rowProblems } from '../support/resource-checks.js'

/** A resource over a real file of data/ (14 records), whose rows and metadata a test spoils at will. */
function resource(rows: readonly (readonly CellValue[])[], overrides: Partial<FileResource> = {}): FileResource {
  return {
    kind: 'file',
    id: '00000000-0000-4000-8000-000000000001',
    name: 'Essai',
    description: 'Une ressource d’essai.',
    peSource: 'ESSAI',
    peVersion: '1',
    peType: 'reference',
    fields: [
      { id: 'CODE', type: 'text', info: { label: 'Code', notes: 'Note.' } },
      { id: 'RANK', type: 'int', info: { label: 'Rang', notes: 'Note.' } },
    ],
    provenance: { files: ['rome/unix_grand_domaine_v460_utf8.csv'], attribution: 'Essai', date: '2025' },
    expectedRows: 14,
    rows: () => rows,
    ...overrides,
  }
}

const goodRows = Array.from({ length: 14 }, (_, index) => [`A${index}`, index])

function packageOf(resources: readonly FileResource[]): PackageDefinition {
  const id = '00000000-0000-4000-8000-000000000002'
  return { id, name: 'essai', title: 'Essai', notes: '', frequency: 'annuelle', tags: [], resources }
}

describe('resource checks', () => {
  it('find nothing wrong with a well-formed resource', async () => {
    expect(await rowProblems(resource(goodRows))).toEqual([])
    expect(packageProblems(packageOf([resource(goodRows)]))).toEqual([])
  })

  it('report short rows, cells of the wrong type, empty text and a wrong row count', async () => {
    const rows = [['A', 1], ['B'], ['', 2], ['C', 1.5], ...goodRows.slice(4), ['extra', 1]]
    expect(await rowProblems(resource(rows))).toEqual([
      'Essai v1, row 2: 1 cells',
      'Essai v1, row 3: CODE = "" is not text',
      'Essai v1, row 4: RANK = 1.5 is not int',
      'Essai v1: 15 rows, expectedRows 14',
    ])
  })

  it('report an expectedRows that is not the source file’s record count', async () => {
    const problems = await rowProblems(resource(goodRows.slice(1), { expectedRows: 13 }))
    expect(problems).toEqual(['Essai v1: rome/unix_grand_domaine_v460_utf8.csv has 14 records, expectedRows 13'])
  })

  it('report ids that are not unique UUIDs and malformed fields', () => {
    const bad = resource(goodRows, {
      id: 'not-a-uuid',
      peSource: 'essai',
      fields: [
        { id: 'CODE', type: 'text', info: { label: '', notes: 'Note.' } },
        { id: 'CODE', type: 'text', info: { label: 'Code', notes: '' } },
        { id: 'lower', type: 'int', info: { label: 'Rang', notes: 'Note.' } },
      ],
    })
    // The second resource reuses the package's id.
    const pkg = packageOf([bad, resource(goodRows, { id: '00000000-0000-4000-8000-000000000002' })])
    expect(packageProblems(pkg)).toEqual([
      'id not-a-uuid is not a UUID',
      'essai: the package and resource ids are not unique',
      'Essai v1: field ids are not unique',
      'Essai v1: CODE has no label',
      'Essai v1: CODE has no notes',
      'Essai v1: field id lower is not UPPER_CASE',
      'Essai v1: pe_source essai is not UPPER_CASE',
    ])
  })
})
