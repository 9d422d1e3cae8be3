import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { agencesPackage } from '../../src/datasets/packages/agences.js'
import { cleanUpChildren, listeningPort, runCli, startCli, stopChild, tempFolder } from '../support/cli.js'
import { createPostgresSchema } from '../support/databases.js'
import { requestToken } from '../support/oauth.js'

/**
 * PostgreSQL dropping a node's connections (failover, restart, an operator's pg_terminate_backend)
 * must never end the node: meanwhile every answer is a success or a 503 with Retry-After in the
 * API's own shape, and the node recovers by itself. The node runs as a child process, so that an
 * unhandled 'error' event really kills something observable.
 */

const url = process.env.TEST_DATABASE_URL
const FAULTS_MS = 5000
const FAULT_EVERY_MS = 300
const RECOVERY_MS = 5000
/** Lines of a bulk deposit: more than two of the service's write batches, so that a failed write is met while the body is still being read. */
const BULK_LINES = 4500
const OFFRES = '/partenaire/offresdemploi/v2'
const DEPOT = '/partenaire/depotoffres/v1/offres'
const DATASTORE = '/partenaire/infotravail/v1/datastore_search'
const agences = agencesPackage.resources[0]

type Kind = 'token' | 'search' | 'deposit' | 'bulk' | 'datastore'

