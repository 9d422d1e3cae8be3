import type { FastifyBodyParser, FastifyInstance } from 'fastify'
import { JsonTooDeepError, MAX_JSON_DEPTH, jsonDepthExceeds } from '../shared/json-depth.js'

/**
 * Fastify's own JSON body parser (prototype poisoning refused, empty body refused) behind a
 * depth check: JSON nested deeper than {@link MAX_JSON_DEPTH} is refused with a 400 before it
 * is parsed, as nothing after the parse is built for it.
 */
export function clientJsonParser(app: FastifyInstance): FastifyBodyParser<string> {
  const parse = app.getDefaultJsonParser('error', 'error')
  return (request, body, done) => {
    if (jsonDepthExceeds(body)) {
      done(new JsonTooDeepError(MAX_JSON_DEPTH), undefined)
      return
    }
    return parse(request, body, done)
  }
}

/** Replaces the application/json parser of `app` (and of every plugin registered after) by {@link clientJsonParser}. */
export function useClientJsonParser(app: FastifyInstance): void {
  const parser = clientJsonParser(app)
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parser)
}
