import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { ApiCatalogue } from '../../domain/access/catalogue.schema.js'
import { lastDays, type UsageRecorder, type UsageRepository } from '../../domain/usage/usage.js'
import { UnavailableError } from '../../shared/errors.js'
import { RETRY_AFTER_SECONDS } from '../offres/offres-errors.js'

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

/**
 * Published figures: `GET /stats` (calls per API over the last days, the `stat` block of the
 * catalogue) and `GET /catalogue` (the APIs described, with their stat block).
 */
export function statsRoutes(deps: { catalogue: ApiCatalogue; usage: UsageRepository; recorder: UsageRecorder; now: () => number }) {
  const { catalogue, usage, recorder, now } = deps

  async function stat(api: string, days: number) {
    const range = lastDays(now(), days)
    const byDay = new Map((await usage.apiDaily(api, range[0] ?? '')).map((row) => [row.day, row.calls]))
    const series = range.map((date) => ({ date, value: byDay.get(date) ?? 0 }))
    return { label: 'Appels' as const, value: series.reduce((sum, day) => sum + day.value, 0), lastXdays: days, series }
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
          querystring: Type.Object({ jours: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DAYS, default: DEFAULT_DAYS })) }),
          response: {
            200: Type.Object({
              apis: Type.Array(Type.Object({ id: Type.String(), titre: Type.String(), stat: Type.Ref('Stat') })),
            }),
          },
        },
      },
      async (request) => {
        // Counts of this node still in memory are written first, so that the figures include every call answered.
        await recorder.flush()
        const { jours } = request.query as { jours?: number }
        const days = jours ?? DEFAULT_DAYS
        return { apis: await Promise.all(catalogue.apis.map(async (api) => ({ id: api.id, titre: api.titre, stat: await stat(api.id, days) }))) }
      },
    )
    app.get(
      '/catalogue',
      { schema: { tags: ['Service'], operationId: 'catalogue', summary: 'Les API publiées et leur nombre d’appels' } },
      async () => {
        await recorder.flush()
        const apis = await Promise.all(
          catalogue.apis.map(async (api) => {
            const { cgu, ...entry } = api
            return { ...entry, cgu: { version: cgu.version, date: cgu.date }, stat: await stat(api.id, DEFAULT_DAYS) }
          }),
        )
        return { apis }
      },
    )
  }
}
