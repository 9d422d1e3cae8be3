import { STATUS_CODES, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../shared/errors.js'
import { JsonTooDeepError, MAX_JSON_DEPTH } from '../shared/json-depth.js'
import { useClientJsonParser } from './client-json.js'
import { echoRequestId } from './observability.js'
import { pathOf, surfaceOf } from './surfaces.js'
import { STATUS_BY_CODE } from './offres/offres-errors.js'
import { messagePage } from './portal/pages.js'
import { PAGE_HEADERS } from './portal/portal.routes.js'

/**
 * Bytes of an oversized body read and thrown away before the 413 is sent: the client, still
 * sending, then reads the answer instead of a connection reset. Beyond it, the answer is sent and
 * the connection closed (8 times the largest body limit: a mistaken upload, not a flood).
 */
export const MAX_DRAINED_BODY_BYTES = 8 * 1024 * 1024

/** Milliseconds a connection refused by the HTTP parser (431, 400) may stay open for the client to read the answer. */
const CLIENT_ERROR_LINGER_MS = 2000

/** A complete error answer, independent of Fastify: also written raw on a socket the HTTP parser refused. */
export interface ErrorResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

interface Failure {
  readonly status: number
  /** The request path, query string included or not: only its path is ever used. */
  readonly url: string
  readonly error?: unknown
  /** Base URL of CKAN's `help` links. */
  readonly base: string
}

type Kind = 'json-depth' | 'json' | 'bad-url' | 'caller' | undefined

function kindOf(error: unknown): Kind {
  if (error instanceof JsonTooDeepError) return 'json-depth'
  if (error instanceof AppError) return 'caller'
  const code = (error as { code?: unknown } | undefined)?.code
  if (code === 'FST_ERR_BAD_URL') return 'bad-url'
  if (error instanceof SyntaxError || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'json'
  return undefined
}

const FRENCH: Readonly<Record<number, string>> = {
  400: 'Requête incorrecte.',
  404: 'Ressource introuvable.',
  405: 'Méthode non autorisée.',
  408: 'Délai de la requête dépassé.',
  413: 'Corps de requête trop volumineux.',
  414: 'URL de la requête trop longue.',
  415: 'Type de contenu non pris en charge.',
  431: 'URL ou en-têtes de la requête trop volumineux.',
  500: 'Erreur technique. Veuillez contacter le support.',
  503: 'Service indisponible',
}

const ENGLISH: Readonly<Record<number, string>> = {
  404: 'No such resource',
  413: 'Request body is too large',
  415: 'Unsupported media type',
  431: 'Request URL or header fields are too large',
}

/** The message of a failure; never the URL, the body or a header, which may carry secrets. */
function message(failure: Failure, french: boolean): string {
  const { status, error } = failure
  const kind = status < 500 ? kindOf(error) : undefined
  if (kind === 'caller') return (error as AppError).message
  if (french) {
    if (kind === 'json-depth') return `Corps de requête incorrect : JSON imbriqué sur plus de ${MAX_JSON_DEPTH} niveaux.`
    if (kind === 'json') return 'Corps de requête incorrect : JSON attendu.'
    if (kind === 'bad-url') return 'URL de la requête incorrecte.'
    return FRENCH[status] ?? (status < 500 ? 'Requête incorrecte.' : FRENCH[500] ?? '')
  }
  if (kind === 'json-depth') return (error as JsonTooDeepError).message
  if (kind === 'json') return 'Request body is not valid JSON'
  if (kind === 'bad-url') return 'Malformed URL'
  return ENGLISH[status] ?? STATUS_CODES[status] ?? 'Error'
}

/** The French message (Offres and deposit APIs) of a refusal by the framework: `status` and the error Fastify gave. */
export function frenchMessage(status: number, error: unknown): string {
  return message({ status, url: '', error, base: '' }, true)
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

function json(status: number, body: unknown, type = 'application/json;charset=UTF-8', headers: Record<string, string> = {}): ErrorResponse {
  return { status, headers: { 'Content-Type': type, ...NO_STORE, ...headers }, body: JSON.stringify(body) }
}

/** CKAN's action name in a path, for the `help` link; CKAN's handler uses datastore_search when there is none. */
function ckanAction(url: string): string {
  const last = pathOf(url).split('/').filter((part) => part !== '').at(-1) ?? ''
  return /^[a-z_]{1,64}$/.test(last) ? last : 'datastore_search'
}

function ckan(failure: Failure): ErrorResponse {
  const { status } = failure
  const type = 'application/json;charset=utf-8'
  const text = message(failure, false)
  // CKAN answers a request it cannot read with a bare JSON string (contract: "Bad request: JSON Error: …").
  if (status === 400) return json(400, `Bad request: ${kindOf(failure.error)?.startsWith('json') ? `JSON Error: ${text}` : text}`, type)
  const error =
    status === 404
      ? { __type: 'Not Found Error', message: `Not found: ${text}` }
      : status === 503
        ? { __type: 'Service Unavailable', message: 'Service Unavailable' }
        : status >= 500
          ? { __type: 'Internal Server Error', message: 'Internal Server Error' }
        : { __type: STATUS_CODES[status] ?? 'Error', message: text }
  const help = `${failure.base}/api/3/action/help_show?name=${ckanAction(failure.url)}`
  return json(status, { help, success: false, error }, type)
}

function oauth(failure: Failure): ErrorResponse {
  const { status } = failure
  const error = status === 503 ? 'temporarily_unavailable' : status >= 500 ? 'server_error' : 'invalid_request'
  return json(status, { error, error_description: message(failure, false) })
}

function problem(failure: Failure): ErrorResponse {
  const { status } = failure
  const body = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail: message(failure, false) }
  return json(status, body, 'application/problem+json', {})
}

function portalPage(failure: Failure): ErrorResponse {
  const { status } = failure
  const viewer = { base: '/portail', path: pathOf(failure.url), account: undefined, csrf: '' }
  const [title, text] =
    status === 404
      ? ['Page introuvable', 'La page demandée n’existe pas ou n’est pas accessible.']
      : status >= 500
        ? ['Erreur du service', 'Une erreur inattendue est survenue. Réessayez dans quelques instants.']
        : status === 413 || status === 431
          ? ['Requête trop volumineuse', 'La requête dépasse la taille acceptée par le service.']
          : ['Requête invalide', 'La requête n’a pas pu être traitée.']
  return { status, headers: { ...PAGE_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }, body: messagePage(viewer, { title, text, error: true }) }
}

/** The answer to a failure outside any route's own handling (404, 413, 431, FST_ERR_*), in the format of the surface of `url`. */
export function errorResponse(failure: Failure): ErrorResponse {
  switch (surfaceOf(failure.url)) {
    case 'offres':
    case 'depot':
      return json(failure.status, { message: message(failure, true), codeHttp: failure.status, codeErreur: String(Date.now()) })
    case 'infotravail':
      return ckan(failure)
    case 'oauth':
      return oauth(failure)
    case 'portal':
      return portalPage(failure)
    case 'admin':
    case 'service':
      return problem(failure)
  }
}

function statusOf(error: FastifyError | AppError): number {
  if (error instanceof AppError) return STATUS_BY_CODE[error.code]
  const status = error.statusCode
  return status !== undefined && status >= 400 && status < 600 ? status : 500
}

/**
 * Reads and throws away what is left of a request body, up to {@link MAX_DRAINED_BODY_BYTES};
 * beyond, the answer closes the connection.
 */
function drainBody(message: IncomingMessage, reply: FastifyReply): Promise<void> {
  if (message.complete || message.readableEnded || message.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    let received = 0
    const finish = () => {
      message.off('data', onData)
      message.off('end', finish)
      message.off('error', finish)
      message.off('close', finish)
      resolve()
    }
    const onData = (chunk: Buffer | string) => {
      received += chunk.length
      if (received > MAX_DRAINED_BODY_BYTES) {
        message.pause()
        reply.header('Connection', 'close')
        finish()
      }
    }
    message.on('data', onData)
    message.once('end', finish)
    message.once('error', finish)
    message.once('close', finish)
    message.resume()
  })
}

interface FrameworkErrorOptions {
  /** Base URL of CKAN's `help` links; else the request's own. */
  readonly publicUrl?: string | undefined
}

function sendFailure(options: FrameworkErrorOptions, request: FastifyRequest, reply: FastifyReply, status: number, error?: unknown): FastifyReply {
  const base = options.publicUrl?.replace(/\/+$/, '') ?? `${request.protocol}://${request.host}`
  const response = errorResponse({ status, url: request.url, error, base })
  return reply.code(response.status).headers(response.headers).send(response.body)
}

/**
 * Framework-level failures answered in each API's own format, chosen by the request's path
 * prefix: unknown routes (404), bodies over the limit (413, after draining the body), malformed
 * JSON or JSON nested too deep, unsupported media types and any error no surface handles
 * itself. Call it on the root instance before registering any route.
 */
export function handleFrameworkErrors(app: FastifyInstance, options: FrameworkErrorOptions): void {
  useClientJsonParser(app)
  app.addHook('onError', async (request, reply, error) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') await drainBody(request.raw, reply)
  })
  // Requests that reach a stopping server (on a keep-alive connection) are refused here rather
  // than by Fastify's return503OnClosing, whose body is its own.
  let closing = false
  app.addHook('preClose', (done) => {
    closing = true
    done()
  })
  app.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done()
    sendFailure(options, request, reply.header('Retry-After', '5').header('Connection', 'close'), 503)
  })
  app.setNotFoundHandler((request, reply) => sendFailure(options, request, reply, 404))
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const status = statusOf(error)
    if (status >= 500) request.log.error({ err: error }, 'unexpected error')
    return sendFailure(options, request, reply, status, error)
  })
}

