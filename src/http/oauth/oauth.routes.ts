import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { OAuthError, type AccessService } from '../../domain/access/access.service.js'
import { UnavailableError } from '../../shared/errors.js'
import { RETRY_AFTER_SECONDS } from '../offres/offres-errors.js'

/** Path of the token endpoint, as the original's (contract §9). */
export const TOKEN_PATH = '/connexion/oauth2/access_token'
export const REVOCATION_PATH = '/connexion/oauth2/token/revoke'
export const INTROSPECTION_PATH = '/connexion/oauth2/introspect'

/** Realms real clients send for the partner realm: `/partenaire`, `%2Fpartenaire` (decoded), `partenaire`. */
const PARTNER_REALMS = new Set(['/partenaire', 'partenaire'])

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

const OAuthErrorSchema = Type.Object(
  { error: Type.String(), error_description: Type.String() },
  { description: 'Erreur OAuth2 (RFC 6749 §5.2).' },
)

type Form = Record<string, string | string[] | undefined>

interface ClientCredentials {
  readonly clientId: string
  readonly secret: string
  /** Whether the client authenticated with HTTP Basic (RFC 6749 §2.3.1): failures are then 401. */
  readonly basic: boolean
}

function field(form: Form, name: string): string | undefined {
  const value = form[name]
  const single = Array.isArray(value) ? value[0] : value
  return single === undefined || single === '' ? undefined : single
}

function formOf(request: FastifyRequest): Form {
  return request.body !== null && typeof request.body === 'object' ? (request.body as Form) : {}
}

/** Client credentials from the Authorization header (Basic, form-encoded parts) or the form body; both is an error. */
function clientCredentials(request: FastifyRequest, form: Form): ClientCredentials | undefined {
  const header = request.headers.authorization
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  const inBody = field(form, 'client_id') !== undefined || field(form, 'client_secret') !== undefined
  if (match?.[1] !== undefined) {
    if (inBody) throw new OAuthError('invalid_request', 'Client credentials must be sent one way only')
    const decoded = Buffer.from(match[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return { clientId: '', secret: '', basic: true }
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
        secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
        basic: true,
      }
    } catch {
      return { clientId: '', secret: '', basic: true }
    }
  }
  const clientId = field(form, 'client_id')
  if (clientId === undefined) return undefined
  return { clientId, secret: field(form, 'client_secret') ?? '', basic: false }
}

function sendOAuthError(reply: FastifyReply, error: OAuthError, basic: boolean): FastifyReply {
  const unauthorized = error.error === 'invalid_client' && basic
  if (unauthorized) reply.header('WWW-Authenticate', 'Basic realm="/partenaire"')
  return reply
    .code(unauthorized ? 401 : 400)
    .headers(NO_STORE)
    .send({ error: error.error, error_description: error.description })
}

function checkRealm(request: FastifyRequest, form: Form): void {
  const query = request.query as Record<string, string | string[] | undefined>
  const realm = field(query, 'realm') ?? field(form, 'realm')
  // No realm at all is taken as the partner realm: the only one this service has.
  if (realm !== undefined && !PARTNER_REALMS.has(realm)) {
    throw new OAuthError('invalid_request', 'Invalid realm')
  }
}

/**
 * Runs an endpoint action for an authenticated client with a `token` parameter (revocation,
 * introspection), answering OAuth2 errors in the RFC 6749 §5.2 format.
 */
async function forClientToken(
  access: AccessService,
  request: FastifyRequest,
  reply: FastifyReply,
  action: (clientId: string, token: string) => Promise<object>,
): Promise<FastifyReply> {
  const form = formOf(request)
  let basic = false
  try {
    const credentials = clientCredentials(request, form)
    basic = credentials?.basic ?? false
    const application = credentials && (await access.authenticate(credentials.clientId, credentials.secret))
    if (!application) throw new OAuthError('invalid_client', 'Client authentication failed')
    const token = field(form, 'token')
    if (token === undefined) throw new OAuthError('invalid_request', 'The token parameter is missing')
    return await reply.headers(NO_STORE).send(await action(application.clientId, token))
  } catch (error) {
    if (error instanceof OAuthError) return sendOAuthError(reply, error, basic)
    throw error
  }
}

/**
 * The OAuth2 authorization server of the partner realm: the token endpoint (client credentials,
 * RFC 6749 §4.4, compatible with the original), revocation (RFC 7009), introspection (RFC 7662)
 * and metadata (RFC 8414).
 */
