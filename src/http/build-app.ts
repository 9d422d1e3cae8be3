import Fastify, { type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { OffresService } from '../domain/offers/offres.service.js'
import { OffreSchema } from '../domain/offers/offer.schema.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { offresErrorHandling } from './offres/offres-errors.js'
import { offresRoutes } from './offres/offres.routes.js'
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

export interface AppDependencies {
  readonly offres: OffresService
  readonly referentials: Referentials
  /** The clock of date filters such as `publieeDepuis`. */
  readonly now?: () => number
  readonly logLevel?: string
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

/** Builds the HTTP application (never listens: tests use `inject`, `serve` calls `listen`). */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: deps.logLevel ?? 'info' },
    // Job offers pages are large; the original accepts long query strings (200 ROME codes).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  })
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'OpenEmploi — Offres d’emploi v2',
        version: '2',
        description:
          'Recherche et consultation des offres d’emploi actives, et référentiels. Compatible avec l’API Offres d’emploi v2 de France Travail : seule l’URL de base change.',
        license: { name: 'MIT' },
      },
      tags: [
        { name: 'Offres', description: 'Recherche et détail des offres.' },
        { name: 'Référentiels', description: 'Les 16 référentiels des critères de recherche.' },
        { name: 'Service', description: 'État du service.' },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } })

  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger())

  app.get(
    '/health',
    {
      schema: {
        operationId: 'health',
        tags: ['Service'],
        summary: 'État du service : 200 quand l’index est chargé, 503 avant.',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, offres: { type: 'integer' } } },
          503: { type: 'object', properties: { status: { type: 'string' } } },
        },
      },
    },
    (_request, reply) =>
      deps.offres.isReady
        ? reply.send({ status: 'ok', offres: deps.offres.size })
        : reply.code(503).header('Retry-After', '5').send({ status: 'loading' }),
  )

  await app.register(
    async (offres) => {
      offresErrorHandling(offres)
      await offres.register(
        offresRoutes({ offres: deps.offres, referentials: deps.referentials, now: deps.now ?? Date.now }),
      )
    },
    { prefix: OFFRES_PREFIX },
  )
  return app
}
