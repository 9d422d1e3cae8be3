import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { createLogger } from '../../src/cli/logger.js'
import { capturedLog } from '../support/log-capture.js'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { agencesPackage } from '../../src/datasets/packages/agences.js'
import { buildNode, type ServiceNode } from '../../src/node.js'
import { createPostgresSchema } from '../support/databases.js'
import { storeTemplate } from '../support/databases.js'

/**
 * What an operator sees of a real node (the composition of `serve`, on an embedded store):
 * readiness before and after the index, the Prometheus metrics after a few requests, request ids
 * in answers and in the log.
 */

const SEARCH = '/partenaire/offresdemploi/v2/offres/search'
const DETAIL = '/partenaire/offresdemploi/v2/offres'
const TOKEN = '/connexion/oauth2/access_token?realm=%2Fpartenaire'

interface Readiness {
  status: string
  index: { loaded: boolean; offres: number }
  store: { reachable: boolean }
  datasets: Record<string, unknown>
  limiter?: unknown
}


/** The value of one sample of the exposition text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const present = (match[3] ?? '').split(/,(?=[a-zA-Z_]\w*=")/)
    if (wanted.every((pair) => present.includes(pair))) return Number(match[4])
  }
  return undefined
}

/** The stores a node runs on here: embedded always, PostgreSQL where TEST_DATABASE_URL names one. */
const stores = [
  { name: 'the embedded store', pools: ['embedded'] },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', pools: ['main', 'read'], url: process.env.TEST_DATABASE_URL }] : []),
]

