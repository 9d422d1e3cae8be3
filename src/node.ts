import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { compose, type Services } from './compose.js'
import type { Config } from './config/config.schema.js'
import { buildApp } from './http/build-app.js'

/** One node of the service: its services and its HTTP application (not listening yet). */
export interface ServiceNode {
  readonly services: Services
  readonly app: FastifyInstance
  /** Stops the application (in-flight requests finish), then the services. */
  close(this: void): Promise<void>
}

/** Builds a node from its settings: what `openemploi serve` runs, and what benchmarks and tests start. */
export async function buildNode(config: Config, logger: Logger): Promise<ServiceNode> {
  const services = await compose(config, logger)
  const app = await buildApp({
    offres: services.offres,
    referentials: services.referentials,
    access: services.accessDependencies,
    live: services.liveDependencies,
    infotravail: { service: services.infotravail },
    trustProxy: config.TRUST_PROXY,
    logger,
  })
  return {
    services,
    app,
    async close() {
      await app.close()
      await services.close()
    },
  }
}
