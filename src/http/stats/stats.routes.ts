import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { ApiCatalogue, CatalogueApi } from '../../domain/access/catalogue.schema.js'
import { apiCallsPerDay, type UsageRecorder, type UsageRepository } from '../../domain/usage/usage.js'
import { UnavailableError } from '../../shared/errors.js'
import { prefersHtml } from '../accept.js'
import { RETRY_AFTER_SECONDS } from '../offres/offres-errors.js'
import type { ApiDocsLinks } from '../portal/api-summary.js'
import { PAGE_HEADERS } from '../portal/portal.routes.js'
import { cataloguePage, statsPage, type ApiCalls } from './stats-pages.js'

const DEFAULT_DAYS = 30
const MAX_DAYS = 366

const StatSchema = Type.Object(
  {
    label: Type.Literal('Appels'),
    value: Type.Integer({ description: 'Appels sur les lastXdays derniers jours.' }),
    lastXdays: Type.Integer(),
    series: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), value: Type.Integer() })),
  },
  { $id: 'Stat' },
)

const FORMAT = Type.Optional(
  Type.String({ description: '`json` : le JSON même pour un navigateur (qui reçoit sinon la page HTML, voir `Accept`).' }),
)

type Stat = Static<typeof StatSchema>

/**
 * Whether to answer with the page for people: only a client that prefers HTML (a browser) and did
 * not ask for `format=json`. Every answer varies on Accept.
 */
function wantsPage(request: FastifyRequest, reply: FastifyReply): boolean {
  reply.header('Vary', 'Accept')
  const { format } = request.query as { format?: string }
  return format !== 'json' && prefersHtml(request.headers.accept)
}

function sendPage(reply: FastifyReply, page: string): FastifyReply {
  return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page)
}

/** The `stat` block of an API, as the original publishes it. */
function statOf(calls: ApiCalls, days: number): Stat {
  const series = calls.days.map((day) => ({ date: day.day, value: day.calls }))
  return { label: 'Appels' as const, value: series.reduce((sum, day) => sum + day.value, 0), lastXdays: days, series }
}

/**
 * Published figures: `GET /stats` (calls per API over the last days, the `stat` block of the
 * catalogue) and `GET /catalogue` (the APIs described, with their stat block). Both are JSON for
 * machines, as the original publishes them, and an HTML page with charts for browsers.
 */
export function statsRoutes(deps: {
  catalogue: ApiCatalogue
  usage: UsageRepository
  recorder: UsageRecorder
  now: () => number
  /** Where each API is documented (the catalogue page links it). */
  docsOf: (api: CatalogueApi) => ApiDocsLinks
}) {
  const { catalogue, usage, recorder, now } = deps

  /** Every API's calls per day, counts of this node still in memory written first (every call answered is in). */
  async function callsPerApi(days: number): Promise<ApiCalls[]> {
    await recorder.flush()
    return Promise.all(catalogue.apis.map(async (api) => ({ api, days: await apiCallsPerDay(usage, api.id, now(), days) })))
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions
  return async (app: FastifyInstance) => {
    app.addSchema(StatSchema)
    // The store unreachable: 503 in Fastify's error shape (that of the service's other routes); anything else goes on.
    app.setErrorHandler((error, _request, reply) => {
      if (!(error instanceof UnavailableError)) throw error
      return reply.code(503).header('Retry-After', RETRY_AFTER_SECONDS).send({ statusCode: 503, error: 'Service Unavailable', message: error.message })
    })
    app.get(
      '/stats',
      {
        schema: {
          tags: ['Service'],
          operationId: 'stats',
          summary: 'Nombre d’appels publié, par API',
          description: 'JSON, sauf pour un client qui préfère `text/html` (un navigateur) : il reçoit une page avec les graphiques des appels par jour.',
          querystring: Type.Object({ jours: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DAYS, default: DEFAULT_DAYS })), format: FORMAT }),
          response: {
            200: Type.Object({
              apis: Type.Array(Type.Object({ id: Type.String(), titre: Type.String(), stat: Type.Ref('Stat') })),
            }),
          },
        },
      },
      async (request, reply) => {
        const { jours } = request.query as { jours?: number }
        const days = jours ?? DEFAULT_DAYS
        const calls = await callsPerApi(days)
        if (wantsPage(request, reply)) return sendPage(reply, statsPage(calls, days))
        return { apis: calls.map((entry) => ({ id: entry.api.id, titre: entry.api.titre, stat: statOf(entry, days) })) }
      },
    )
    app.get(
      '/catalogue',
      {
        schema: {
          tags: ['Service'],
          operationId: 'catalogue',
          summary: 'Les API publiées et leur nombre d’appels',
          description: 'JSON, sauf pour un client qui préfère `text/html` (un navigateur) : il reçoit le catalogue en page HTML, avec les graphiques des appels.',
          querystring: Type.Object({ format: FORMAT }),
        },
      },
      async (request, reply) => {
        const calls = await callsPerApi(DEFAULT_DAYS)
        if (wantsPage(request, reply)) return sendPage(reply, cataloguePage(calls, DEFAULT_DAYS, deps.docsOf))
        const apis = calls.map((item) => {
          const { cgu, ...entry } = item.api
          return { ...entry, cgu: { version: cgu.version, date: cgu.date }, stat: statOf(item, DEFAULT_DAYS) }
        })
        return { apis }
      },
    )
  }
}
