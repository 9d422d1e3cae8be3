/**
 * `npm run bench:sql-isolation`: users' SQL may not slow the service down. Four clients send
 * statements that run past the SQL timeout (each at 9.5 calls/s at most, within a client's rate
 * limit), all at once, while token issuance and single deposits are timed one after the other;
 * the same probes are timed first without them. On the embedded store and, when
 * BENCH_DATABASE_URL names one, on PostgreSQL. Traffic goes to 127.0.0.1 only; every loop is
 * bounded.
 *
 * Options (environment): BENCH_DATABASE_URL, BENCH_PROBES (tokens and deposits timed per phase,
 * default 200 each), BENCH_ATTACKERS (default 4), BENCH_STORES=postgres (skip the embedded store).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createBenchSchema } from './pg-schema.js'
import { pino } from 'pino'
import { loadConfig } from '../src/config/load-config.js'
import { buildNode, type ServiceNode } from '../src/node.js'
import { latencySummary } from './stats.js'

const probes = Number(process.env.BENCH_PROBES ?? 200)
const attackers = Number(process.env.BENCH_ATTACKERS ?? 4)
const databaseUrl = process.env.BENCH_DATABASE_URL
const log = (message: string) => process.stderr.write(`[bench:sql-isolation] ${message}\n`)
const DEPOT = '/partenaire/depotoffres/v1/offres'
const SQL = '/partenaire/infotravail/v1/datastore_search_sql'
const TOKEN = '/connexion/oauth2/access_token?realm=%2Fpartenaire'
/** A client's calls at most per second while attacking (the issue's 9.5/s, within its limit). */
const ATTACK_INTERVAL_MS = 1000 / 9.5

/** Statements that the engine does not interrupt (or only late): the attack. */
const HEAVY: Record<'pglite' | 'postgres', readonly string[]> = {
  pglite: ['SELECT count(*) FROM generate_series(1, 100000000)', "SELECT length(repeat('x', 100000000))", 'SELECT cardinality(array_fill(1, ARRAY[100000000]))'],
  postgres: ["SELECT repeat('x', 100000000)", 'SELECT array_fill(1, ARRAY[100000000])', 'SELECT count(*) FROM generate_series(1, 1000000000)'],
}

interface Node extends ServiceNode {
  readonly base: string
}

interface Client {
  readonly id: string
  readonly secret: string
  readonly token: string
}

async function startNode(env: Record<string, string>): Promise<Node> {
  const node = await buildNode(loadConfig({ DEMO_OFFERS: '0', DATASETS: 'none', LOG_LEVEL: 'warn', ...env }), pino({ level: 'warn' }))
  await node.services.loadIndex()
  return { ...node, base: await node.app.listen({ host: '127.0.0.1', port: 0 }) }
}

