/**
 * `npm run bench:job-posting`: what the detail's JSON-LD (schema.org JobPosting) costs.
 *
 * 1. In process: the mapping alone (JSON text of the offer → parse → toJobPosting → JSON-LD text)
 *    over generated offers, per offer (p50/p99) and per second.
 * 2. Over HTTP on 127.0.0.1, one node, one request at a time: GET /offres/{id} of random ids, the
 *    original JSON and the JSON-LD alternated, on the embedded store and, when BENCH_DATABASE_URL
 *    names one, on PostgreSQL (the JSON-LD reads the offer's last write in the store).
 *
 * Options (environment): BENCH_OFFERS (offers generated and imported, default 20,000),
 * BENCH_REQUESTS (details of each kind, default 2,000), BENCH_DATABASE_URL,
 * BENCH_STORES=postgres (skip the embedded store). Every loop is bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pino } from 'pino'
import { loadConfig } from '../src/config/load-config.js'
import { jobPostingJson, toJobPosting } from '../src/domain/offers/job-posting.js'
import type { Offre } from '../src/domain/offers/offer.schema.js'
import { serializeOffer } from '../src/domain/offers/offer-json.js'
import { generateOffers } from '../src/ingest/demo/generate-offers.js'
import { buildNode, type ServiceNode } from '../src/node.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { importGeneratedOffers } from './demo-offers.js'
import { createBenchSchema } from './pg-schema.js'
import { latencySummary } from './stats.js'

const offerCount = Number(process.env.BENCH_OFFERS ?? 20_000)
const requests = Number(process.env.BENCH_REQUESTS ?? 2_000)
const databaseUrl = process.env.BENCH_DATABASE_URL
const SEED = 'bench-job-posting'
const DETAIL = '/partenaire/offresdemploi/v2/offres'
const log = (message: string) => process.stderr.write(`[bench:job-posting] ${message}\n`)
const referentials = loadReferentials()

function mapping(): Record<string, unknown> {
  const texts = [...generateOffers(referentials, { count: offerCount, seed: SEED, now: new Date() })].map(serializeOffer)
  const validThrough = new Date()
  const map = (text: string) => jobPostingJson(toJobPosting(JSON.parse(text) as Offre, { referentials, validThrough }))
  // Warm-up: the steady state of a running server, not the first compilation.
  for (const text of texts.slice(0, 2_000)) map(text)
  const timings: number[] = []
  let bytes = 0
  const t0 = performance.now()
  for (const text of texts) {
    const start = performance.now()
    bytes += map(text).length
    timings.push(performance.now() - start)
  }
  const seconds = (performance.now() - t0) / 1000
  return {
    offers: texts.length,
    perOfferMs: latencySummary(timings, 4),
    offersPerSecond: Math.round(texts.length / seconds),
    meanJsonLdBytes: Math.round(bytes / texts.length),
    meanJsonBytes: Math.round(texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / texts.length),
  }
}

function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      response.on('data', () => undefined)
      response.on('end', () => resolve(response.statusCode ?? 0))
      response.on('error', reject)
    })
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')))
    request.on('error', reject)
    request.end()
  })
}

async function token(node: ServiceNode): Promise<string> {
  const { credentials } = await node.services.access.createClient({
    name: 'Benchmark',
    ownerEmail: `bench-${Date.now()}@openemploi.example`,
    kind: 'entreprise',
    apis: ['offresdemploiv2'],
  })
  await node.services.access.setRateLimit(credentials.client_id, 100_000)
  return (await node.services.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
}

async function details(env: Record<string, string>): Promise<Record<string, unknown>> {
  const node = await buildNode(loadConfig({ DEMO_OFFERS: '0', LOG_LEVEL: 'warn', ...env }), pino({ level: 'warn' }))
  try {
    await importGeneratedOffers(node.services.database, referentials, offerCount, SEED)
    await node.services.loadIndex()
    const base = await node.app.listen({ host: '127.0.0.1', port: 0 })
    const authorization = `Bearer ${await token(node)}`
    const ids = (await node.services.database.db.selectFrom('offers').select('id').orderBy('id').execute()).map((row) => row.id)
    const kinds = { json: { accept: 'application/json' }, jsonLd: { accept: 'application/ld+json' } } as const
    const timings: Record<keyof typeof kinds, number[]> = { json: [], jsonLd: [] }
    const pass = async (count: number, record: boolean) => {
      for (let i = 0; i < count; i++) {
        const id = ids[(i * 7919) % ids.length] ?? ''
        for (const kind of ['json', 'jsonLd'] as const) {
          const start = performance.now()
          const status = await get(`${base}${DETAIL}/${id}`, { authorization, ...kinds[kind] })
          if (status !== 200) throw new Error(`${kind} ${id}: ${status}`)
          if (record) timings[kind].push(performance.now() - start)
        }
      }
    }
    await pass(Math.min(500, requests), false)
    await pass(requests, true)
    return { json: latencySummary(timings.json), jsonLd: latencySummary(timings.jsonLd) }
  } finally {
    await node.close()
  }
}

const result: Record<string, unknown> = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  offers: offerCount,
}
log(`mapping ${offerCount} offers in process`)
result.mapping = mapping()
if (process.env.BENCH_STORES !== 'postgres') {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-bench-job-posting-'))
  try {
    log('detail over HTTP, embedded store')
    result.embedded = await details({ DATA_DIR: folder })
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
if (databaseUrl) {
  const schema = await createBenchSchema(databaseUrl, `bench_job_posting_${Date.now()}`)
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-bench-job-posting-pg-'))
  try {
    log('detail over HTTP, PostgreSQL')
    result.postgres = await details({ DATA_DIR: folder, DATABASE_URL: schema.url })
  } finally {
    rmSync(folder, { recursive: true, force: true })
    await schema.drop()
  }
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
