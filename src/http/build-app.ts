import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import type { AccessService } from '../domain/access/access.service.js'
import { RATE_LIMITER_MODES, type RateLimiter } from '../domain/access/rate-limiter.js'
import type { OffresService } from '../domain/offers/offres.service.js'
import type { OfferExpiry } from '../domain/offers/job-posting.service.js'
import type { UsageRecorder, UsageRepository } from '../domain/usage/usage.js'
import { OffreSchema } from '../domain/offers/offer.schema.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { offresErrorHandling } from './offres/offres-errors.js'
import { offresRoutes } from './offres/offres.routes.js'
import { accessHooks } from './access/access.hooks.js'
import { adminRoutes } from './admin/admin.routes.js'
import { oauthRoutes } from './oauth/oauth.routes.js'
import { landingRoutes } from './portal/landing.js'
import type { OperatorDetails } from './portal/legal-pages.js'
import { portalRoutes } from './portal/portal.routes.js'
import { statsRoutes } from './stats/stats.routes.js'
import { docsLinks } from './docs/links.js'
import { registerDocs, registerOpenApi } from './docs/docs.routes.js'
import { DEPOT_PREFIX, depotRoutes } from './depot/depot.routes.js'
import { feedRoutes, type ChangeSubscription } from './offres/feed.routes.js'
import type { DepositService } from '../domain/deposit/deposit.service.js'
import type { InfotravailService } from '../domain/datastore/infotravail.service.js'
import { infotravailRoutes } from './infotravail/infotravail.routes.js'
import { observability, requestIdOptions, type ObservabilityDependencies } from './observability.js'
import { frameworkOptions, handleFrameworkErrors } from './framework-errors.js'
import { LOG_REDACTION, redactingLogger } from './log-redaction.js'
import type { OfferFeed } from '../domain/offers/offer-feed.js'
import {
  AgregationSchema,
  CommuneSchema,
  DepartementSchema,
  ErreurSchema,
  FiltrePossibleSchema,
  ReferentielSchema,
  RegionSchema,
  ResultatRechercheSchema,
} from './offres/offres.schemas.js'

/** Access under contract: tokens, limits, call counts, and the surfaces that manage them. */
export interface AccessDependencies {
  readonly service: AccessService
  readonly limiter: RateLimiter
  readonly recorder: UsageRecorder
  readonly usage: UsageRepository
  readonly defaultRatePerSecond: number
  /** Enables the administration API under /admin/. */
  readonly adminToken?: string | undefined
  /** Public base URL: the OAuth2 issuer; secure cookies when https. */
  readonly publicUrl?: string | undefined
  /** APIs whose routes are open without a token (open data). */
  readonly publicApis?: ReadonlySet<string>
}

/** Real time: deposits, the change feed and the snapshot. */
export interface LiveDependencies {
  readonly deposits: DepositService
  readonly feed: OfferFeed
  /** Told each time this node's index has applied more changes (drives the live feed). */
  readonly subscribe: ChangeSubscription
}

/** The Infotravail v1 API (CKAN actions over the datastore). */
export interface InfotravailDependencies {
  readonly service: InfotravailService
}

export interface AppDependencies {
  readonly offres: OffresService
  /** When offers expire (the detail's JobPosting `validThrough`); left out, postings have none. */
  readonly offerExpiry?: OfferExpiry
  readonly referentials: Referentials
  readonly access: AccessDependencies
  /** Deposit API, feed and snapshot; left out, the service is read-only. */
  readonly live?: LiveDependencies
  /** The Infotravail v1 API, when this node serves it. */
  readonly infotravail?: InfotravailDependencies
  /** The clock of date filters such as `publieeDepuis`. */
  readonly now?: () => number
  /** Reverse proxies whose X-Forwarded-* headers are believed (TRUST_PROXY); none when absent. */
  readonly trustProxy?: string | undefined
  readonly logLevel?: string
  /** The process's logger (shared with background work); else one at `logLevel`. */
  readonly logger?: FastifyBaseLogger
  /** Log the requests of health probes and metric scrapes at info like the others (LOG_HEALTH_PROBES). */
  readonly logHealthProbes?: boolean
  /** Metrics and readiness (GET /metrics, GET /health/ready); request ids are always on. */
  readonly observability?: ObservabilityDependencies
  /** Who runs this deployment, for the portal's legal pages (OPERATOR_* settings). */
  readonly operator?: OperatorDetails
}

/** Path prefix of the Offres d'emploi v2 API, as in the original (contract §1). */
export const OFFRES_PREFIX = '/partenaire/offresdemploi/v2'

