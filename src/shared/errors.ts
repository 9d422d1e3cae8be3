/** Stable error codes; each API surface renders them in its own wire format. */
export type ErrorCode = 'INVALID_ARGUMENT' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'GONE' | 'TOO_MANY_ATTEMPTS' | 'UNAVAILABLE' | 'INTERNAL'

/** Base of every expected failure; carries no HTTP knowledge. */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode

  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A caller's input is wrong; the message is meant for the caller, in the surface's language. */
export class InvalidArgumentError extends AppError {
  readonly code = 'INVALID_ARGUMENT'
}

/** The thing asked for does not exist (or is no longer served). */
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND'
}

/** The request contradicts what exists (an e-mail already registered, a revoked application). */
export class ConflictError extends AppError {
  readonly code = 'CONFLICT'
}

/** What was asked for existed and is gone for good (a feed cursor older than what is kept). */
export class GoneError extends AppError {
  readonly code = 'GONE'
}

/** Too many failed attempts (sign-in): refused for a while, whatever the input. */
export class TooManyAttemptsError extends AppError {
  readonly code = 'TOO_MANY_ATTEMPTS'

  /** @param retryAfterSeconds when an attempt may be made again (whole seconds, at least 1). */
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message)
  }
}

/** The service cannot answer yet (index still loading) or any more (shutting down). */
export class UnavailableError extends AppError {
  readonly code = 'UNAVAILABLE'
}

/** Settings are invalid; lists every problem so that one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}
