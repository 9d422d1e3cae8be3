import { AppError, InvalidArgumentError, UnavailableError, type ErrorCode } from '../../shared/errors.js'

/**
 * CKAN's ValidationError: an error dict, field → messages (and sometimes `info`), rendered as
 * `{"__type": "Validation Error", …dict}` with status 409.
 */
export class DatastoreValidationError extends InvalidArgumentError {
  constructor(readonly dict: Readonly<Record<string, unknown>>) {
    super(Object.entries(dict)
      .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join('; ') : JSON.stringify(value)}`)
      .join(', '))
  }
}

/** CKAN's NotAuthorized: refused whoever asks (system tables, functions outside the allow-list). */
export class NotAuthorizedError extends AppError {
  readonly code = 'FORBIDDEN' as const
}

/** A validation error on one field with one message. */
export function invalid(field: string, message: string): DatastoreValidationError {
  return new DatastoreValidationError({ [field]: [message] })
}

/**
 * Users' SQL cannot run now: the caller's previous statement is still running (or still being
 * stopped), every slot and the queue are taken (429), or the executor is restarting (503). CKAN
 * has no such answer: it is rendered in CKAN's envelope with `Retry-After`.
 */
export class SqlBusyError extends AppError {
  readonly code: ErrorCode

  constructor(
    message: string,
    readonly status: 429 | 503,
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.code = status === 429 ? 'TOO_MANY_ATTEMPTS' : 'UNAVAILABLE'
  }
}

/**
 * A statement of users' SQL given up by the executor at its wall-time bound (SQLSTATE 57014, as
 * a statement timeout: answered "Query took too long"). `stopped` settles once the engine has
 * really stopped running it: until then the caller's slot stays taken.
 */
export class SqlAbandonedError extends Error {
  readonly code = '57014'

  constructor(readonly stopped: Promise<void>) {
    super('canceling statement due to statement timeout')
    this.name = 'SqlAbandonedError'
  }
}

/**
 * A package or resource that this node declares (DATASETS) and has not served yet: its first load
 * is under way (or failed). Not "not found": it will be there; a 503 with Retry-After says so.
 */
export class DatasetLoadingError extends UnavailableError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message)
  }
}
