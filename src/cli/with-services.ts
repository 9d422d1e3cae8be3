import { loadStoreConfig } from '../config/load-config.js'
import type { Services } from '../compose.js'

/**
 * Runs a command's work with the services of the settings, logging to standard error so that
 * standard output stays the command's, and closes them whatever happens.
 */
export async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadStoreConfig()
  // Loaded on use so that `--help` stays instant.
  const { compose } = await import('../compose.js')
  const { createLogger } = await import('./logger.js')
  const services = await compose(config, createLogger(config.LOG_LEVEL, 'stderr'))
  try {
    return await work(services)
  } finally {
    await services.close()
  }
}
