import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { buildNode, type ServiceNode as Node } from '../../src/node.js'
import { createPostgresSchema } from '../support/databases.js'

/**
 * Several `serve` nodes on one PostgreSQL are one service: each node is the real composition
 * (store, LISTEN connections, change follower, index) with its own HTTP application.
 */

const url = process.env.TEST_DATABASE_URL
const DEPOT = '/partenaire/depotoffres/v1/offres'
const SEARCH = '/partenaire/offresdemploi/v2/offres/search'

// Two nodes need a server both can reach: runs where TEST_DATABASE_URL names one (.ci/run sets it).
describe.skipIf(!url)('nodes on one PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createPostgresSchema>>
  const folders: string[] = []
  let token = ''

  async function node(): Promise<Node> {
    const folder = mkdtempSync(join(tmpdir(), 'openemploi-node-'))
    folders.push(folder)
    const config = loadConfig({ DATABASE_URL: schema.url, DATA_DIR: folder, DEMO_OFFERS: '0', LOG_LEVEL: 'silent' })
    const built = await buildNode(config, pino({ level: 'silent' }))
    await built.services.loadIndex()
    return built
  }

  const deposit = (target: Node, intitule: string) =>
    target.app.inject({
      method: 'POST',
      url: DEPOT,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        intitule,
        description: 'Offre déposée par le test de plusieurs nœuds sur une même base.',
        romeCode: 'K2204',
        typeContrat: 'CDD',
        experienceExige: 'D',
        lieuTravail: { commune: '44109' },
      }),
    })

  const finds = async (target: Node, id: string) => {
    const response = await target.app.inject({ url: `${SEARCH}?commune=44109&distance=0&range=0-149`, headers: { authorization: `Bearer ${token}` } })
    return response.statusCode !== 204 && response.json<{ resultats: { id: string }[] }>().resultats.some((offer) => offer.id === id)
  }

  /** Polls until `check` holds; at most 3 s (a node polls the log every second even without notifications). */
  async function eventually(check: () => Promise<boolean>): Promise<boolean> {
    for (let attempt = 0; attempt < 150; attempt++) {
      if (await check()) return true
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return false
  }

  let a: Node
  let b: Node
  beforeAll(async () => {
    if (!url) return
    schema = await createPostgresSchema(url)
    a = await node()
    b = await node()
    const { credentials } = await a.services.access.createClient({
      name: 'Multi',
      ownerEmail: 'multi@exemple.fr',
      kind: 'entreprise',
      apis: ['depotoffresv1', 'offresdemploiv2'],
    })
    await a.services.access.setRateLimit(credentials.client_id, 100_000)
    token = (await a.services.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    await schema.drop()
    for (const folder of folders) rmSync(folder, { recursive: true, force: true })
  })

  it('a deposit through one node is searched on the other, and a close leaves both', async () => {
    const created = await deposit(a, 'Agent de nettoyage (H/F)')
    expect(created.statusCode).toBe(201)
    const { id } = created.json<{ id: string }>()
    expect(await finds(a, id)).toBe(true)
    expect(await eventually(() => finds(b, id))).toBe(true)
    const closed = await b.app.inject({ method: 'DELETE', url: `${DEPOT}/${id}?raison=pourvue`, headers: { authorization: `Bearer ${token}` } })
    expect(closed.statusCode).toBe(204)
    expect(await finds(b, id)).toBe(false)
    expect(await eventually(async () => !(await finds(a, id)))).toBe(true)
  })

  it('a node stopped while others write catches up when it starts again', async () => {
    await b.close()
    const { id } = (await deposit(a, 'Agent d’entretien des locaux (H/F)')).json<{ id: string }>()
    b = await node()
    expect(await finds(b, id)).toBe(true)
  })

  it('a writer waits for the one before it to commit: change numbers are committed in order', async () => {
    // A transaction of another node holding the change log's lock, as a slow writer does mid-write.
    const other = new pg.Client({ connectionString: schema.url })
    await other.connect()
    await other.query('begin')
    await other.query('select pg_advisory_xact_lock(7215001)')
    let answered = false
    const write = deposit(a, 'Cariste (H/F)').then((response) => {
      answered = true
      return response
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(answered).toBe(false)
    await other.query('commit')
    await other.end()
    expect((await write).statusCode).toBe(201)
  })

  it('concurrent writers on both nodes: the feed has every change once, in increasing order', async () => {
    const start = await a.services.liveDependencies.feed.cursor()
    const writes = Array.from({ length: 40 }, (_, i) => deposit(i % 2 === 0 ? a : b, `Préparateur de commandes ${i} (H/F)`))
    // A reader follows the feed while the writers commit.
    const seen: number[] = []
    const ids = new Set<string>()
    let cursor = start
    let writing = true
    const reader = (async () => {
      for (;;) {
        // Read before the page: a page read after the last write was answered sees every write
        // (each answered write is committed), so only such a page may end the reading.
        const lastRead = !writing
        const page = await a.services.liveDependencies.feed.page(cursor, 3)
        for (const entry of page.changements) {
          seen.push(entry.seq)
          ids.add(entry.id)
        }
        const next = Number(page.curseur)
        const moved = next !== cursor
        cursor = next
        if (moved) continue
        if (lastRead) return
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    const responses = await Promise.all(writes)
    writing = false
    await reader
    const written = responses.map((response) => {
      expect(response.statusCode).toBe(201)
      return response.json<{ id: string }>().id
    })
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toEqual([...seen].sort((x, y) => x - y))
    for (const id of written) expect(ids).toContain(id)
  })
})
