import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { agencesPackage } from '../../src/datasets/packages/agences.js'
import { cleanUpChildren, runCli, tempFolder } from '../support/cli.js'

/** `openemploi datasets` as operators run it: a child process on a real embedded store. */

const folder = tempFolder('openemploi-datasets-')
afterAll(cleanUpChildren)

const agences = agencesPackage.resources[0]
const env = { DATA_DIR: join(folder, 'store'), DATASETS: 'agences', LOG_LEVEL: 'warn' }

const run = (args: string[]) => runCli(['datasets', ...args], env)

function rowsOf(listing: string, id: string): string | undefined {
  return listing.split('\n').find((line) => line.includes(id))?.split('\t')[2]
}

describe('openemploi datasets', () => {
  it('loads the shipped data, refuses a bad file without change, replaces and adds versions', async () => {
    if (!agences) throw new Error('the agences package has no resource')
    const loaded = await run(['load'])
    expect(loaded.code, loaded.stderr).toBe(0)
    expect(loaded.stdout).toContain(agences.id)
    // Loading again changes nothing: the shipped data did not change.
    expect((await run(['load'])).stdout).toContain('0 resources loaded')
    expect(rowsOf((await run(['list'])).stdout, agences.id)).toBe(String(agences.kind === 'file' ? agences.expectedRows : -1))

    const header = agences.fields.map((field) => field.id)
    const line = (name: string) => header.map((id) => (id === 'AGENCY_NAME' ? name : '')).join(';')
    const good = join(folder, 'agences.csv')
    writeFileSync(good, [header.join(';'), line('Agence A'), line('Agence « B »')].join('\n'))
    const missing = join(folder, 'missing.csv')
    writeFileSync(missing, [header.slice(1).join(','), header.slice(1).map(() => 'x').join(',')].join('\n'))
    const badValue = join(folder, 'bad.ndjson')
    const numeric = agences.fields.find((field) => field.type === 'numeric')
    if (!numeric) throw new Error('no numeric field to test with')
    writeFileSync(badValue, `${JSON.stringify(Object.fromEntries(header.map((id) => [id, id === numeric.id ? 'nord' : null])))}\n`)

    const unknown = await run(['import', '--package', 'agences', '--resource', 'inconnue', good])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('unknown resource inconnue in package agences')
    expect(unknown.stderr).toContain('Nothing was changed')
    for (const file of [missing, badValue]) {
      const refused = await run(['import', '--package', 'agences', '--resource', agences.id, file])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('Nothing was changed')
    }
    expect((await run(['import', '--package', 'agences', '--resource', agences.id, missing])).stderr).toContain(`missing columns: ${header[0]}`)
    expect((await run(['import', '--package', 'agences', '--resource', agences.id, badValue])).stderr).toContain(`${numeric.id}: number expected, "nord"`)
    expect(rowsOf((await run(['list'])).stdout, agences.id)).toBe(String(agences.kind === 'file' ? agences.expectedRows : -1))

    const replaced = await run(['import', '--package', 'agences', '--resource', agences.name, good, '--json'])
    expect(replaced.code, replaced.stderr).toBe(0)
    expect(JSON.parse(replaced.stdout)).toMatchObject({ id: agences.id, rows: 2, added: false })
    const added = JSON.parse((await run(['import', '--package', 'agences', '--resource', agences.id, '--version', '2030', good, '--json'])).stdout) as { id: string; version: string; added: boolean }
    expect(added).toMatchObject({ version: '2030', added: true })
    expect(added.id).not.toBe(agences.id)
    const listing = (await run(['list'])).stdout
    expect(rowsOf(listing, agences.id)).toBe('2')
    expect(rowsOf(listing, added.id)).toBe('2')
    // An operator's version is kept when the shipped data is loaded again.
    await run(['load'])
    expect(rowsOf((await run(['list'])).stdout, agences.id)).toBe('2')
  })
})