async function client(node: Node, name: string, ratePerSecond: number): Promise<Client> {
  const { credentials } = await node.services.access.createClient({
    name,
    ownerEmail: `${name}-${Date.now()}@openemploi.example`,
    kind: 'entreprise',
    apis: ['depotoffresv1', 'infotravailv1'],
  })
  await node.services.access.setRateLimit(credentials.client_id, ratePerSecond)
  const token = (await node.services.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
  return { id: credentials.client_id, secret: credentials.client_secret, token }
}

let deposited = 0
/** A deposit body of its own (the same body twice is the same offer, answered 200). */
const deposit = () =>
  JSON.stringify({
    intitule: `Agent de mesure ${++deposited} ${Date.now()} (H/F)`,
    description: 'Offre du banc de mesure : dépôts pendant des requêtes SQL lourdes.',
    romeCode: 'K2204',
    typeContrat: 'CDI',
    experienceExige: 'D',
    lieuTravail: { commune: '75056' },
  })

/** Tokens and deposits, alternately, one at a time: their latencies (ms). */
async function probe(node: Node, prober: Client, count: number) {
  const tokens: number[] = []
  const deposits: number[] = []
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: prober.id, client_secret: prober.secret }).toString()
  for (let i = 0; i < count; i++) {
    let started = performance.now()
    const token = await fetch(`${node.base}${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
    await token.arrayBuffer()
    if (token.status !== 200) throw new Error(`token answered ${token.status}`)
    tokens.push(performance.now() - started)
    started = performance.now()
    const written = await fetch(`${node.base}${DEPOT}`, { method: 'POST', headers: { authorization: `Bearer ${prober.token}`, 'content-type': 'application/json' }, body: deposit() })
    await written.arrayBuffer()
    if (written.status !== 201 && written.status !== 200) throw new Error(`deposit answered ${written.status}`)
    deposits.push(performance.now() - started)
  }
  return { tokens: latencySummary(tokens, 1), deposits: latencySummary(deposits, 1) }
}

/** One attacker: heavy statements in turn, at most 9.5 a second, until `stop`; counts answers by status. */
async function attack(node: Node, attacker: Client, statements: readonly string[], stop: () => boolean, statuses: Map<number, number>, latencies: number[]) {
  for (let i = 0; !stop(); i++) {
    const started = performance.now()
    const url = `${node.base}${SQL}?sql=${encodeURIComponent(statements[i % statements.length] ?? '')}`
    const response = await fetch(url, { headers: { authorization: `Bearer ${attacker.token}` } })
    await response.arrayBuffer()
    const elapsed = performance.now() - started
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
    if (response.status !== 429) latencies.push(elapsed)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, ATTACK_INTERVAL_MS - elapsed)))
  }
}

async function measure(node: Node, kind: 'pglite' | 'postgres') {
  const prober = await client(node, 'prober', 100_000)
  const gang = await Promise.all(Array.from({ length: attackers }, (_, i) => client(node, `attacker${i}`, 10)))
  // The executor starts with the first statement (the replica's worker on the embedded store).
  await fetch(`${node.base}${SQL}?sql=${encodeURIComponent('SELECT 1')}`, { headers: { authorization: `Bearer ${prober.token}` } })
  log(`${kind}: warm-up`)
  await probe(node, prober, Math.min(50, probes))
  log(`${kind}: ${probes} tokens and deposits, alone`)
  const alone = await probe(node, prober, probes)
  log(`${kind}: alone: tokens p99 ${alone.tokens.p99} ms, deposits p99 ${alone.deposits.p99} ms`)
  log(`${kind}: the same with ${attackers} clients sending heavy statements`)
  let done = false
  const statuses = new Map<number, number>()
  const sqlLatencies: number[] = []
  const cpu = process.cpuUsage()
  const started = performance.now()
  const gangs = gang.map((attacker, i) => attack(node, attacker, HEAVY[kind].slice(i % HEAVY[kind].length).concat(HEAVY[kind].slice(0, i % HEAVY[kind].length)), () => done, statuses, sqlLatencies))
  // The attack in full swing before the first probe.
  await new Promise((resolve) => setTimeout(resolve, 3000))
  const attacked = await probe(node, prober, probes)
  done = true
  await Promise.all(gangs)
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const stats = node.services.infotravail.sqlGate.stats
  const answers = Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0]))
  log(`${kind}: attacked: tokens p99 ${attacked.tokens.p99} ms, deposits p99 ${attacked.deposits.p99} ms; SQL answers ${JSON.stringify(answers)}`)
  return {
    alone,
    attacked,
    attack: {
      seconds: +seconds.toFixed(1),
      answers,
      // Time to an answer that is not "come back later" (409 Query took too long, mostly).
      sqlAnswerMs: latencySummary(sqlLatencies, 0),
      cancelled: stats.cancelled,
      cpuSecondsOfThisProcess: +((used.user + used.system) / 1e6).toFixed(1),
    },
  }
}

const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 1e9), node: process.version },
  probes,
  attackers,
}

if (process.env.BENCH_STORES !== 'postgres') {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-bench-sql-'))
  const node = await startNode({ DATA_DIR: folder })
  try {
    results.pglite = await measure(node, 'pglite')
  } finally {
    await node.close()
    rmSync(folder, { recursive: true, force: true })
  }
}

if (databaseUrl) {
  const schema = await createBenchSchema(databaseUrl, `bench_sql_${Date.now()}`)
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-bench-sql-pg-'))
  const node = await startNode({ DATA_DIR: folder, DATABASE_URL: schema.url })
  try {
    results.postgres = await measure(node, 'postgres')
  } finally {
    await node.close()
    await schema.drop()
    rmSync(folder, { recursive: true, force: true })
  }
}

process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
