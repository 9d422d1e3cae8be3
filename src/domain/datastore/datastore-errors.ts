import { AppError, InvalidArgumentError } from '../../shared/errors.js'

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
