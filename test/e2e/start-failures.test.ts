import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'

/**
 * A start that cannot succeed ends at once, non-zero, with one clear line on standard error and
 * no stack trace (issue 12, point 3). Each case runs `openemploi serve` to its exit: a hang fails
 * the test by its timeout.
 */

const folders: string[] = []

function tempDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-start-'))
  folders.push(folder)
  return folder
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

/** The lines written on standard error, blank ones left out. */
function lines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '')
}

/** A TCP server holding a port of the loopback, as another process would. */
async function occupiedPort(): Promise<{ server: Server; port: number }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { server, port: address.port }
}

describe('openemploi serve, when it cannot start', () => {
  it('exits with 1 and one line when the port is in use', { timeout: 180_000 }, async () => {
    const { server, port } = await occupiedPort()
    try {
      const { code, stderr } = await runCli(['serve'], { DATA_DIR: tempDir(), PORT: String(port), DEMO_OFFERS: '0' })
      expect(code).toBe(1)
      expect(lines(stderr)).toEqual([
        `openemploi serve: port ${port} of 127.0.0.1 is already in use (EADDRINUSE): stop the process that holds it, or choose another PORT.`,
      ])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('exits with 1 and one line when HOST is not an address of this machine', { timeout: 180_000 }, async () => {
    const { code, stderr } = await runCli(['serve'], { DATA_DIR: tempDir(), HOST: '192.0.2.1', PORT: '0', DEMO_OFFERS: '0' })
    expect(code).toBe(1)
    expect(lines(stderr)).toEqual([
      'openemploi serve: HOST 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL): use 127.0.0.1, 0.0.0.0 or one of its addresses.',
    ])
  })

  it('exits with 2 on an unknown name in DATASETS, listed with the other invalid settings, before opening the store', { timeout: 120_000 }, async () => {
    const dataDir = join(tempDir(), 'store')
    const { code, stderr } = await runCli(['serve'], { DATA_DIR: dataDir, DATASETS: 'rome,nope,agences,autre', PORT: 'eighty' })
    expect(code).toBe(2)
    expect(lines(stderr)).toEqual([
      'Invalid settings:',
      '  PORT="eighty": must be integer',
      '  DATASETS="rome,nope,agences,autre": unknown packages nope, autre (known: rome, bmo, agences, imt, statistiques, offres)',
    ])
    // The store was never opened: its folder does not exist.
    expect(existsSync(dataDir)).toBe(false)
  })

  it('exits with 2 and one line when DATA_DIR cannot hold a store', { timeout: 120_000 }, async () => {
    const { code, stderr } = await runCli(['serve'], { DATA_DIR: '/proc/x', PORT: '0', DEMO_OFFERS: '0' })
    expect(code).toBe(2)
    expect(lines(stderr)).toEqual([
      'Invalid settings:',
      expect.stringMatching(/^ {2}DATA_DIR="\/proc\/x": cannot hold a store: the folder cannot be created or written \(E[A-Z]+\)$/),
    ])
  })
})
