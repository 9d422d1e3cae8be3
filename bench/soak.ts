/**
 * `npm run bench:soak`: a long run of mixed load on two nodes sharing PostgreSQL and Redis, as in
 * production: searches, token requests, deposits and closures, datastore searches, users' SQL, and
 * one client attacking with heavy SQL statements at the edge of its rate limit. It reports, per
 * window and per kind of request, p50/p99 and answers by status, and each node's resident memory.
 * What it checks (printed as `verdict`): no 5xx and no dropped connection, resident memory growing
 * by at most 5 % after the warm-up, p99 of each kind in the last window within twice its first.
 *
 * The nodes are child processes of the compiled service (`openemploi serve`), so that their memory
 * is their own; the load generator runs here. Traffic goes to 127.0.0.1 only; the run stops itself
 * after SOAK_SECONDS and every request times out after 10 s.
 *
 * Options (environment): BENCH_DATABASE_URL (default the local PostgreSQL; a schema of its own is
 * created and dropped), BENCH_REDIS_URL (default the local Redis), SOAK_SECONDS (600),
 * SOAK_WARMUP_SECONDS (60), SOAK_WINDOW_SECONDS (60), SOAK_OFFERS (demo offers, 20,000),
 * SOAK_DATASETS (agences,bmo).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createBenchSchema } from './pg-schema.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { QUERY_MIX } from './queries.js'
import { latencySummary } from './stats.js'

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
const soakSeconds = Number(process.env.SOAK_SECONDS ?? 600)
const warmupSeconds = Number(process.env.SOAK_WARMUP_SECONDS ?? 60)
const windowSeconds = Number(process.env.SOAK_WINDOW_SECONDS ?? 60)
const offers = Number(process.env.SOAK_OFFERS ?? 20_000)
const datasets = process.env.SOAK_DATASETS ?? 'agences,bmo'
const log = (message: string) => process.stderr.write(`[bench:soak] ${message}\n`)

const ROOT = new URL('../../', import.meta.url).pathname
const CLI = join(ROOT, 'dist-bench/src/cli/run.js')
const AGENCIES = '6265951d-ed8a-4202-a2ac-e49edd142dff'
const TOKEN_PATH = '/connexion/oauth2/access_token?realm=%2Fpartenaire'
const SEARCH = '/partenaire/offresdemploi/v2/offres/search'
const DEPOT = '/partenaire/depotoffres/v1/offres'
const INFOTRAVAIL = '/partenaire/infotravail/v1'
const REQUEST_TIMEOUT_MS = 10_000

const agent = new Agent({ keepAlive: true, maxSockets: 64 })

interface Answer {
  readonly status: number
  readonly text: string
}

/** One request over a kept-alive connection; a timeout or a dropped connection rejects. */
function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body)
    const request = httpRequest(
      url,
      {
        agent,
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
        response.on('error', reject)
      },
    )
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)))
    request.on('error', reject)
    request.end(body)
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Node {
  readonly name: string
  readonly base: string
  readonly child: ChildProcess
  readonly folder: string
}

async function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const port = await freePort()
  const folder = mkdtempSync(join(tmpdir(), `openemploi-soak-${name}-`))
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: folder, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`))
  const node = { name, base: `http://127.0.0.1:${port}`, child, folder }
  const deadline = Date.now() + 15 * 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`node ${name} exited with ${child.exitCode} while starting`)
    const health = await call(`${node.base}/health`).catch(() => undefined)
    if (health?.status === 200) return node
    await sleep(500)
  }
  throw new Error(`node ${name} not ready within 15 minutes`)
}

async function stopNode(node: Node): Promise<void> {
  if (node.child.exitCode === null) {
    const exited = new Promise((resolve) => node.child.once('exit', resolve))
    node.child.kill('SIGTERM')
    const killer = setTimeout(() => node.child.kill('SIGKILL'), 30_000)
    await exited
    clearTimeout(killer)
  }
  rmSync(node.folder, { recursive: true, force: true })
}

