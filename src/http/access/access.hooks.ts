import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AccessService, TokenGrant } from '../../domain/access/access.service.js'
import { rateLimitHeaders, type RateLimiter } from '../../domain/access/rate-limiter.js'
import type { UsageRecorder } from '../../domain/usage/usage.js'
import { AppError } from '../../shared/errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API a route belongs to (catalogue id): its calls are limited and counted under it. */
    api?: string
    /** OAuth2 scopes the bearer token must all hold; a route without them is public. */
    scopes?: readonly string[]
  }
  interface FastifyRequest {
    /** The verified token of a protected route's caller. */
    grant?: TokenGrant
  }
}

export interface AccessHooksOptions {
  readonly access: AccessService
  readonly limiter: RateLimiter
  readonly usage: UsageRecorder
  /** Routes of these APIs are open without a token (e.g. Infotravail as open data). */
  readonly publicApis?: ReadonlySet<string>
}

const REALM = 'realm="/partenaire"'

/**
 * A token without the scopes of the route: thrown so that each API renders its 403 in its own
 * error shape (the Offres and deposit APIs' `{message, codeHttp, codeErreur}`, CKAN's envelope).
 */
export class MissingScopeError extends AppError {
  readonly code = 'FORBIDDEN'

  constructor(readonly scopes: readonly string[]) {
    super(
      scopes.length === 1
        ? `Accès refusé : le jeton n’a pas le scope ${scopes.join(' ')} requis.`
        : `Accès refusé : le jeton n’a pas les scopes ${scopes.join(' ')} requis.`,
    )
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header)
  return match?.[1] ?? ''
}

function unauthorized(reply: FastifyReply, challenge: string): FastifyReply {
  // Empty body, as the original (contract §7): clients only look at the status.
  return reply.code(401).header('WWW-Authenticate', challenge).header('Cache-Control', 'no-store').send()
}

/**
 * Protects every route that declares `config.scopes`, in one place: bearer token (RFC 6750: 401
 * with an empty body and a `WWW-Authenticate` challenge; 403 `insufficient_scope`), then the
 * client's rate limit on the route's API (429 text/plain with `Retry-After`; limit headers on
 * every response), then counting of the call once answered.
 */
export function accessHooks(app: FastifyInstance, options: AccessHooksOptions): void {
  const { access, limiter, usage } = options

  app.addHook('onRequest', async (request, reply) => {
    const { scopes, api } = request.routeOptions.config
    if (!scopes || (api !== undefined && options.publicApis?.has(api))) return
    const token = bearer(request)
    if (token === undefined) return unauthorized(reply, `Bearer ${REALM}`)
    const grant = token === '' ? undefined : await access.verify(token)
    if (!grant) {
      return unauthorized(
        reply,
        `Bearer ${REALM}, error="invalid_token", error_description="The access token is missing, expired, revoked or malformed"`,
      )
    }
    request.grant = grant
    const missing = scopes.filter((scope) => !grant.scopes.has(scope))
    if (missing.length > 0) {
      reply.header('WWW-Authenticate', `Bearer ${REALM}, error="insufficient_scope", scope="${scopes.join(' ')}"`)
      throw new MissingScopeError(missing)
    }
    const decision = await limiter.take(`${grant.clientId}:${api ?? ''}`, grant.ratePerSecond)
    reply.headers(rateLimitHeaders(decision))
    if (!decision.allowed) {
      return reply
        .code(429)
        .headers({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' })
        .send(`Too Many Requests: ${decision.limit} appels par seconde au plus pour cette application.`)
    }
    return undefined
  })

  app.addHook('onResponse', (request, reply, done) => {
    const { grant } = request
    const { api } = request.routeOptions.config
    if (grant && api !== undefined) {
      usage.record({ clientId: grant.clientId, api, route: request.routeOptions.url ?? request.url, status: reply.statusCode })
    }
    done()
  })
}