export function oauthRoutes(deps: { access: AccessService; publicUrl?: string | undefined }) {
  const { access } = deps
  const tokenSchema = {
    tags: ['OAuth2'],
    consumes: ['application/x-www-form-urlencoded'],
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions
  return async (app: FastifyInstance) => {
    // The store unreachable: RFC 6749's temporarily_unavailable (§4.1.2.1), with the status that
    // says so; any other failure goes on to the application's handler.
    app.setErrorHandler((error, _request, reply) => {
      if (!(error instanceof UnavailableError)) throw error
      return reply
        .code(503)
        .headers({ ...NO_STORE, 'Retry-After': RETRY_AFTER_SECONDS })
        .send({ error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable, try again in a few seconds' })
    })
    app.post(
      TOKEN_PATH,
      {
        schema: {
          ...tokenSchema,
          operationId: 'accessToken',
          summary: 'Obtenir un jeton d’accès (client credentials)',
          description:
            'Royaume `realm=/partenaire` en paramètre (ou `%2Fpartenaire`, `partenaire`, ou dans le corps). Identifiants dans le corps ou en HTTP Basic. Scopes séparés par des espaces ; les scopes accordés sont ceux demandés que l’application détient.',
          querystring: Type.Object({ realm: Type.Optional(Type.String()) }),
          body: Type.Object({
            grant_type: Type.Optional(Type.String({ description: 'client_credentials' })),
            client_id: Type.Optional(Type.String()),
            client_secret: Type.Optional(Type.String()),
            scope: Type.Optional(Type.String({ description: 'ex. api_offresdemploiv2 o2dsoffre' })),
            realm: Type.Optional(Type.String()),
          }),
          response: {
            200: Type.Object({
              scope: Type.String(),
              expires_in: Type.Integer(),
              token_type: Type.Literal('Bearer'),
              access_token: Type.String(),
            }),
            400: OAuthErrorSchema,
            401: OAuthErrorSchema,
          },
        },
        // The form is read as sent: lenient like the original (unknown fields ignored, repeated ones take the first).
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const form = formOf(request)
        let basic = false
        try {
          checkRealm(request, form)
          const credentials = clientCredentials(request, form)
          basic = credentials?.basic ?? false
          const grantType = field(form, 'grant_type')
          if (grantType === undefined) throw new OAuthError('invalid_request', 'Grant type is missing')
          if (grantType !== 'client_credentials') {
            throw new OAuthError('unsupported_grant_type', `Grant type is not supported: ${grantType}`)
          }
          if (!credentials) throw new OAuthError('invalid_client', 'Client authentication failed')
          const token = await access.issueToken(credentials.clientId, credentials.secret, field(form, 'scope'))
          return reply.headers(NO_STORE).send(token)
        } catch (error) {
          if (error instanceof OAuthError) return sendOAuthError(reply, error, basic)
          throw error
        }
      },
    )

    app.post(
      REVOCATION_PATH,
      {
        schema: {
          ...tokenSchema,
          operationId: 'revokeToken',
          summary: 'Révoquer un de ses jetons (RFC 7009)',
          body: Type.Object({ token: Type.Optional(Type.String()), token_type_hint: Type.Optional(Type.String()) }),
          response: { 200: Type.Object({}), 400: OAuthErrorSchema, 401: OAuthErrorSchema },
        },
        validatorCompiler: () => () => true,
      },
      (request, reply) =>
        forClientToken(access, request, reply, async (clientId, token) => {
          await access.revokeToken(clientId, token)
          return {}
        }),
    )

    app.post(
      INTROSPECTION_PATH,
      {
        schema: {
          ...tokenSchema,
          operationId: 'introspectToken',
          summary: 'Examiner un de ses jetons (RFC 7662)',
          body: Type.Object({ token: Type.Optional(Type.String()), token_type_hint: Type.Optional(Type.String()) }),
          response: {
            200: Type.Object({
              active: Type.Boolean(),
              scope: Type.Optional(Type.String()),
              client_id: Type.Optional(Type.String()),
              token_type: Type.Optional(Type.String()),
              exp: Type.Optional(Type.Integer()),
            }),
            400: OAuthErrorSchema,
            401: OAuthErrorSchema,
          },
        },
        validatorCompiler: () => () => true,
      },
      (request, reply) => forClientToken(access, request, reply, (clientId, token) => access.introspect(clientId, token)),
    )

    app.get(
      '/.well-known/oauth-authorization-server',
      { schema: { tags: ['OAuth2'], operationId: 'authorizationServerMetadata', summary: 'Métadonnées du serveur (RFC 8414)' } },
      (request) => {
        const issuer = deps.publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`
        return {
          issuer,
          token_endpoint: `${issuer}${TOKEN_PATH}`,
          revocation_endpoint: `${issuer}${REVOCATION_PATH}`,
          introspection_endpoint: `${issuer}${INTROSPECTION_PATH}`,
          grant_types_supported: ['client_credentials'],
          response_types_supported: [],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          revocation_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          introspection_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          scopes_supported: [...new Set(access.catalogue.apis.flatMap((api) => api.scopes))],
          service_documentation: `${issuer}/docs`,
        }
      },
    )
  }
}