const SHARED_SCHEMAS = [
  OffreSchema,
  ErreurSchema,
  AgregationSchema,
  FiltrePossibleSchema,
  ResultatRechercheSchema,
  ReferentielSchema,
  RegionSchema,
  DepartementSchema,
  CommuneSchema,
]

const LIMITER_MODE = { type: 'string', enum: [...RATE_LIMITER_MODES] }

/** What monitors poll every few seconds: their requests would drown the request log. */
const PROBE_ROUTES = new Set(['/health', '/health/ready', '/metrics'])

/**
 * Probe routes log at warn: their requests leave the info log, their failures stay in it.
 * Registered before any route, so that it sees them all.
 */
function quietProbes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (PROBE_ROUTES.has(route.url)) route.logLevel = 'warn'
  })
}

/** Builds the HTTP application (never listens: tests use `inject`, `serve` calls `listen`). */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: redactingLogger(deps.logger) } : { logger: { level: deps.logLevel ?? 'info', ...LOG_REDACTION } }),
    ...frameworkOptions({ publicUrl: deps.access.publicUrl }),
    // Job offers pages are large; the original accepts long query strings (200 ROME codes).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // request.ip (sign-in throttling, logs) is the TCP peer unless it is a configured proxy.
    trustProxy: deps.trustProxy ?? false,
    ...requestIdOptions,
  })
  if (!deps.logHealthProbes) quietProbes(app)
  observability(app, deps.observability)
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)
  handleFrameworkErrors(app, { publicUrl: deps.access.publicUrl })

  // Once the server is stopping, answers to requests still in flight close their connection:
  // a client's idle keep-alive connection would otherwise hold the stop for its whole timeout.
  let closing = false
  app.addHook('preClose', (done) => {
    closing = true
    done()
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('Connection', 'close')
    done(null, payload)
  })

  const openApi = await registerOpenApi(app, deps.access.service.catalogue)
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger())

  app.get(
    '/health',
    {
      schema: {
        operationId: 'health',
        tags: ['Service'],
        summary: 'État du service : 200 quand l’index est chargé, 503 avant.',
        description:
          '`limiteur` : où sont décidées les limites d’appels — `local` (ce processus, sans Redis), `shared` (Redis, commun à tous les nœuds), `fallback` (Redis configuré mais en échec : chaque nœud limite seul en attendant).',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, offres: { type: 'integer' }, limiteur: LIMITER_MODE } },
          503: { type: 'object', properties: { status: { type: 'string' }, limiteur: LIMITER_MODE } },
        },
      },
    },
    (_request, reply) =>
      deps.offres.isReady
        ? reply.send({ status: 'ok', offres: deps.offres.size, limiteur: deps.access.limiter.mode })
        : reply.code(503).header('Retry-After', '5').send({ status: 'loading', limiteur: deps.access.limiter.mode }),
  )

  const { access } = deps
  const now = deps.now ?? Date.now
  await app.register(formbody)
  await app.register(cookie)
  accessHooks(app, {
    access: access.service,
    limiter: access.limiter,
    usage: access.recorder,
    ...(access.publicApis ? { publicApis: access.publicApis } : {}),
  })
  await app.register(oauthRoutes({ access: access.service, publicUrl: access.publicUrl }))
  await app.register(
    statsRoutes({
      catalogue: access.service.catalogue,
      usage: access.usage,
      recorder: access.recorder,
      now,
      docsOf: docsLinks,
    }),
  )
  if (access.adminToken !== undefined) {
    await app.register(adminRoutes({ access: access.service, adminToken: access.adminToken }), { prefix: '/admin' })
  }
  await app.register(
    portalRoutes({
      access: access.service,
      usage: access.usage,
      now,
      secureCookies: access.publicUrl?.startsWith('https:') ?? false,
      defaultRatePerSecond: access.defaultRatePerSecond,
      ...(deps.operator ? { operator: deps.operator } : {}),
    }),
    { prefix: '/portail' },
  )
  await app.register(landingRoutes)

  await app.register(
    async (offres) => {
      offresErrorHandling(offres)
      await offres.register(
        offresRoutes({ offres: deps.offres, referentials: deps.referentials, now, expiry: deps.offerExpiry }),
      )
      if (deps.live) await offres.register(feedRoutes({ feed: deps.live.feed, subscribe: deps.live.subscribe }))
    },
    { prefix: OFFRES_PREFIX },
  )
  if (deps.live) {
    await app.register(depotRoutes({ deposits: deps.live.deposits }), { prefix: DEPOT_PREFIX })
  }
  if (deps.infotravail) {
    await app.register(infotravailRoutes({ service: deps.infotravail.service, publicUrl: access.publicUrl }))
  }
  await registerDocs(app, { catalogue: access.service.catalogue, paths: openApi.paths() })
  return app
}
