import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/cli/logger.js'
import { loadConfig } from '../../src/config/load-config.js'
import { buildNode, type ServiceNode } from '../../src/node.js'
import { capturedLog } from '../support/log-capture.js'
import { storeTemplate } from '../support/databases.js'

/**
 * The request log of a node (issue 12, point 17): every request at info, except the probes that
 * monitors send every few seconds (/health, /health/ready, /metrics), unless LOG_HEALTH_PROBES.
 */

const PROBES = ['/health', '/health/ready', '/metrics']
const folders: string[] = []
const nodes: ServiceNode[] = []

afterAll(async () => {
  for (const node of nodes) await node.close()
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

/** Sends the probes and one ordinary request to a node; returns the URLs its request log names. */
async function loggedUrls(env: Record<string, string>): Promise<string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-reqlog-'))
  folders.push(folder)
  const log = capturedLog()
  const config = loadConfig({ DATA_DIR: folder, DEMO_OFFERS: '0', DATASETS: 'none', LOG_LEVEL: 'info', ...env })
  const node = await buildNode(config, createLogger('info', log.stream), { storeTemplate: storeTemplate() })
  nodes.push(node)
  for (const url of [...PROBES, '/catalogue']) await node.app.inject({ url })
  return log.lines
    .filter((line) => line.msg === 'incoming request')
    .map((line) => (line.req as { url: string }).url)
}

describe('the request log', () => {
  it('leaves the health probes out by default, and logs the other requests at info', async () => {
    expect(loadConfig({}).LOG_HEALTH_PROBES).toBe(false)
    expect(await loggedUrls({})).toEqual(['/catalogue'])
  })

  it('logs the probes too with LOG_HEALTH_PROBES=true', async () => {
    expect(await loggedUrls({ LOG_HEALTH_PROBES: 'true' })).toEqual([...PROBES, '/catalogue'])
  })
})
