import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { requestToken } from '../support/oauth.js'
import { cleanUpChildren, listeningPort, ROOT, runCli, serve, startCli, stopChild, tempFolder, waitHealthy } from '../support/cli.js'

/**
 * The `openemploi` command as users run it: a child process from the sources, a real port, a
 * real embedded store in a temporary DATA_DIR.
 */

const REAL = join(ROOT, 'test/fixtures/offres/offres-appellation-404939-178.json')
const tempDir = () => tempFolder('openemploi-test-')
afterAll(cleanUpChildren)

/** A token asked for as the original's clients do (realm in the query, form body). */
async function accessToken(base: string, clientId: string, secret: string): Promise<string> {
  const response = await requestToken(
    base,
    { clientId, secret },
    { realm: 'partenaire', scope: `application_${clientId} api_offresdemploiv2 o2dsoffre` },
  )
  expect(response.status).toBe(200)
  return ((await response.json()) as { access_token: string }).access_token
}

describe('openemploi', () => {
  it('lists its commands', async () => {
    const { code, stdout } = await runCli(['--help'])
    expect(code).toBe(0)
    for (const command of ['serve', 'import', 'generate', 'clients']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
  })

  it('exits with 2 and the usage on a bad command line', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2)
    const bad = await runCli(['generate', '--offers', 'many', '--out', '/dev/null'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--offers must be an integer')
  })

  it('refuses invalid settings, listing each', async () => {
    const { code, stderr } = await runCli(['serve'], { PORT: 'eighty', LOG_LEVEL: 'chatty' })
    expect(code).toBe(2)
    expect(stderr).toContain('PORT')
    expect(stderr).toContain('LOG_LEVEL')
  })

  it('imports the real sample into an empty store, reporting bad records by position', async () => {
    const dataDir = tempDir()
    const bad = join(dataDir, 'bad.ndjson')
    writeFileSync(bad, '{"id":"1234567"}\nnot json\n')
    const imported = await runCli(['import', REAL, '--appellation', '404939'], { DATA_DIR: dataDir })
    expect(imported.code).toBe(0)
    expect(imported.stdout).toContain('178 read, 178 created, 0 updated, 0 unchanged, 0 rejected')
    const rejected = await runCli(['import', bad], { DATA_DIR: dataDir })
    expect(rejected.code).toBe(1)
    expect(rejected.stdout).toContain('2 read, 0 created, 0 updated, 0 unchanged, 2 rejected')
    expect(rejected.stdout).toMatch(/record 1 \(id 1234567\): .*intitule/)
    expect(rejected.stdout).toMatch(/record 2: not valid JSON/)
  })

  it('serves the demo corpus on a fresh store, 503 then 200 on /health, and stops on SIGTERM', async () => {
    const dataDir = tempDir()
    const server = startCli(['serve'], { DATA_DIR: dataDir, PORT: '0', DEMO_OFFERS: '500' })
    const port = await listeningPort(server)
    const base = `http://127.0.0.1:${port}`
    let health = await fetch(`${base}/health`)
    const statuses = new Set<number>([health.status])
    while (health.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      health = await fetch(`${base}/health`)
      statuses.add(health.status)
    }
    expect([...statuses].every((status) => status === 503 || status === 200)).toBe(true)
    expect(await health.json()).toEqual({ status: 'ok', offres: 500, limiteur: 'local' })

    // The demo application: printed once, and kept in DATA_DIR/demo-client.json for its owner only.
    const demoFile = join(dataDir, 'demo-client.json')
    expect(statSync(demoFile).mode & 0o777).toBe(0o600)
    const demo = JSON.parse(readFileSync(demoFile, 'utf8')) as { client_id: string; client_secret: string }
    expect(demo.client_id).toMatch(/^PAR_demonstration_[0-9a-f]{64}$/)
    expect(await fetch(`${base}/partenaire/offresdemploi/v2/offres/search?range=0-9`).then((r) => r.status)).toBe(401)
    const token = await accessToken(base, demo.client_id, demo.client_secret)
    const search = await fetch(`${base}/partenaire/offresdemploi/v2/offres/search?range=0-9`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(search.status).toBe(206)
    expect(search.headers.get('content-range')).toBe('offres 0-9/500')

    const importWhileServing = await runCli(['import', REAL], { DATA_DIR: dataDir })
    expect(importWhileServing.code).toBe(1)
    expect(importWhileServing.stderr).toContain('in use by process')

    expect(await stopChild(server)).toBe(0)

    const restarted = await serve({ DATA_DIR: dataDir, DEMO_OFFERS: '500' })
    // The demo is loaded once: a restart serves the same 500 offers.
    expect(await (await waitHealthy(restarted.base)).json()).toMatchObject({ status: 'ok', offres: 500 })
    expect(await stopChild(restarted.server)).toBe(0)
  })

  it('manages clients from the command line; a client it creates gets a token and searches', async () => {
    const dataDir = tempDir()
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
    const created = await runCli(
      ['clients', 'create', '--name', 'Mon service', '--owner-email', 'dev@exemple.fr', '--kind', 'entreprise', '--apis', 'offresdemploiv2', '--json'],
      env,
    )
    expect(created.code).toBe(0)
    const client = JSON.parse(created.stdout) as { client_id: string; client_secret: string }
    expect(client.client_id).toMatch(/^PAR_monservice_[0-9a-f]{64}$/)
    expect(client.client_secret).toMatch(/^[0-9a-f]{64}$/)
    expect(created.stderr).not.toContain(client.client_secret)

    const bad = await runCli(['clients', 'create', '--name', 'X', '--owner-email', 'x@exemple.fr', '--kind', 'association', '--apis', 'offresdemploiv2'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--kind "association": one of particulier, entreprise, collectivite, ministere')

    const limited = await runCli(['clients', 'limits', client.client_id, '--per-second', '20'], env)
    expect(limited.code).toBe(0)
    const listed = await runCli(['clients', 'list'], env)
    expect(listed.stdout).toContain(`${client.client_id}\tactive\t20\toffresdemploiv2:granted\tMon service`)
    expect(listed.stdout).not.toContain(client.client_secret)
    expect((await runCli(['clients', 'revoke', `PAR_inconnu_${'0'.repeat(64)}`], env)).code).toBe(1)

    const { server, base } = await serve({ DATA_DIR: dataDir, DEMO_OFFERS: '200' })
    try {
      // An application exists already: no demo application is added.
      expect(existsSync(join(dataDir, 'demo-client.json'))).toBe(false)
      const token = await accessToken(base, client.client_id, client.client_secret)
      const search = await fetch(`${base}/partenaire/offresdemploi/v2/offres/search?range=0-9`, { headers: { authorization: `Bearer ${token}` } })
      expect(search.status).toBe(206)
      expect(search.headers.get('x-ratelimit-burst-capacity-clientidlimiter')).toBe('20')
    } finally {
      await stopChild(server)
    }

    const rotated = await runCli(['clients', 'rotate', client.client_id, '--json'], env)
    expect(JSON.parse(rotated.stdout)).toMatchObject({ client_id: client.client_id })
    const revoked = await runCli(['clients', 'revoke', client.client_id], env)
    expect(revoked.stdout).toContain(`${client.client_id}\trevoked`)
  })
})
