import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { RATE_LIMITER_MODES } from '../domain/access/rate-limiter.js'
import type { Metrics } from '../observability/metrics.js'
import type { Readiness } from '../observability/readiness.js'
import { requestIdOf, runInRequest } from '../observability/request-context.js'
import { surfaceOf } from './surfaces.js'

/** What the HTTP application needs to show the node to its operator. */
export interface ObservabilityDependencies {
  readonly metrics: Metrics
  readonly readiness: Readiness
  /** Bearer token of GET /metrics (METRICS_TOKEN); without it, only direct local scrapes are answered. */
  readonly metricsToken?: string | undefined
}

/**
 * Fastify's request ids: `genReqId` keeps a sane client `X-Request-Id` (Fastify's own
 * `requestIdHeader` would take any value verbatim into every log line) or makes a UUID.
 */
export const requestIdOptions = {
  requestIdHeader: false,
  genReqId: (request) => requestIdOf(request.headers['x-request-id']),
} satisfies Pick<FastifyServerOptions, 'requestIdHeader' | 'genReqId'>

/** Path prefixes of each API, for the `api` label (a route pattern, or the path of an unmatched request). */
/** The service's own routes, by the part of the service they belong to (metrics label). */
const SERVICE_PREFIXES: readonly (readonly [string, string])[] = [
  ['/.well-known/', 'oauth'],
  ['/stats', 'stats'],
  ['/catalogue', 'stats'],
  ['/health', 'service'],
  ['/metrics', 'service'],
  ['/docs', 'docs'],
  ['/openapi.json', 'docs'],
]

/** The API a path belongs to: the surface its errors are written for, the service's own routes told apart. */
function apiOf(path: string): string {
  const surface = surfaceOf(path)
  if (surface !== 'service') return surface
  return SERVICE_PREFIXES.find(([prefix]) => path.startsWith(prefix))?.[1] ?? 'other'
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])
/** Headers a reverse proxy adds: a request carrying one was relayed, whatever its peer address. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip']

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Who may read /metrics. With a token: its bearer, from anywhere (compared in constant time).
 * Without: a direct connection from this host only, since the shipped nginx relays every path from
 * loopback too; a relayed request names its client in a forwarding header.
 */
function metricsAccess(request: FastifyRequest, token: string | undefined): 'allowed' | 'unauthorized' | 'forbidden' {
  if (token !== undefined) {
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token)) ? 'allowed' : 'unauthorized'
  }
  const direct = LOOPBACK.has(request.socket.remoteAddress ?? '') && FORWARDING_HEADERS.every((name) => request.headers[name] === undefined)
  return direct ? 'allowed' : 'forbidden'
}

const READINESS_SCHEMA = {
  type: 'object',
  required: ['status', 'index', 'store', 'datasets'],
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    index: { type: 'object', properties: { loaded: { type: 'boolean' }, offres: { type: 'integer' } } },
    store: { type: 'object', properties: { reachable: { type: 'boolean' } } },
    datasets: {
      type: 'object',
      properties: {
        state: { type: 'string', enum: ['loading', 'ready', 'failed'] },
        loaded: { type: 'integer' },
        total: { type: 'integer' },
        rows: { type: 'object', properties: { loaded: { type: 'integer' }, total: { type: 'integer' } } },
        rowsPerSecond: { type: 'integer' },
        etaSeconds: { type: 'integer' },
        loading: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
        indexed: { type: 'boolean' },
        failed: { type: 'boolean' },
      },
    },
    limiter: { type: 'object', properties: { mode: { type: 'string', enum: [...RATE_LIMITER_MODES] } } },
  },
} as const

/**
 * Puts the request's id on its answer, on the raw response so that answers written after
 * `reply.hijack()` (the event stream) carry it too. Answers Fastify writes before any hook (its
 * `frameworkErrors`: a malformed URL) need this call in that handler.
 */
export function echoRequestId(request: FastifyRequest, reply: FastifyReply): void {
  reply.raw.setHeader('X-Request-Id', request.id)
}

/**
 * Request ids on every answer and every log line of a request, and when given its dependencies,
 * the request metrics, GET /metrics and GET /health/ready. Registered first, so that its hooks see
 * every request, those answered early (401, 404, 413) included.
 */
export function observability(app: FastifyInstance, deps: ObservabilityDependencies | undefined): void {
  app.addHook('onRequest', (request, reply, done) => {
    echoRequestId(request, reply)
    // Code run for this request (services logging through the process's logger) finds its id;
    // Fastify keeps the context across reading the body (its parsers run in an AsyncResource).
    runInRequest({ requestId: request.id }, done)
  })
  if (!deps) return
  const { metrics, readiness } = deps

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.is404 ? undefined : request.routeOptions.url
    const path = route ?? request.url.split('?', 1)[0] ?? ''
    metrics.observeRequest(
      { api: apiOf(path), route: route ?? 'unmatched', method: request.method, status: reply.statusCode },
      reply.elapsedTime / 1000,
    )
    done()
  })

  app.get('/metrics', { schema: { hide: true } }, async (request, reply: FastifyReply) => {
    const access = metricsAccess(request, deps.metricsToken)
    const denied = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
    if (access === 'unauthorized') {
      return reply.code(401).headers({ ...denied, 'WWW-Authenticate': 'Bearer realm="metrics"' }).send('Unauthorized\n')
    }
    if (access === 'forbidden') return reply.code(403).headers(denied).send('Forbidden: set METRICS_TOKEN to scrape from another host\n')
    return reply.type(metrics.contentType).header('Cache-Control', 'no-store').send(await metrics.render())
  })

  app.get(
    '/health/ready',
    {
      schema: {
        operationId: 'readiness',
        tags: ['Service'],
        summary: 'Prêt à servir : 200 quand l’index est chargé et la base répond, 503 sinon, avec le détail.',
        response: { 200: READINESS_SCHEMA, 503: READINESS_SCHEMA },
      },
    },
    async (_request, reply) => {
      const report = await readiness.report()
      if (report.status !== 'ready') reply.code(503).header('Retry-After', '5')
      return reply.header('Cache-Control', 'no-store').send(report)
    },
  )
}