describe.each(stores)('a node on $name seen by its operator', (store) => {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-obs-'))
  const log = capturedLog()
  let schema: Awaited<ReturnType<typeof createPostgresSchema>> | undefined
  let node: ServiceNode
  let token = ''
  let secret = ''
  let clientId = ''

  beforeAll(async () => {
    schema = store.url ? await createPostgresSchema(store.url) : undefined
    const config = loadConfig({
      DATA_DIR: folder,
      DEMO_OFFERS: '0',
      DATASETS: 'agences',
      LOG_LEVEL: 'info',
      ...(schema ? { DATABASE_URL: schema.url } : {}),
    })
    node = await buildNode(config, createLogger('info', log.stream), { storeTemplate: storeTemplate() })
    const { services } = node
    const offers = [...generateOffers(services.referentials, { count: 30, seed: 'observability', now: new Date() })]
    await services.importer.importRecords(
      offers.map((value, at) => ({ position: at + 1, value })),
      { source: 'import' },
    )
    const { credentials } = await services.access.createClient({
      name: 'Observed',
      ownerEmail: 'obs@openemploi.example',
      kind: 'entreprise',
      apis: ['offresdemploiv2'],
    })
    await services.access.setRateLimit(credentials.client_id, 100_000)
    clientId = credentials.client_id
    secret = credentials.client_secret
    token = (await services.access.issueToken(credentials.client_id, credentials.client_secret, undefined)).access_token
  })
  afterAll(async () => {
    await node.close()
    await schema?.drop()
    rmSync(folder, { recursive: true, force: true })
  })

  it('is not ready before its index is loaded: 503 with Retry-After and the details', async () => {
    const response = await node.app.inject({ url: '/health/ready' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    const body = response.json<Readiness>()
    expect(body).toMatchObject({ status: 'unavailable', index: { loaded: false, offres: 0 }, store: { reachable: true } })
    // Nothing loaded yet: every declared resource is pending, no figure is guessed.
    expect(body.datasets).toEqual({ state: 'loading', loaded: 0, total: agencesPackage.resources.length, rows: { loaded: 0, total: 0 }, indexed: false })
    // No REDIS_URL: the node limits alone, by setting.
    expect(body.limiter).toEqual({ mode: 'local' })
  })

  it('is ready once the index is loaded, with the offers it serves', async () => {
    await node.services.loadIndex()
    const response = await node.app.inject({ url: '/health/ready' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['retry-after']).toBeUndefined()
    expect(response.json<Readiness>()).toEqual({
      status: 'ready',
      index: { loaded: true, offres: 30 },
      store: { reachable: true },
      datasets: { state: 'loading', loaded: 0, total: agencesPackage.resources.length, rows: { loaded: 0, total: 0 }, indexed: false },
      limiter: { mode: 'local' },
    })
  })

  it('counts requests by API, route pattern and status, with latency histograms, and no raw URL or secret', async () => {
    const auth = { authorization: `Bearer ${token}` }
    expect((await node.app.inject({ url: `${SEARCH}?motsCles=cuisinier`, headers: auth })).statusCode).toBeLessThan(300)
    expect((await node.app.inject({ url: `${DETAIL}/ZZZ9999`, headers: auth })).statusCode).toBe(204)
    expect((await node.app.inject({ url: `${DETAIL}/ZZZ9998`, headers: auth })).statusCode).toBe(204)
    const denied = await node.app.inject({
      method: 'POST',
      url: TOKEN,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=wrong-${secret}&scope=api_offresdemploiv2`,
    })
    expect(denied.statusCode).toBe(400)
    expect((await node.app.inject({ url: `/nowhere/${secret}?client_secret=${secret}` })).statusCode).toBe(404)

    const response = await node.app.inject({ url: '/metrics' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = response.body
    const detail = { api: 'offres', route: `${DETAIL}/:id`, method: 'GET' }
    expect(sample(text, 'openemploi_http_requests_total', { ...detail, status: '204' })).toBe(2)
    expect(sample(text, 'openemploi_http_requests_total', { api: 'offres', route: `${SEARCH}`, method: 'GET' })).toBe(1)
    expect(sample(text, 'openemploi_http_requests_total', { api: 'oauth', route: '/connexion/oauth2/access_token', method: 'POST', status: '400' })).toBe(1)
    expect(sample(text, 'openemploi_http_requests_total', { api: 'other', route: 'unmatched', method: 'GET', status: '404' })).toBe(1)
    expect(sample(text, 'openemploi_http_request_duration_seconds_count', detail)).toBe(2)
    expect(sample(text, 'openemploi_http_request_duration_seconds_bucket', { ...detail, le: '+Inf' })).toBe(2)
    expect(sample(text, 'openemploi_http_request_duration_seconds_bucket', { ...detail, le: '0.005' })).toBeDefined()
    // Labels name route patterns, never what a client wrote.
    expect(text).not.toContain('ZZZ9999')
    expect(text).not.toContain(secret)
    expect(text).not.toContain('nowhere')
    expect(text).not.toContain('motsCles')
    expect(text).not.toContain(token)
  })

  it('shows the index size, the follower lag, the store connections, the datasets and Node’s own figures', async () => {
    const text = (await node.app.inject({ url: '/metrics' })).body
    const health = (await node.app.inject({ url: '/health' })).json<{ offres: number }>()
    expect(sample(text, 'openemploi_index_offers')).toBe(health.offres)
    expect(sample(text, 'openemploi_index_offers')).toBe(30)
    expect(sample(text, 'openemploi_ready')).toBe(1)
    expect(sample(text, 'openemploi_rate_limiter_mode', { mode: 'local' })).toBe(1)
    expect(sample(text, 'openemploi_rate_limiter_mode', { mode: 'fallback' })).toBe(0)
    expect(sample(text, 'openemploi_rate_limiter_fallback_decisions', { decision: 'allowed' })).toBe(0)
    expect(sample(text, 'openemploi_user_sql_statements', { state: 'running' })).toBe(0)
    expect(sample(text, 'openemploi_user_sql_cancelled')).toBe(0)
    expect(sample(text, 'openemploi_change_follower_lag_changes')).toBe(0)
    expect(sample(text, 'openemploi_change_follower_lag_seconds')).toBeGreaterThanOrEqual(0)
    // Present for each pool; their values are the node's background work at that moment (a usage
    // flush, the follower's poll) queued behind the scrape's own reads on a slow machine.
    for (const pool of store.pools) {
      expect(sample(text, 'openemploi_store_connections', { pool, state: 'in_use' })).toBeGreaterThanOrEqual(0)
      expect(sample(text, 'openemploi_store_connections', { pool, state: 'idle' })).toBeGreaterThanOrEqual(0)
      expect(sample(text, 'openemploi_store_waiting', { pool })).toBeGreaterThanOrEqual(0)
    }
    expect(sample(text, 'openemploi_datasets_resources', { state: 'loaded' })).toBe(0)
    expect(sample(text, 'openemploi_datasets_resources', { state: 'pending' })).toBe(agencesPackage.resources.length)
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge')
  })

  it('reports the datasets as they are loaded (resources, rows, speed), then served and indexed, without holding readiness', async () => {
    const seen: unknown[] = []
    const rows = agencesPackage.resources.reduce((sum, resource) => sum + (resource.kind === 'file' ? resource.expectedRows : 0), 0)
    const total = agencesPackage.resources.length
    await node.services.syncDatasets({
      loaded: (resource) => seen.push({ resource: resource.id, ...node.services.status.datasets() }),
      served: () => seen.push({ served: node.services.status.datasets() }),
    })
    expect(seen[0]).toMatchObject({ resource: agencesPackage.resources[0]?.id, state: 'loading', loaded: 1, total, rows: { loaded: rows, total: rows }, indexed: false })
    expect(seen.at(-1)).toMatchObject({ served: { state: 'ready', loaded: total, total, indexed: false } })
    const response = await node.app.inject({ url: '/health/ready' })
    expect(response.statusCode).toBe(200)
    expect(response.json<Readiness>().datasets).toEqual({ state: 'ready', loaded: total, total, rows: { loaded: rows, total: rows }, rowsPerSecond: expect.any(Number) as number, indexed: true })
    const text = (await node.app.inject({ url: '/metrics' })).body
    expect(sample(text, 'openemploi_datasets_resources', { state: 'loaded' })).toBe(total)
    expect(sample(text, 'openemploi_datasets_resources', { state: 'pending' })).toBe(0)
  })

  it('takes the client’s X-Request-Id when it is a sane token, else makes one, and echoes it on errors too', async () => {
    const given = await node.app.inject({ url: '/health', headers: { 'x-request-id': 'lb-7f3a.42:x' } })
    expect(given.headers['x-request-id']).toBe('lb-7f3a.42:x')
    const generated = await node.app.inject({ url: '/health' })
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    for (const insane of ['a'.repeat(129), 'two words', '<script>', '"quoted"', 'a,b']) {
      const replaced = await node.app.inject({ url: '/health', headers: { 'x-request-id': insane } })
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    }
    const unauthorised = await node.app.inject({ url: `${SEARCH}`, headers: { 'x-request-id': 'err-401' } })
    expect(unauthorised.statusCode).toBe(401)
    expect(unauthorised.headers['x-request-id']).toBe('err-401')
    const notFound = await node.app.inject({ url: '/nowhere', headers: { 'x-request-id': 'err-404' } })
    expect(notFound.statusCode).toBe(404)
    expect(notFound.headers['x-request-id']).toBe('err-404')
    const badJson = await node.app.inject({
      method: 'POST',
      url: TOKEN,
      headers: { 'content-type': 'application/json', 'x-request-id': 'err-400' },
      payload: '{',
    })
    expect(badJson.statusCode).toBeGreaterThanOrEqual(400)
    expect(badJson.headers['x-request-id']).toBe('err-400')
    // The event stream writes its own head (hijacked reply): it carries the id too.
    const origin = await node.app.listen({ port: 0, host: '127.0.0.1' })
    const leave = new AbortController()
    const stream = await fetch(`${origin}${DETAIL}/flux?curseur=0`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'x-request-id': 'sse-1' },
      signal: leave.signal,
    })
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(stream.headers.get('x-request-id')).toBe('sse-1')
    leave.abort()
  })

  it('writes the request id in every log line of a request', async () => {
    log.lines.length = 0
    await node.app.inject({ url: `${DETAIL}/ZZZ9997`, headers: { authorization: `Bearer ${token}`, 'x-request-id': 'trace-me-1' } })
    const lines = log.lines.filter((line) => line.reqId === 'trace-me-1')
    expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'request completed'])
    expect(log.lines.filter((line) => line.req !== undefined || line.res !== undefined).every((line) => line.reqId === 'trace-me-1')).toBe(true)
  })

  // PostgreSQL's connection failures are the fault suite's; closing the store is the simplest loss here.
  it.skipIf(store.url !== undefined)('stays alive but is not ready when its store stops answering', async () => {
    await node.services.database.close()
    // The store's last answer is reused for a second: probes never add load to it.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const ready = await node.app.inject({ url: '/health/ready' })
    expect(ready.statusCode).toBe(503)
    expect(ready.headers['retry-after']).toBe('5')
    expect(ready.json<Readiness>()).toMatchObject({ status: 'unavailable', index: { loaded: true, offres: 30 }, store: { reachable: false } })
    const live = await node.app.inject({ url: '/health' })
    expect(live.statusCode).toBe(200)
    expect(live.json()).toEqual({ status: 'ok', offres: 30, limiteur: 'local' })
    // The metrics still answer; what needs the store is left out rather than guessed.
    const metrics = await node.app.inject({ url: '/metrics' })
    expect(metrics.statusCode).toBe(200)
    expect(sample(metrics.body, 'openemploi_change_follower_lag_changes')).toBeUndefined()
    expect(sample(metrics.body, 'openemploi_index_offers')).toBe(30)
    expect(sample(metrics.body, 'openemploi_ready')).toBe(0)
    // A dataset pass that fails says so; the resources keep their previous version.
    await expect(node.services.syncDatasets()).rejects.toThrow()
    expect(node.services.status.datasets()).toMatchObject({ state: 'failed', failed: true, total: agencesPackage.resources.length })
  })
})
