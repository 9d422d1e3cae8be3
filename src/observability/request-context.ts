import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import { symbols, type Logger } from 'pino'

/** What the code running for a request can know of it without being handed the request. */
export interface RequestContext {
  readonly requestId: string
}

const storage = new AsyncLocalStorage<RequestContext>()

/** Runs `work` (and everything it starts) as part of the request `context`. */
export function runInRequest<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work)
}

/**
 * Runs `work` outside any request. For handlers of background events on resources that a request
 * happened to create (a pooled connection opened during a request reports its later failures in
 * that request's context): their log lines must not name a request long answered.
 */
export function outsideRequest<T>(work: () => T): T {
  return storage.exit(work)
}

/** The request the current code runs for, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore()
}

/**
 * A client's id is kept when it is a plain token: log lines, answers and a proxy's logs may then
 * be joined on it. Anything longer, or with characters that could forge log fields or headers, is
 * replaced.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:~+/=@-]{1,128}$/

/**
 * The id of a request: the client's `X-Request-Id` when it is sane (see above), else a new UUID.
 *
 * @param given the header's value as Node gives it (repeated headers are joined with ", ", which
 *   the rule refuses).
 */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID()
}

/** pino's label of the request id, as Fastify binds it in its request loggers. */
const REQUEST_ID_KEY = 'reqId'

/**
 * pino `mixin` of the process's logger: a line written during a request through a logger that
 * does not carry the request id yet (the process's logger, handed to services at start) gets it.
 * Fastify's request loggers carry it as a binding already; adding it again would write the key
 * twice.
 */
export function requestIdMixin(_merge: object, _level: number, logger: Logger): Record<string, string> {
  const context = storage.getStore()
  if (context === undefined) return {}
  const bindings = (logger as unknown as Record<symbol, string | undefined>)[symbols.chindingsSym] ?? ''
  return bindings.includes(`"${REQUEST_ID_KEY}":`) ? {} : { [REQUEST_ID_KEY]: context.requestId }
}
