import { afterAll, describe, expect, it } from 'vitest'
import { ConfigSchema } from '../../src/config/config.schema.js'
import { loadApiCatalogue } from '../../src/storage/api-catalogue.js'
import { cleanUpChildren, runCli, tempFolder } from '../support/cli.js'

/**
 * What the command line says (issue 12, point 16): in English throughout, every kind and API it
 * accepts named in its help, every setting in `serve --help`, and a word when there is nothing.
 */

const tempDir = () => tempFolder('openemploi-cli-')
afterAll(cleanUpChildren)

describe('the command line', () => {
  it('lists in `serve --help` every setting of the configuration, with its default', async () => {
    const { code, stdout } = await runCli(['serve', '--help'])
    expect(code).toBe(0)
    for (const name of Object.keys(ConfigSchema.properties)) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'))
    expect(stdout).toContain('  DATASTORE_SQL_TIMEOUT_MS (default 2000)')
    expect(stdout).toContain('  INFOTRAVAIL_PUBLIC (default false)')
  })

  it('names every API of the catalogue in `clients --help`', async () => {
    const { stdout } = await runCli(['clients', '--help'])
    expect(stdout).toContain(`A: ${loadApiCatalogue().apis.map((api) => api.id).join(', ')}`)
  })

  it('refuses an unknown kind of organisation, even for an owner it knows, in English', async () => {
    const env = { DATA_DIR: tempDir(), LOG_LEVEL: 'warn' }
    const create = (kind: string, apis = 'offresdemploiv2') =>
      runCli(['clients', 'create', '--name', 'App', '--owner-email', 'dev@exemple.fr', '--kind', kind, '--apis', apis], env)
    expect((await create('entreprise')).code).toBe(0)
    const refused = await create('startup', 'offresdemploiv2,emploistore')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toBe(
      'Invalid command line:\n' +
        '  --kind "startup": one of particulier, entreprise, collectivite, ministere\n' +
        '  --apis: unknown API emploistore (known: offresdemploiv2, infotravailv1, depotoffresv1)\n',
    )
    const unknown = await runCli(['clients', 'revoke', `PAR_inconnu_${'0'.repeat(64)}`], env)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe(`openemploi clients: no application PAR_inconnu_${'0'.repeat(64)}.\n`)
  })

  it('says so when no dataset is loaded, and how to load them', async () => {
    const { code, stdout } = await runCli(['datasets', 'list'], { DATA_DIR: tempDir(), LOG_LEVEL: 'warn' })
    expect(code).toBe(0)
    expect(stdout).toBe(
      'No Infotravail dataset is loaded. Load the shipped ones with `openemploi datasets load`\n' +
        '(DATASETS chooses which), or start `openemploi serve`, which loads them.\n',
    )
  })
})
