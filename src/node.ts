import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { compose, type ComposeOptions, type Services } from './compose.js'
import type { Config } from './config/config.schema.js'
import { buildApp } from './http/build-app.js'
import type { ObservabilityDependencies } from './http/observability.js'
import { Metrics } from './observability/metrics.js'
import { CachedProbe, Readiness } from './observability/readiness.js'
import { RATE_LIMITER_MODES } from './domain/access/rate-limiter.js'

/** One node of the service: its services and its HTTP application (not listening yet). */
export interface ServiceNode {
  readonly services: Services
  readonly app: FastifyInstance
  /** Stops the application (in-flight requests finish), then the services. */
  close(this: void): Promise<void>
}

/** Builds a node from its settings: what `openemploi serve` runs, and what benchmarks and tests start. */
export async function buildNode(config: Config, logger: Logger, options: ComposeOptions = {}): Promise<ServiceNode> {
  const services = await compose(config, logger, options)
  const app = await buildApp({
    offres: services.offres,
    offerExpiry: services.offerExpiry,
    referentials: services.referentials,
    access: services.accessDependencies,
    live: services.liveDependencies,
    infotravail: { service: services.infotravail },
    trustProxy: config.TRUST_PROXY,
    logHealthProbes: config.LOG_HEALTH_PROBES,
    logger,
    observability: observe(services, config),
    operator: {
      name: config.OPERATOR_NAME,
      address: config.OPERATOR_ADDRESS,
      contact: config.OPERATOR_CONTACT,
      publicationDirector: config.OPERATOR_PUBLICATION_DIRECTOR,
      host: config.OPERATOR_HOST,
    },
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

/**
 * The node's metrics and readiness, read from the services' plain figures: a new gauge is one
 * `metrics.gauge` call here.
 */
function observe(services: Services, config: Config): ObservabilityDependencies {
  const { offres, database, status } = services
  // The store's probe reads the change log's last number: proof that the store answers, and the
  // follower's distance to it. At most one query a second, however often probes and scrapes come.
  const latestChange = new CachedProbe(() => services.offersRepository.lastSeq(), { ttlMs: 1000, timeoutMs: 1000 })
  const readiness = new Readiness({
    index: () => ({ loaded: offres.isReady, offres: offres.size }),
    store: async () => (await latestChange.value()) !== undefined,
    datasets: () => status.datasets(),
    limiterMode: () => services.limiter.mode,
  })
  const metrics = new Metrics()
  metrics.gauge('openemploi_ready', '1 when the node is ready (GET /health/ready answers 200), else 0.', [], async (set) =>
    set((await readiness.report()).status === 'ready' ? 1 : 0),
  )
  metrics.gauge('openemploi_index_offers', 'Offers the index serves (0 while it loads).', [], (set) => set(offres.size))
  metrics.gauge('openemploi_change_follower_lag_changes', 'Changes of the log not applied to the index yet.', [], async (set) => {
    const follower = status.follower()
    const latest = await latestChange.value()
    if (follower && latest !== undefined) set(Math.max(0, latest - follower.seq))
  })
  metrics.gauge('openemploi_change_follower_lag_seconds', 'Seconds since the index last held every change of the log.', [], (set) => {
    const since = status.follower()?.upToDateAt
    if (since !== undefined) set(Math.max(0, (Date.now() - since) / 1000))
  })
  metrics.gauge('openemploi_store_connections', 'Store connections by pool, in use or idle.', ['pool', 'state'], (set) => {
    for (const pool of database.connections()) {
      set(pool.inUse, { pool: pool.pool, state: 'in_use' })
      set(pool.idle, { pool: pool.pool, state: 'idle' })
    }
  })
  metrics.gauge('openemploi_store_waiting', 'Queries waiting for a store connection, by pool.', ['pool'], (set) => {
    for (const pool of database.connections()) set(pool.waiting, { pool: pool.pool })
  })
  metrics.gauge('openemploi_datasets_resources', 'Infotravail resources checked current or loaded since the start, and those pending.', ['state'], (set) => {
    const datasets = status.datasets()
    set(datasets.loaded, { state: 'loaded' })
    set(datasets.total - datasets.loaded, { state: 'pending' })
  })
  metrics.gauge('openemploi_rate_limiter_mode', 'Where rate limits are decided: 1 for the current mode (shared: Redis; local: this node by setting; fallback: this node because Redis fails).', ['mode'], (set) => {
    for (const mode of RATE_LIMITER_MODES) set(services.limiter.mode === mode ? 1 : 0, { mode })
  })
  metrics.gauge('openemploi_rate_limiter_fallback_decisions', 'Rate-limit decisions taken by this node alone while Redis failed, since the start.', ['decision'], (set) => {
    const { allowed, refused } = services.limiter.fallbackDecisions
    set(allowed, { decision: 'allowed' })
    set(refused, { decision: 'refused' })
  })
  const sql = services.infotravail.sqlGate.stats
  metrics.gauge('openemploi_user_sql_statements', 'Users’ SQL statements (datastore_search_sql) now: running, queued, or given up at their time bound and still being stopped by the engine.', ['state'], (set) => {
    set(sql.running, { state: 'running' })
    set(sql.queued, { state: 'queued' })
    set(sql.stopping, { state: 'stopping' })
  })
  metrics.gauge('openemploi_user_sql_cancelled', 'Users’ SQL statements ended by their time bound since the start.', [], (set) => set(sql.cancelled))
  return { metrics, readiness, metricsToken: config.METRICS_TOKEN }
}
