import { pino, type Logger } from 'pino'

/** The process's JSON logger; commands other than `serve` log to standard error, keeping stdout for their output. */
export function createLogger(level: string, to: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino({ level }, pino.destination(to === 'stdout' ? 1 : 2))
}
