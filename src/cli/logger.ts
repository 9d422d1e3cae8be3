import { pino, type DestinationStream, type Logger } from 'pino'
import { requestIdMixin } from '../observability/request-context.js'

/**
 * The process's JSON logger; commands other than `serve` log to standard error, keeping stdout
 * for their output. Lines written through it while a request is served carry the request's id.
 */
export function createLogger(level: string, to: 'stdout' | 'stderr' | DestinationStream = 'stdout'): Logger {
  const destination = to === 'stdout' ? pino.destination(1) : to === 'stderr' ? pino.destination(2) : to
  return pino({ level, mixin: requestIdMixin }, destination)
}
