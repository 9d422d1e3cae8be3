import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanUpChildren, exited, runCli, startCli, stopChild, tempFolder } from '../support/cli.js'

/**
 * How `openemploi serve` starts, seen from its output (issue 12, points 3 and 17). A start that cannot succeed ends at once, non-zero, with one clear line on standard error and
 * no stack trace (issue 12, point 3). Each case runs `openemploi serve` to its exit: a hang fails
 * the test by its timeout.
 */

const tempDir = () => tempFolder('openemploi-start-')
afterAll(cleanUpChildren)

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
  it('exits with 1 and one line when the port is in use', async () => {
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

  it('exits with 1 and one line when HOST is not an address of this machine', async () => {
    const { code, stderr } = await runCli(['serve'], { DATA_DIR: tempDir(), HOST: '192.0.2.1', PORT: '0', DEMO_OFFERS: '0' })
    expect(code).toBe(1)
    expect(lines(stderr)).toEqual([
      'openemploi serve: HOST 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL): use 127.0.0.1, 0.0.0.0 or one of its addresses.',
    ])
  })

  it('exits with 2 on an unknown name in DATASETS, listed with the other invalid settings, before opening the store', async () => {
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

  it('exits with 2 and one line when DATA_DIR cannot hold a store', async () => {
    const { code, stderr } = await runCli(['serve'], { DATA_DIR: '/proc/x', PORT: '0', DEMO_OFFERS: '0' })
    expect(code).toBe(2)
    expect(lines(stderr)).toEqual([
      'Invalid settings:',
      expect.stringMatching(/^ {2}DATA_DIR="\/proc\/x": cannot hold a store: the folder cannot be created or written \(E[A-Z]+\)$/),
    ])
  })
})

describe('openemploi serve, when its output is not a terminal', () => {
  it('writes only JSON lines: the start banner is one of them, without the demo secret', async () => {
    const dataDir = tempDir()
    const server = startCli(['serve'], { DATA_DIR: dataDir, PORT: '0', DEMO_OFFERS: '50' })
    let stdout = ''
    const closed = exited(server)
    try {
      const banner = await new Promise<Record<string, unknown>>((resolve, reject) => {
        server.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString()
          const line = stdout.split('\n').find((text) => text.includes('"msg":"serving'))
          if (line) resolve(JSON.parse(line) as Record<string, unknown>)
        })
        void closed.then((code) => reject(new Error(`server exited with ${code}: ${stdout}`)))
      })
      const url = String(banner.url)
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const demo = JSON.parse(readFileSync(join(dataDir, 'demo-client.json'), 'utf8')) as { client_id: string; client_secret: string }
      expect(banner).toMatchObject({
        level: 30,
        msg: 'serving; demo application created',
        url,
        portal: `${url}/portail`,
        docs: `${url}/docs`,
        credentials: join(dataDir, 'demo-client.json'),
        demo_client_id: demo.client_id,
      })
      while ((await fetch(`${url}/health`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 200))
      expect(stdout).not.toContain(demo.client_secret)
    } finally {
      await stopChild(server)
    }
    for (const line of stdout.split('\n').filter((text) => text !== '')) expect(() => JSON.parse(line) as unknown).not.toThrow()
  })
})