/** Resident memory of a child process, in MB (Linux). */
function rssMb(node: Node): number {
  const status = readFileSync(`/proc/${node.child.pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return Math.round(kb / 1024)
}

interface Client {
  readonly id: string
  readonly secret: string
  readonly scope: string
  token: string
}

async function createClient(node: Node, adminToken: string, name: string, apis: string[], scope: string, perSecond?: number): Promise<Client> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }
  const created = await call(`${node.base}/admin/applications`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name, ownerEmail: `${name.toLowerCase()}@soak.openemploi.example`, kind: 'entreprise', apis }),
  })
  if (created.status !== 201) throw new Error(`client ${name}: ${created.status} ${created.text}`)
  const { client_id: id, client_secret: secret } = JSON.parse(created.text) as { client_id: string; client_secret: string }
  if (perSecond !== undefined) {
    const limits = await call(`${node.base}/admin/applications/${id}/limits`, { method: 'PUT', headers, body: JSON.stringify({ perSecond }) })
    if (limits.status !== 200) throw new Error(`limits of ${name}: ${limits.status} ${limits.text}`)
  }
  const client = { id, secret, scope, token: '' }
  client.token = await token(node, client)
  return client
}

async function token(node: Node, client: Client): Promise<string> {
  const answer = await call(`${node.base}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: client.scope }).toString(),
  })
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${answer.text}`)
  return (JSON.parse(answer.text) as { access_token: string }).access_token
}

interface Window {
  readonly atSeconds: number
  readonly rssMb: Record<string, number>
  readonly kinds: Record<string, ReturnType<Tally['close']>>
}

/** Timings and answers of one kind of request in the current window, and over the run. */
class Tally {
  private times: number[] = []
  private statuses = new Map<string, number>()
  readonly total = new Map<string, number>()

  record(ms: number, status: string): void {
    this.times.push(ms)
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1)
    this.total.set(status, (this.total.get(status) ?? 0) + 1)
  }

  /** The window's figures, and a new window. */
  close() {
    const figures = { ...latencySummary(this.times, 1), statuses: Object.fromEntries(this.statuses) }
    this.times = []
    this.statuses = new Map()
    return figures
  }
}

/**
 * Calls `task` `perSecond` times a second until `until`, at most `inFlight` at once (a call that
 * would exceed it is counted as `skipped`: the service is not keeping up). A task with nothing to do
 * answers undefined and is not counted.
 */
async function paced(tally: Tally, perSecond: number, inFlight: number, until: number, task: (round: number) => Promise<Answer | undefined>): Promise<void> {
  const interval = 1000 / perSecond
  const running = new Set<Promise<void>>()
  let next = performance.now()
  for (let round = 0; Date.now() < until; round++) {
    const wait = next - performance.now()
    if (wait > 0) await sleep(wait)
    next += interval
    if (running.size >= inFlight) {
      tally.record(0, 'skipped')
      continue
    }
    const started = performance.now()
    const done: Promise<void> = task(round).then(
      (answer) => {
        if (answer) tally.record(performance.now() - started, String(answer.status))
      },
      (error: unknown) => tally.record(performance.now() - started, `failed: ${error instanceof Error ? error.message : String(error)}`),
    )
    running.add(done)
    void done.finally(() => running.delete(done))
  }
  await Promise.all(running)
}

function depositBodies(count: number): string[] {
  const bodies: string[] = []
  for (const offer of generateOffers(loadReferentials(), { count, seed: 'soak', now: new Date() })) {
    const { id: _id, dateCreation: _created, dateActualisation: _updated, origineOffre: _origin, ...body } = offer as Record<string, unknown>
    bodies.push(JSON.stringify(body))
  }
  return bodies
}

const HEAVY_SQL = [
  "SELECT repeat('x', 100000000)",
  'SELECT count(*) FROM generate_series(1, 100000000)',
  'SELECT array_fill(1, ARRAY[100000000])',
  `SELECT count(*) FROM "${AGENCIES}" a, "${AGENCIES}" b, "${AGENCIES}" c`,
]

const schema = await createBenchSchema(databaseUrl, `soak_${randomBytes(4).toString('hex')}`)
const adminToken = randomBytes(24).toString('hex')
const shared = { DATABASE_URL: schema.url, REDIS_URL: redisUrl, ADMIN_TOKEN: adminToken, DATASETS: datasets }
const nodes: Node[] = []
const stopAll = async () => {
  for (const node of nodes) await stopNode(node)
}
process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)))

try {
  log(`starting node a (${offers} demo offers, datasets ${datasets})`)
  nodes.push(await startNode('a', { ...shared, DEMO_OFFERS: String(offers) }))
  log('starting node b')
  nodes.push(await startNode('b', { ...shared, DEMO_OFFERS: '0' }))
  const [a, b] = nodes as [Node, Node]
  const pick = (round: number) => (round % 2 === 0 ? a : b)

  const searcher = await createClient(a, adminToken, 'Searcher', ['offresdemploiv2'], 'api_offresdemploiv2 o2dsoffre', 10_000)
  const depositor = await createClient(a, adminToken, 'Depositor', ['depotoffresv1'], 'api_depotoffresv1', 10_000)
  const analyst = await createClient(a, adminToken, 'Analyst', ['infotravailv1'], 'api_infotravailv1', 10_000)
  // The attacker keeps the default limit (10 calls/s) and stays just under it.
  const attacker = await createClient(a, adminToken, 'Attacker', ['infotravailv1'], 'api_infotravailv1')

  log('waiting for the datasets')
  for (const deadline = Date.now() + 15 * 60_000; ; ) {
    const shown = await call(`${a.base}${INFOTRAVAIL}/datastore_search?resource_id=${AGENCIES}&limit=1`, { headers: { authorization: `Bearer ${analyst.token}` } })
    if (shown.status === 200) break
    if (Date.now() > deadline) throw new Error(`datasets not served within 15 minutes: ${shown.status}`)
    await sleep(1000)
  }

  const bodies = depositBodies(10_000)
  const deposited: string[] = []
  const bearer = (client: Client) => ({ authorization: `Bearer ${client.token}` })
  const kinds = {
    search: new Tally(),
    token: new Tally(),
    deposit: new Tally(),
    close: new Tally(),
    datastore: new Tally(),
    sql: new Tally(),
    attack: new Tally(),
  }
  const started = Date.now()
  const until = started + soakSeconds * 1000
  // Tokens of the load clients are renewed on a schedule of their own, well before they expire.
  const renew = setInterval(() => {
    for (const client of [searcher, depositor, analyst, attacker]) {
      token(a, client).then(
        (value) => (client.token = value),
        (error: unknown) => log(`token renewal failed: ${String(error)}`),
      )
    }
  }, 300_000)

  const windows: Window[] = []
  const sampler = setInterval(() => {
    const window: Window = {
      atSeconds: Math.round((Date.now() - started) / 1000),
      rssMb: Object.fromEntries(nodes.map((node) => [node.name, rssMb(node)])),
      kinds: Object.fromEntries(Object.entries(kinds).map(([kind, tally]) => [kind, tally.close()])),
    }
    windows.push(window)
    log(`${window.atSeconds} s: rss ${JSON.stringify(window.rssMb)}, search p99 ${window.kinds.search?.p99 ?? '-'} ms, attack ${JSON.stringify(window.kinds.attack?.statuses)}`)
  }, windowSeconds * 1000)

  await Promise.all([
    paced(kinds.search, 30, 16, until, (round) => {
      const query = QUERY_MIX[round % QUERY_MIX.length]?.query ?? ''
      return call(`${pick(round).base}${SEARCH}?${query}`, { headers: bearer(searcher) })
    }),
    paced(kinds.token, 2, 4, until, (round) =>
      call(`${pick(round).base}${TOKEN_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: searcher.id, client_secret: searcher.secret, scope: searcher.scope }).toString(),
      }),
    ),
    paced(kinds.deposit, 5, 8, until, async (round) => {
      const answer = await call(`${pick(round).base}${DEPOT}`, {
        method: 'POST',
        headers: { ...bearer(depositor), 'content-type': 'application/json' },
        body: bodies[round % bodies.length] ?? '{}',
      })
      if (answer.status === 201) deposited.push((JSON.parse(answer.text) as { id: string }).id)
      return answer
    }),
    // Offers are closed as they are deposited, 100 behind: the corpus stays the same size.
    paced(kinds.close, 5, 8, until, async (round) => {
      const id = deposited.length > 100 ? deposited.shift() : undefined
      return id === undefined ? undefined : call(`${pick(round + 1).base}${DEPOT}/${id}?raison=pourvue`, { method: 'DELETE', headers: bearer(depositor) })
    }),
    paced(kinds.datastore, 5, 8, until, (round) => {
      const query = round % 2 === 0 ? `q=paris&limit=20` : `filters=${encodeURIComponent(JSON.stringify({ REG_DIRECTION_NAME: 'Occitanie' }))}`
      return call(`${pick(round).base}${INFOTRAVAIL}/datastore_search?resource_id=${AGENCIES}&${query}`, { headers: bearer(analyst) })
    }),
    paced(kinds.sql, 1, 4, until, (round) =>
      call(`${pick(round).base}${INFOTRAVAIL}/datastore_search_sql?sql=${encodeURIComponent(`SELECT "CITY_NAME", count(*) FROM "${AGENCIES}" GROUP BY 1 ORDER BY 2 DESC LIMIT 5`)}`, {
        headers: bearer(analyst),
      }),
    ),
    paced(kinds.attack, 9.5, 32, until, (round) =>
      call(`${pick(round).base}${INFOTRAVAIL}/datastore_search_sql?sql=${encodeURIComponent(HEAVY_SQL[round % HEAVY_SQL.length] ?? '')}`, {
        headers: bearer(attacker),
      }),
    ),
  ])
  clearInterval(sampler)
  clearInterval(renew)

  const measured = windows.filter((window) => window.atSeconds > warmupSeconds)
  const first = measured[0]
  const last = measured.at(-1)
  const errors: Record<string, Record<string, number>> = {}
  for (const [kind, tally] of Object.entries(kinds)) {
    const bad = [...tally.total].filter(([status]) => status.startsWith('5') || status.startsWith('failed'))
    if (bad.length > 0) errors[kind] = Object.fromEntries(bad)
  }
  const growth = Object.fromEntries(
    nodes.map((node) => {
      const from = first?.rssMb[node.name] ?? Number.NaN
      const to = last?.rssMb[node.name] ?? Number.NaN
      return [node.name, +(((to - from) / from) * 100).toFixed(1)]
    }),
  )
  const p99 = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, { first: first?.kinds[kind]?.p99, last: last?.kinds[kind]?.p99 }]))
  // The attacker's answers are refusals and timeouts by design; every other kind must hold its p99.
  const stable = Object.entries(p99).every(([kind, { first: from, last: to }]) => kind === 'attack' || from === undefined || to === undefined || to <= Math.max(2 * from, 5))
  const verdict = {
    noServerErrors: Object.keys(errors).length === 0,
    rssGrowthWithin5Percent: Object.values(growth).every((value) => value <= 5),
    p99Stable: stable,
  }
  process.stdout.write(
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
        seconds: soakSeconds,
        warmupSeconds,
        offers,
        datasets,
        totals: Object.fromEntries(Object.entries(kinds).map(([kind, tally]) => [kind, Object.fromEntries(tally.total)])),
        errors,
        rssGrowthPercent: growth,
        p99,
        verdict,
        windows,
      },
      null,
      2,
    )}\n`,
  )
  process.exitCode = Object.values(verdict).every(Boolean) ? 0 : 1
} finally {
  await stopAll()
  await schema.drop()
  agent.destroy()
}
