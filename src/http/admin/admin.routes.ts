import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { Type, type Static, type TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { OPERATOR, type AccessService } from '../../domain/access/access.service.js'
import { safeEqual } from '../../domain/access/credentials.js'
import { AppError, InvalidArgumentError, UnavailableError } from '../../shared/errors.js'
import { ADMIN_SECURITY } from '../docs/docs.routes.js'
import { RETRY_AFTER_SECONDS, STATUS_BY_CODE } from '../offres/offres-errors.js'

const CreateClientBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    ownerEmail: Type.String({ minLength: 3 }),
    kind: Type.String({ description: 'particulier, entreprise, collectivite (ou collectivité), ministere (ou ministère)' }),
    organisation: Type.Optional(Type.String()),
    apis: Type.Array(Type.String(), { minItems: 1 }),
  },
  { additionalProperties: false },
)
const LimitsBody = Type.Object(
  { perSecond: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()]) },
  { additionalProperties: false },
)
const ClientParams = Type.Object({ clientId: Type.String() })
const SubscriptionParams = Type.Object({ clientId: Type.String(), api: Type.String() })

/** RFC 9457 problem details: the error format of this native (non-original) surface. */
function problem(reply: FastifyReply, status: number, title: string, detail?: string): FastifyReply {
  return reply
    .code(status)
    .header('Content-Type', 'application/problem+json')
    .header('Cache-Control', 'no-store')
    .send(JSON.stringify({ type: 'about:blank', title, status, ...(detail === undefined ? {} : { detail }) }))
}

function parse<T extends TSchema>(schema: T, value: unknown): Static<T> {
  if (Value.Check(schema, value)) return value
  const details = [...Value.Errors(schema, value)].map((error) => `${error.instancePath || '/'} ${error.message}`)
  throw new InvalidArgumentError(details.join('; '))
}

/**
 * The administration API under /admin/, for operators: the same services as the CLI and the
 * portal. Every call needs `Authorization: Bearer <ADMIN_TOKEN>`.
 */
export function adminRoutes(deps: { access: AccessService; adminToken: string }) {
  const { access, adminToken } = deps
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request, reply) => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
      if (!match?.[1] || !safeEqual(match[1], adminToken)) {
        reply.header('WWW-Authenticate', 'Bearer realm="admin"')
        return problem(reply, 401, 'Unauthorized', 'A valid administration token is required.')
      }
      return undefined
    })
    app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      if (error instanceof UnavailableError) return problem(reply.header('Retry-After', RETRY_AFTER_SECONDS), 503, 'Service Unavailable', error.message)
      if (error instanceof AppError) return problem(reply, STATUS_BY_CODE[error.code], error.name, error.message)
      if (error.statusCode !== undefined && error.statusCode < 500) return problem(reply, error.statusCode, STATUS_CODES[error.statusCode] ?? 'Bad Request', error.message)
      request.log.error({ err: error }, 'unexpected error')
      return problem(reply, 500, 'Internal Server Error')
    })
    // Documented only: bodies and parameters are checked by parse(), in problem+json.
    const documented = (operationId: string, summary: string) => ({ schema: { tags: ['Administration'], operationId, summary, security: ADMIN_SECURITY } })

    app.get('/applications', documented('listerApplications', 'Lister les applications'), async () => ({ applications: await access.applications() }))
    app.post('/applications', documented('creerApplication', 'Créer une application et ses souscriptions (le secret n’est rendu qu’une fois)'), async (request, reply) => {
      const body = parse(CreateClientBody, request.body)
      const created = await access.createClient(body)
      return reply.code(201).header('Cache-Control', 'no-store').send({ ...created.credentials, application: created.application })
    })
    app.get('/applications/:clientId', documented('lireApplication', 'Lire une application'), (request) => access.application(parse(ClientParams, request.params).clientId))
    app.post('/applications/:clientId/rotate', documented('renouvelerSecret', 'Renouveler le secret d’une application (ses jetons sont révoqués)'), async (request, reply) =>
      reply.header('Cache-Control', 'no-store').send(await access.rotateSecret(parse(ClientParams, request.params).clientId)),
    )
    app.post('/applications/:clientId/revoke', documented('revoquerApplication', 'Révoquer une application'), (request) => access.revoke(parse(ClientParams, request.params).clientId))
    app.put('/applications/:clientId/limits', documented('fixerLimite', 'Fixer la limite d’appels par seconde d’une application (null : celle par défaut)'), (request) =>
      access.setRateLimit(parse(ClientParams, request.params).clientId, parse(LimitsBody, request.body).perSecond),
    )
    for (const [action, decision] of [
      ['approve', 'granted'],
      ['reject', 'rejected'],
    ] as const) {
      app.post(`/applications/:clientId/subscriptions/:api/${action}`, documented(`${action === 'approve' ? 'accorder' : 'refuser'}Souscription`, action === 'approve' ? 'Accorder l’accès d’une application à une API' : 'Refuser l’accès d’une application à une API'), (request) => {
        const { clientId, api } = parse(SubscriptionParams, request.params)
        return access.decide(clientId, api, decision, OPERATOR)
      })
    }
  }
}
