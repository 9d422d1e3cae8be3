/**
 * `npm run bench:live`: the real-time benchmark. On the embedded store and, when
 * BENCH_DATABASE_URL names one, on PostgreSQL with two nodes: bulk deposit throughput (offers/s,
 * NDJSON over HTTP), latency from a deposit's 201 to the offer being found by search on the same
 * node and on another node (p50/p99), and feed read throughput. Traffic goes to 127.0.0.1 only;
 * every loop is bounded.
 *
 * A running server has compiled its hot code; a fresh process has not. Before the measured bulk
 * deposit, each node takes a warm-up deposit of other offers (BENCH_WARMUP, default 10,000), not
 * measured: the figure is the steady state, as on a server that has been up for a while.
 *
 * Options (environment): BENCH_DATABASE_URL, BENCH_BULK (offers per store, default 20,000),
 * BENCH_WARMUP (offers deposited before, default 10,000),
 * BENCH_PROBES (deposits timed, default 200), BENCH_STORES=postgres (skip the embedded store).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { cpus, totalmem } from 'node:os'
import { createBenchSchema } from './pg-schema.js'
import { pino } from 'pino'
import { loadConfig } from '../src/config/load-config.js'
import { buildNode, type ServiceNode } from '../src/node.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'
import type { Referentials } from '../src/domain/referentials/referentials.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { latencySummary } from './stats.js'

const bulkCount = Number(process.env.BENCH_BULK ?? 20_000)
const warmupCount = Number(process.env.BENCH_WARMUP ?? 10_000)
const probes = Number(process.env.BENCH_PROBES ?? 200)
const databaseUrl = process.env.BENCH_DATABASE_URL
const log = (message: string) => process.stderr.write(`[bench:live] ${message}\n`)
const DEPOT = '/partenaire/depotoffres/v1/offres'
const SEARCH = '/partenaire/offresdemploi/v2/offres/search'

interface Node extends ServiceNode {
  readonly base: string
}

async function startNode(env: Record<string, string>): Promise<Node> {
  const node = await buildNode(loadConfig({ DEMO_OFFERS: '0', LOG_LEVEL: 'warn', ...env }), pino({ level: 'warn' }))
  await node.services.loadIndex()
  return { ...node, base: await node.app.listen({ host: '127.0.0.1', port: 0 }) }
}

/** Deposit bodies from the demo generator: the offers without what the service assigns. */
function depositBodies(referentials: Referentials, count: number, seed: string): string[] {
  const lines: string[] = []
  for (const offer of generateOffers(referentials, { count, seed, now: new Date() })) {
    const { id: _id, dateCreation: _created, dateActualisation: _updated, origineOffre: _origin, ...body } = offer as Record<string, unknown>
    lines.push(JSON.stringify(body))
  }
  return lines
}

async function client(node: Node): Promise<string> {
  const { credentials } = await node.services.access.createClient({
    name: 'Benchmark',
    ownerEmail: `bench-${Date.now()}@openemploi.example`,
    kind: 'entreprise',
    apis: ['depotoffresv1', 'offresdemploiv2'],
  })
  await node.services.access.setRateLimit(credentials.client_id, 100_000)
  return (await node.services.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
}

/**
 * POSTs one body with node:http, the body encoded beforehand: the load generator shares the
 * process, so it should cost the measured service as little as a separate client would.
 */
function post(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end(body)
  })
}