interface Answer {
  readonly kind: Kind
  readonly status: number
  readonly retryAfter: string | null
  readonly body: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function offer(i: number): Record<string, unknown> {
  return {
    intitule: `Magasinier cariste ${i} (H/F)`,
    description: `Offre ${i} déposée pendant que PostgreSQL coupe les connexions du nœud : réception, stockage, inventaires.`,
    romeCode: 'N1103',
    typeContrat: 'CDD',
    experienceExige: 'D',
    lieuTravail: { commune: '69123' },
  }
}

/** Whether a 503 is in the shape of the API that answered it. */
function unavailableShape(answer: Answer): boolean {
  const body = JSON.parse(answer.body) as Record<string, unknown>
  switch (answer.kind) {
    case 'token':
      return body.error === 'temporarily_unavailable' && typeof body.error_description === 'string'
    case 'search':
    case 'deposit':
    case 'bulk':
      return body.codeHttp === 503 && typeof body.codeErreur === 'string' && typeof body.message === 'string'
    case 'datastore': {
      const error = body.error as Record<string, unknown> | undefined
      return body.success === false && typeof body.help === 'string' && typeof error?.__type === 'string' && typeof error.message === 'string'
    }
  }
}

describe.skipIf(!url || !agences)('PostgreSQL dropping the connections of a node', () => {
  // A test that timed out never reaches its own cleanup: the node must not outlive the run.
  afterAll(cleanUpChildren)

  it('keeps the node alive, answers 503 + Retry-After meanwhile, recovers by itself and loses no acknowledged deposit', async () => {
    if (!url || !agences) return
    const schema = await createPostgresSchema(url)
    const applicationName = `oe_fault_${randomBytes(5).toString('hex')}`
    const databaseUrl = new URL(schema.url)
    databaseUrl.searchParams.set('application_name', applicationName)
    const env = { DATABASE_URL: databaseUrl.toString(), DATA_DIR: tempFolder('openemploi-faults-'), DEMO_OFFERS: '0', PORT: '0', DATASETS: 'agences', LOG_LEVEL: 'info' }
    let server: ReturnType<typeof startCli> | undefined
    const killer = new pg.Client({ connectionString: url, application_name: `${applicationName}_killer` })
    try {
      const created = await runCli(
        ['clients', 'create', '--name', 'Pannes', '--owner-email', 'pannes@exemple.fr', '--kind', 'entreprise', '--apis', 'depotoffresv1,offresdemploiv2,infotravailv1', '--json'],
        env,
      )
      expect(created.code, created.stderr).toBe(0)
      const client = JSON.parse(created.stdout) as { client_id: string; client_secret: string }
      expect((await runCli(['clients', 'limits', client.client_id, '--per-second', '100000'], env)).code).toBe(0)
      const credentials = { clientId: client.client_id, secret: client.client_secret }
      const scope = 'api_offresdemploiv2 o2dsoffre api_depotoffresv1 api_infotravailv1'

      const started = startCli(['serve'], env)
      server = started
      let output = ''
      started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const port = await listeningPort(started)
      const base = `http://127.0.0.1:${port}`

      // Faults from the moment the node listens: its index load, its dataset load and the requests all meet them.
      await killer.connect()
      let terminated = 0
      let faulting = true
      const faults = (async () => {
        const end = Date.now() + FAULTS_MS
        while (Date.now() < end) {
          // The function in the select list: it runs only on the rows the filter kept.
          const { rows } = await killer.query<{ done: boolean }>(
            'select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = $1',
            [applicationName],
          )
          terminated += rows.filter((row) => row.done).length
          await sleep(FAULT_EVERY_MS)
        }
        faulting = false
      })()

      const answers: Answer[] = []
      const dropped: string[] = []
      const acknowledged: string[] = []
      let token: string | undefined
      let datastoreSeen = false
      let sequence = 0
      const call = async (kind: Kind): Promise<Answer | undefined> => {
        const sent = Date.now()
        const auth = { authorization: `Bearer ${token ?? ''}` }
        try {
          let response: Response
          if (kind === 'token') response = await requestToken(base, credentials, { scope })
          else if (kind === 'search') response = await fetch(`${base}${OFFRES}/offres/search?range=0-19&commune=69123&distance=0`, { headers: auth })
          else if (kind === 'deposit') {
            response = await fetch(`${base}${DEPOT}`, {
              method: 'POST',
              headers: { ...auth, 'content-type': 'application/json' },
              body: JSON.stringify(offer(sequence++)),
            })
          } else if (kind === 'bulk') {
            const first = sequence
            sequence += BULK_LINES
            response = await fetch(`${base}${DEPOT}/_bulk`, {
              method: 'POST',
              headers: { ...auth, 'content-type': 'application/x-ndjson' },
              body: Array.from({ length: BULK_LINES }, (_, i) => JSON.stringify(offer(first + i))).join('\n'),
            })
          } else response = await fetch(`${base}${DATASTORE}?resource_id=${agences.id}&limit=5`, { headers: auth })
          const answer = { kind, status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() }
          if (kind === 'token' && answer.status === 200) token = (JSON.parse(answer.body) as { access_token: string }).access_token
          if (kind === 'deposit' && answer.status === 201) acknowledged.push((JSON.parse(answer.body) as { id: string }).id)
          if (kind === 'bulk' && answer.status === 200) {
            for (const line of (JSON.parse(answer.body) as { rapport: { resultat: string; id?: string }[] }).rapport) {
              if (line.resultat === 'created' && line.id !== undefined) acknowledged.push(line.id)
            }
          }
          return answer
        } catch (error) {
          dropped.push(`${kind}: ${String(error)} ${String((error as Error).cause)} after ${Date.now() - sent} ms`)
          return undefined
        }
      }
      const worker = async (kinds: readonly Kind[]) => {
        for (let turn = 0; faulting; turn++) {
          const kind = kinds[turn % kinds.length] ?? 'token'
          if (kind !== 'token' && token === undefined) {
            await sleep(20)
            continue
          }
          const answer = await call(kind)
          if (!answer) continue
          // The resource is missing (404) only until its first load has ended.
          if (answer.kind === 'datastore' && answer.status === 200) datastoreSeen = true
          if (answer.kind === 'datastore' && answer.status === 404 && !datastoreSeen) continue
          answers.push(answer)
        }
      }
      await Promise.all([worker(['token']), worker(['search', 'deposit']), worker(['deposit', 'datastore']), worker(['search', 'datastore']), worker(['bulk']), faults])

      const tally: Record<string, number> = {}
      for (const answer of answers) tally[`${answer.kind} ${answer.status}`] = (tally[`${answer.kind} ${answer.status}`] ?? 0) + 1
      const figures = `${terminated} backends terminated, answers ${JSON.stringify(tally)}`
      expect(started.exitCode, output.slice(-3000)).toBeNull()
      expect(terminated, 'backends terminated').toBeGreaterThan(10)
      expect(dropped, 'connections dropped by the node').toEqual([])
      const wrong = answers.filter((answer) => !(answer.status < 300 || (answer.status === 503 && answer.retryAfter !== null && unavailableShape(answer))))
      expect(wrong.map((answer) => `${answer.kind} ${answer.status} ${answer.body}`)).toEqual([])
      expect(answers.filter((answer) => answer.status === 503).length, figures).toBeGreaterThan(0)

      // Five seconds after the last fault, every kind of request succeeds at once.
      await sleep(RECOVERY_MS)
      expect(started.exitCode, output.slice(-3000)).toBeNull()
      const tokenAnswer = await call('token')
      expect(tokenAnswer?.status, tokenAnswer?.body).toBe(200)
      const deposit = await call('deposit')
      expect(deposit?.status, deposit?.body).toBe(201)
      const singles = [...acknowledged]
      const bulk = await call('bulk')
      expect(bulk?.status, bulk?.body.slice(0, 500)).toBe(200)
      const search = await call('search')
      expect([200, 206], search?.body).toContain(search?.status)
      // The resource's load, cut again and again, has resumed: until it ends (its own time, on a
      // busy machine) the resource is not found (404), never unavailable.
      let datastore = await call('datastore')
      for (let wait = 0; wait < 100 && datastore?.status === 404; wait++) {
        await sleep(300)
        datastore = await call('datastore')
      }
      expect(datastore?.status, datastore?.body).toBe(200)
      expect((JSON.parse(datastore?.body ?? '{}') as { result: { total: number } }).result.total).toBe(959)

      // Every deposit acknowledged is in the store (the snapshot) and served by the node's index.
      expect(acknowledged.length).toBeGreaterThan(BULK_LINES)
      const fresh = await requestToken(base, credentials, { scope })
      const auth = { authorization: `Bearer ${((await fresh.json()) as { access_token: string }).access_token}` }
      for (const id of singles) {
        expect((await fetch(`${base}${OFFRES}/offres/${id}`, { headers: auth })).status, id).toBe(200)
      }
      const snapshot = await fetch(`${base}${OFFRES}/offres/instantane`, { headers: auth })
      const stored = new Set(
        (await snapshot.text())
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => (JSON.parse(line) as { id: string }).id),
      )
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([])
      // The index shows what the store holds, nothing more: a search (index) counts what the snapshot (store) has.
      const found = await fetch(`${base}${OFFRES}/offres/search?range=0-0`, { headers: auth })
      expect(Number(found.headers.get('content-range')?.split('/')[1])).toBe(stored.size)
    } finally {
      await killer.end().catch(() => undefined)
      if (server) await stopChild(server)
      await schema.drop()
    }
  })
})
