import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { AppError, type ErrorCode } from '../../shared/errors.js'

/** One status per error code; a new code that is not mapped fails to compile. */
export const STATUS_BY_CODE = {
  INVALID_ARGUMENT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  TOO_MANY_ATTEMPTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>

const JSON_TYPE = 'application/json;charset=UTF-8'

/**
 * `Retry-After` of every 503 (index loading, store unreachable): both pass within seconds, and a
 * client that waits this long does not hammer a node that is recovering.
 */
export const RETRY_AFTER_SECONDS = '5'

/** Sends an already serialised JSON body with the original's headers (and any others given). */
export function sendJson(reply: FastifyReply, body: Buffer | string, headers: Record<string, string> = {}): FastifyReply {
  return reply
    .headers({ 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', Pragma: 'no-cache', ...headers })
    .send(body)
}

/** The original's error body: `{message, codeHttp, codeErreur}`, `codeErreur` an epoch-millis string. */
export function sendErreur(reply: FastifyReply, status: number, message: string): FastifyReply {
  return sendJson(reply.code(status), JSON.stringify({ message, codeHttp: status, codeErreur: String(Date.now()) }))
}

/** OpenAPI responses for error statuses of the Offres surface. */
export function erreurResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((status) => [status, { ...Type.Ref('Erreur'), description: status === 400 ? 'Paramètre incorrect.' : 'Erreur.' }]),
  )
}

const MESSAGE_BY_STATUS: Readonly<Record<number, string>> = {
  404: 'Ressource introuvable.',
  500: 'Erreur technique. Veuillez contacter le support.',
  503: 'Service indisponible',
}

/**
 * Renders every failure under the Offres prefix in the original's error format. Expected errors
 * keep their message; anything else is logged and answered with a generic 500.
 */
export function offresErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const status = STATUS_BY_CODE[error.code]
      if (status === 503) reply.header('Retry-After', RETRY_AFTER_SECONDS)
      return sendErreur(reply, status, status === 503 ? (MESSAGE_BY_STATUS[503] ?? error.message) : error.message)
    }
    const status = error.statusCode
    if (status !== undefined && status >= 400 && status < 500) {
      return sendErreur(reply, status, MESSAGE_BY_STATUS[status] ?? 'Requête incorrecte.')
    }
    request.log.error({ err: error }, 'unexpected error')
    return sendErreur(reply, 500, MESSAGE_BY_STATUS[500] ?? '')
  })
  app.setNotFoundHandler((_request, reply) => sendErreur(reply, 404, MESSAGE_BY_STATUS[404] ?? ''))
}