async function bulk(node: Node, token: string, lines: string[]) {
  const batch = 5000
  const bodies: Buffer[] = []
  for (let at = 0; at < lines.length; at += batch) bodies.push(Buffer.from(lines.slice(at, at + batch).join('\n')))
  const started = performance.now()
  const cpu = process.cpuUsage()
  let created = 0
  for (const [at, body] of bodies.entries()) {
    const response = await post(`${node.base}${DEPOT}/_bulk`, { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body)
    if (response.status !== 200) throw new Error(`bulk deposit answered ${response.status}: ${response.text.slice(0, 500)}`)
    const report = JSON.parse(response.text) as { created: number; rejected: number; rapport: { erreurs?: unknown }[] }
    created += report.created
    if (report.rejected > 0 && at === 0) log(`rejected lines, e.g. ${JSON.stringify(report.rapport.find((line) => line.erreurs))}`)
  }
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  // CPU of this process (every thread: the service, its GC, and the light load generator).
  const cpuSeconds = +((used.user + used.system) / 1e6).toFixed(2)
  return { offers: lines.length, created, seconds: +seconds.toFixed(2), offersPerSecond: Math.round(created / seconds), cpuSeconds }
}

/** Time from each deposit's 201 until a search on `reader` finds it (polling every millisecond, 5 s at most). */
async function visibility(writer: Node, reader: Node, token: string, count: number) {
  const timings: number[] = []
  const auth = { authorization: `Bearer ${token}` }
  for (let i = 0; i < count; i++) {
    const word = `zq${(Date.now() * 1000 + i).toString(36).replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)] ?? 'a')}`
    const response = await fetch(`${writer.base}${DEPOT}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        intitule: `Agent ${word} (H/F)`,
        description: 'Offre du banc de mesure : délai entre le dépôt et la recherche.',
        romeCode: 'K2204',
        typeContrat: 'CDI',
        experienceExige: 'D',
        lieuTravail: { commune: '75056' },
      }),
    })
    if (response.status !== 201) throw new Error(`deposit answered ${response.status}: ${await response.text()}`)
    const acknowledged = performance.now()
    for (;;) {
      const search = await fetch(`${reader.base}${SEARCH}?motsCles=${word}`, { headers: auth })
      if (search.status === 200 || search.status === 206) break
      await search.arrayBuffer()
      if (performance.now() - acknowledged > 5000) throw new Error(`deposit not found after 5 s on ${reader.base}`)
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    timings.push(performance.now() - acknowledged)
  }
  return latencySummary(timings, 1)
}

async function feedRead(node: Node, token: string) {
  const started = performance.now()
  let cursor = '0'
  let changes = 0
  for (let page = 0; page < 100_000; page++) {
    const response = await fetch(`${node.base}/partenaire/offresdemploi/v2/offres/flux?curseur=${cursor}&limite=1000`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const body = (await response.json()) as { curseur: string; changements: unknown[] }
    changes += body.changements.length
    if (body.curseur === cursor) break
    cursor = body.curseur
  }
  const seconds = (performance.now() - started) / 1000
  return { changes, seconds: +seconds.toFixed(2), changesPerSecond: Math.round(changes / seconds) }
}

const referentials = loadReferentials()
const lines = depositBodies(referentials, bulkCount, 'bench-live')
const warmupLines = depositBodies(referentials, warmupCount, 'bench-live-warmup')
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  bulkOffers: bulkCount,
  warmupOffers: warmupCount,
}

if (process.env.BENCH_STORES !== 'postgres') {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-bench-live-'))
  const node = await startNode({ DATA_DIR: folder })
  try {
    const token = await client(node)
    log('PGlite: warm-up deposit')
    await bulk(node, token, warmupLines)
    log('PGlite: bulk deposit')
    const bulkResult = await bulk(node, token, lines)
    log(`PGlite: ${bulkResult.offersPerSecond} offers/s, ${bulkResult.cpuSeconds} s of CPU`)
    const sameNode = await visibility(node, node, token, probes)
    log(`PGlite: deposit → search, same node p50 ${sameNode.p50} ms, p99 ${sameNode.p99} ms`)
    const feed = await feedRead(node, token)
    log(`PGlite: feed ${feed.changesPerSecond} changes/s`)
    results.pglite = { bulk: bulkResult, sameNode, feed }
  } finally {
    await node.close()
    rmSync(folder, { recursive: true, force: true })
  }
}

if (databaseUrl) {
  const schema = await createBenchSchema(databaseUrl, `bench_${Date.now()}`)
  const folders = [mkdtempSync(join(tmpdir(), 'openemploi-bench-a-')), mkdtempSync(join(tmpdir(), 'openemploi-bench-b-'))]
  // The bulk deposit is measured with one node running (a second node in this same process would
  // share its CPU); the second node starts afterwards, loading what the first wrote.
  const a = await startNode({ DATA_DIR: folders[0] ?? '', DATABASE_URL: schema.url })
  let b: Node | undefined
  try {
    const token = await client(a)
    log('PostgreSQL: warm-up deposit')
    await bulk(a, token, warmupLines)
    log('PostgreSQL: bulk deposit')
    const bulkResult = await bulk(a, token, lines)
    log(`PostgreSQL: ${bulkResult.offersPerSecond} offers/s, ${bulkResult.cpuSeconds} s of CPU`)
    b = await startNode({ DATA_DIR: folders[1] ?? '', DATABASE_URL: schema.url })
    const sameNode = await visibility(a, a, token, probes)
    log(`PostgreSQL: deposit → search, same node p50 ${sameNode.p50} ms, p99 ${sameNode.p99} ms`)
    const otherNode = await visibility(a, b, token, probes)
    log(`PostgreSQL: deposit → search, other node p50 ${otherNode.p50} ms, p99 ${otherNode.p99} ms`)
    const feed = await feedRead(b, token)
    log(`PostgreSQL: feed ${feed.changesPerSecond} changes/s`)
    results.postgres = { bulk: bulkResult, sameNode, otherNode, feed }
  } finally {
    await a.close()
    await b?.close()
    await schema.drop()
    for (const folder of folders) rmSync(folder, { recursive: true, force: true })
  }
}

process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
