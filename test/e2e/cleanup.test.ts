import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cleanUpChildren, serve, tempFolder } from '../support/cli.js'

/**
 * The end-to-end files' cleanup: a server still running when a file ends (its test failed or
 * timed out) is killed and waited for before its store's folder is removed, so nothing is left
 * in the temporary folder and nothing writes into a folder being removed (ENOTEMPTY).
 */
describe('cleanUpChildren', () => {
  it('kills a server left running, waits for it to exit, then removes its folder', async () => {
    const folder = tempFolder('openemploi-cleanup-')
    const { server } = await serve({ DATA_DIR: folder, DEMO_OFFERS: '50' })
    expect(readdirSync(folder).length).toBeGreaterThan(0)
    await cleanUpChildren()
    expect(server.exitCode !== null || server.signalCode !== null).toBe(true)
    expect(existsSync(folder)).toBe(false)
  })
})
