import type { FastifyBaseLogger, FastifyRequest } from 'fastify'

/** What replaces a secret in a log line. */
export const REDACTED = '[Redacted]'

/**
 * Names of query-string parameters and log fields whose values are secrets: client secrets,
 * access, refresh and admin tokens, passwords, session and anti-forgery values, API keys.
 */
const SECRET_NAME = /secret|token|passw|mot_?de_?passe|api_?key|authori[sz]ation|cookie|session|csrf/i

const SECRET_FIELDS = ['client_secret', 'access_token', 'refresh_token', 'token', 'password', 'secret', 'authorization', 'cookie']

const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie']

/** Paths pino censors in every log line: headers that authenticate (of a request, a response or any object), secret fields. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
]

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}

/** A URL with the value of every secret query-string parameter (by its decoded name) replaced by {@link REDACTED}. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?')
  if (start < 0) return url
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=')
      const name = equals < 0 ? pair : pair.slice(0, equals)
      return SECRET_NAME.test(decodedName(name)) ? `${name}=${REDACTED}` : pair
    })
  return `${url.slice(0, start + 1)}${pairs.join('&')}`
}

/** Fastify's request serializer, with the query string's secrets redacted; never throws, whatever it is given. */
function serializeRequest(request: Partial<FastifyRequest>) {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

/** Pino options of the HTTP logger: secrets of URLs, headers and fields never reach a log line. */
export const LOG_REDACTION = {
  redact: { paths: [...REDACT_PATHS], censor: REDACTED },
  serializers: { req: serializeRequest },
}

/** A child of the process's logger that redacts secrets, for the HTTP server. */
export function redactingLogger(logger: FastifyBaseLogger): FastifyBaseLogger {
  return logger.child({}, LOG_REDACTION)
}
