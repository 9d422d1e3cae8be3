import { UnavailableError } from './errors.js'

export interface RetryOptions {
  /** Told of each failure that will be tried again, with the wait before the next try. */
  readonly onRetry?: (error: UnavailableError, delayMs: number) => void
  /** Wait after the first failure; doubled after each one, up to `maxDelayMs`. */
  readonly firstDelayMs?: number
  readonly maxDelayMs?: number
}

/**
 * Runs `work` again, after a growing wait, for as long as it fails with UnavailableError (the
 * store cannot be reached: it will be again); any other failure ends it. For background work that
 * must complete by itself once the store answers, such as loading a dataset or the index. `work`
 * must be safe to run again from its start.
 */
export async function retryWhileUnavailable<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  let delayMs = options.firstDelayMs ?? 250
  for (;;) {
    try {
      return await work()
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error
      options.onRetry?.(error, delayMs)
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 2000)
    }
  }
}
