import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/cli/logger.js'
import { MemoryRateLimiter } from '../../src/domain/access/rate-limiter.js'
import { Metrics } from '../../src/observability/metrics.js'
import { Readiness, type ReadinessSources } from '../../src/observability/readiness.js'
import { capturedLog } from '../support/log-capture.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * The HTTP side of observability on the test application: who may read /metrics, the readiness
 * answer's shape with every source, and the request id on log lines that services write through
 * the process's logger while they serve a request.
 */

const METRICS_TOKEN = 'm'.repeat(40)

function readiness(overrides: Partial<ReadinessSources> = {}): Readiness {
  return new Readiness({
    index: () => ({ loaded: true, offres: 3 }),
    store: () => Promise.resolve(true),
    datasets: () => ({ state: 'loading' as const, loaded: 2, total: 5, rows: { loaded: 1200, total: 5000 }, rowsPerSecond: 600, etaSeconds: 7, loading: { id: 'rome-arborescence', name: 'Arborescence' }, indexed: false }),
    ...overrides,
  })
}

describe('without METRICS_TOKEN', () => {
  const log = capturedLog()
  const logger = createLogger('info', log.stream)
  let t: TestApp
  beforeAll(async () => {
    const metrics = new Metrics()
    metrics.gauge('test_broken_source', 'A source that throws.', [], () => {
      throw new Error('source down')
    })
    metrics.gauge('test_unset_source', 'A source with nothing to tell yet.', [], () => undefined)
    metrics.gauge('test_mode', 'A labelled source.', ['mode'], (set) => {
      set(1, { mode: 'shared' })
      set(0, { mode: 'local' })
    })
    const limiter = new MemoryRateLimiter()
    // A service that logs on the process's logger while it serves, as the Redis limiter does when Redis fails.
    const take = limiter.take.bind(limiter)
    limiter.take = (key, perSecond) => {
      logger.warn('limiter consulted')
      return take(key, perSecond)
    }
    t = await createTestApp({ logger, limiter, observability: { metrics, readiness: readiness({ limiterMode: () => 'fallback' }) } })
    t.app.post('/test/echo', async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      logger.warn('handler after the body')
      return request.body
    })
  })
  afterAll(() => t.close())

  it('answers /metrics to a direct local scrape only, never to one relayed by a proxy or from elsewhere', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect((await t.app.inject({ url: '/metrics', remoteAddress })).statusCode).toBe(200)
    }
    const remote = await t.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' })
    expect(remote.statusCode).toBe(403)
    expect(remote.body).not.toContain('openemploi_')
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const proxied = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: { [header]: '203.0.113.9' } })
      expect(proxied.statusCode).toBe(403)
    }
  })

  it('leaves out a gauge whose source fails or tells nothing; the other metrics still answer', async () => {
    const response = await t.app.inject({ url: '/metrics' })
    expect(response.statusCode).toBe(200)
    expect(response.body).not.toMatch(/^test_broken_source/m)
    expect(response.body).not.toMatch(/^test_unset_source/m)
    expect(response.body).toContain('test_mode{mode="shared"} 1')
    expect(response.body).toContain('test_mode{mode="local"} 0')
  })

  it('details every readiness source (the datasets’ state, resources and rows, speed and time left), and the limiter’s mode when it is known', async () => {
    const response = await t.app.inject({ url: '/health/ready' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      status: 'ready',
      index: { loaded: true, offres: 3 },
      store: { reachable: true },
      datasets: { state: 'loading' as const, loaded: 2, total: 5, rows: { loaded: 1200, total: 5000 }, rowsPerSecond: 600, etaSeconds: 7, loading: { id: 'rome-arborescence', name: 'Arborescence' }, indexed: false },
      limiter: { mode: 'fallback' },
    })
  })

  it('writes the request id in lines services log through the process logger during a request, after the body is read too', async () => {
    const search = await t.get('/partenaire/offresdemploi/v2/offres/ZZZ9999', { headers: { 'x-request-id': 'svc-1' } })
    expect(search.headers['x-request-id']).toBe('svc-1')
    // Over a real socket: the body arrives in the connection's events, outside the request's context.
    const origin = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const posted = await fetch(`${origin}/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'svc-2' },
      body: new ReadableStream({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('{"a":"'))
          await new Promise((resolve) => setTimeout(resolve, 50))
          controller.enqueue(new TextEncoder().encode('x"}'))
          controller.close()
        },
      }),
      duplex: 'half',
    })
    expect(posted.status).toBe(200)
    expect(posted.headers.get('x-request-id')).toBe('svc-2')
    await posted.arrayBuffer()
    expect(log.lines.filter((line) => line.msg === 'limiter consulted').map((line) => line.reqId)).toEqual(['svc-1'])
    expect(log.lines.filter((line) => line.msg === 'handler after the body').map((line) => line.reqId)).toEqual(['svc-2'])
    // Fastify's request lines carry it once, as their binding.
    expect(log.lines.some((line) => line.msg === 'request completed' && line.reqId === 'svc-2')).toBe(true)
    expect(log.texts.every((text) => text.split('"reqId"').length <= 2)).toBe(true)
    // Outside any request, the process logger adds nothing.
    logger.warn('background work')
    expect(log.lines.find((line) => line.msg === 'background work')).not.toHaveProperty('reqId')
  })
})

describe('with METRICS_TOKEN', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({
      observability: { metrics: new Metrics(), readiness: readiness({ store: () => Promise.resolve(false) }), metricsToken: METRICS_TOKEN },
    })
  })
  afterAll(() => t.close())

  it('answers /metrics to the bearer token from anywhere, to nothing else', async () => {
    const withToken = await t.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(withToken.statusCode).toBe(200)
    expect(withToken.body).toContain('openemploi_http_requests_total')
    for (const authorization of [undefined, `Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(1)}`, `Basic ${METRICS_TOKEN}`]) {
      const denied = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: authorization ? { authorization } : {} })
      expect(denied.statusCode).toBe(401)
      expect(denied.headers['www-authenticate']).toBe('Bearer realm="metrics"')
      expect(denied.body).not.toContain('openemploi_')
    }
  })

  it('is not ready when the store does not answer in time: 503 with the same details', async () => {
    const response = await t.app.inject({ url: '/health/ready' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.json()).toMatchObject({ status: 'unavailable', store: { reachable: false }, index: { loaded: true, offres: 3 } })
  })
})