/**
 * Options of the Fastify server for what fails before routing: the router's refusals (bad URL
 * encoding, a path parameter too long), the HTTP parser's (see {@link clientErrorHandler}), and
 * requests arriving while the server stops (answered by {@link handleFrameworkErrors}).
 */
export function frameworkOptions(options: FrameworkErrorOptions) {
  return {
    // Answered before any hook runs: the request id is set here, as the hooks set it on the others.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      echoRequestId(request, reply)
      return sendFailure(options, request, reply, statusOf(error), error)
    },
    return503OnClosing: false,
    clientErrorHandler: clientErrorHandler(options),
  }
}

/** Path and host of the request that begins a packet, when the packet holds its request line. */
function requestLineOf(packet: unknown): { url: string; host: string | undefined } | undefined {
  if (!Buffer.isBuffer(packet)) return undefined
  const head = packet.toString('latin1', 0, Math.min(packet.length, 64 * 1024))
  const line = /^[A-Z]{3,10} (\/[^ \r\n]*)/.exec(head)
  if (!line?.[1]) return undefined
  const host = /\r\nhost:[ \t]*([A-Za-z0-9.\-:[\]]{1,255})[ \t]*\r\n/i.exec(head)?.[1]
  return { url: line[1], host }
}

/**
 * The server's `clientErrorHandler`: answers what Node's HTTP parser refuses before any route runs
 * (URL or headers over the size limit: 431; a request it cannot parse: 400; too slow: 408) in
 * the format of the surface the request line names, written raw on the socket. The answer ends
 * the connection, which lingers a little so that the client reads it rather than a reset.
 */
function clientErrorHandler(options: FrameworkErrorOptions) {
  const answered = new WeakSet<Socket>()
  return function handleClientError(this: FastifyInstance | undefined, error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return
    answered.add(socket)
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
    // Never the packet itself in the log: it holds the URL and headers, secrets included.
    this?.log.debug({ code: error.code, status }, 'client error')
    const request = requestLineOf(error.rawPacket)
    const base = options.publicUrl?.replace(/\/+$/, '') ?? (request?.host ? `http://${request.host}` : '')
    const response = errorResponse({ status, url: request?.url ?? '/', base })
    const body = Buffer.from(response.body)
    const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, 'Connection: close', `Content-Length: ${body.length}`]
    for (const [name, value] of Object.entries(response.headers)) head.push(`${name}: ${value}`)
    if (!socket.writable) {
      socket.destroy()
      return
    }
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]))
    const timer = setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
  }
}
