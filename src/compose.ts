import { join, resolve } from 'node:path'
import type { Logger } from 'pino'
import type { Config } from './config/config.schema.js'
import type { AccessDependencies, LiveDependencies } from './http/build-app.js'
import type { AccessEvents } from './domain/access/access.repository.js'
import { AccessService } from './domain/access/access.service.js'
import { MemoryRateLimiter, type RateLimiter } from './domain/access/rate-limiter.js'
import { UsageRecorder } from './domain/usage/usage.js'
import { OffresService } from './domain/offers/offres.service.js'
import { OfferExpiry } from './domain/offers/job-posting.service.js'
import type { Referentials } from './domain/referentials/referentials.js'
import { OfferImportService } from './ingest/offer-import.service.js'
import { FileBodyStore } from './search/body-store.js'
import { loadIndex, refreshSearchDocs, type LoadReport } from './search/index-loader.js'
import { OfferIndex } from './search/offer-index.js'
import { SearchLexicon } from './search/search-lexicon.js'
import { loadRomeVocabulary } from './storage/rome-vocabulary.js'
import { openDatabase, type Database } from './storage/database.js'
import { loadReferentials } from './storage/reference-data.js'
import { OFFER_CHANGES_CHANNEL, SqlOffersRepository } from './storage/sql-offers.repository.js'
import { PgListener } from './storage/pg-listener.js'
import { ChangeFollower } from './search/change-follower.js'
import { DepositService } from './domain/deposit/deposit.service.js'
import { OfferFeed } from './domain/offers/offer-feed.js'
import { offerRecord } from './ingest/offer-record.js'
import { LocalAccessEvents, PgAccessEvents } from './storage/access-events.js'
import { loadApiCatalogue } from './storage/api-catalogue.js'
import { RedisRateLimiter } from './storage/redis-rate-limiter.js'
import { RedisAttemptCounter } from './storage/redis-attempt-counter.js'
import { SqlAttemptCounter } from './storage/sql-attempt-counter.js'
import type { AttemptCounter } from './domain/access/sign-in-throttle.js'
import { SqlAccessRepository } from './storage/sql-access.repository.js'
import { SqlUsageRepository } from './storage/sql-usage.repository.js'
import { InfotravailService } from './domain/datastore/infotravail.service.js'
import { selectPackages } from './datasets/packages/index.js'
import type { ResourceDefinition } from './datasets/definition.js'
import { SqlDatastore, engineVersion } from './storage/datastore/sql-datastore.js'
import { PrebuiltRows } from './storage/datastore/prebuilt.js'
import { openUserSql } from './storage/datastore/open-user-sql.js'
import { SqlGate } from './domain/datastore/sql-gate.js'
import { DATA_DIR } from './shared/data-dir.js'
import { DatasetLoadProgress, type DatasetProgress } from './domain/datastore/load-progress.js'
import { outsideRequest } from './observability/request-context.js'
import { retryWhileUnavailable } from './shared/retry.js'

/** Every service of the process, built once from the settings. */
export interface Services {
  readonly config: Config
  readonly database: Database
  readonly referentials: Referentials
  readonly offersRepository: SqlOffersRepository
  readonly importer: OfferImportService
  readonly offres: OffresService
  /** When active offers expire (OFFER_TTL_DAYS after their source last sent them). */
  readonly offerExpiry: OfferExpiry
  readonly access: AccessService
  readonly limiter: RateLimiter
  readonly usage: SqlUsageRepository
  readonly recorder: UsageRecorder
  /** What the HTTP application needs of access under contract. */
  readonly accessDependencies: AccessDependencies
  /** What the HTTP application needs for deposits and the feed. */
  readonly liveDependencies: LiveDependencies
  readonly datastore: SqlDatastore
  readonly infotravail: InfotravailService
  /**
   * Loads the shipped datasets (DATASETS) that are missing or changed, each served as soon as it
   * is loaded, then builds the tables' indexes; returns the resources loaded.
   */
  syncDatasets(listener?: DatasetsListener): Promise<string[]>
  /** Builds the search index from the store and starts serving it. */
  loadIndex(onProgress?: (loaded: number) => void): Promise<LoadReport>
  /** Rewrites the stored search documents that are missing or stale; returns how many. */
  refreshSearchDocs(): Promise<number>
  /** Plain figures of the services' state, read by the operator's metrics and readiness. */
  readonly status: NodeStatus
  close(): Promise<void>
}

/** What `syncDatasets` tells its caller (the log of `serve`, the output of `datasets load`). */
export interface DatasetsListener {
  /** A resource is served in its new version. */
  loaded?(resource: ResourceDefinition, rows: number | undefined): void
  /** Every declared resource is served. */
  served?(): void
  /** Every table has its indexes. */
  indexed?(): void
}

/** What the services tell of their state, as plain numbers. */
export interface NodeStatus {
  /** The loaded index's change follower: last change applied, and since when (ms) the index holds every change. */
  follower(): { readonly seq: number; readonly upToDateAt: number | undefined } | undefined
  /** The dataset sync of this start (`syncDatasets`). */
  datasets(): DatasetProgress
}

const HOUR = 3_600_000
/** How often a node looks at the change log without being told (a lost notification costs at most this). */
const POLL_MS = 1000
const EXPIRY_MS = 60_000

/** What a test suite may give a node beyond its settings. */
export interface ComposeOptions {
  /** A new embedded store starts from this dumped, migrated store (DatabaseOptions.template). */
  readonly storeTemplate?: ArrayBuffer | undefined
}

/**
 * The composition root: the only place that knows every concrete class. Background failures
 * (Redis, the invalidation channel, call-count flushes) are logged, never thrown.
 */
export async function compose(config: Config, log: Pick<Logger, 'error' | 'warn'>, options: ComposeOptions = {}): Promise<Services> {
  const referentials = loadReferentials()
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    template: options.storeTemplate,
    onIdleError: (error) => outsideRequest(() => log.warn({ err: error }, 'a pooled PostgreSQL connection was closed by the server')),
  })
  const offersRepository = new SqlOffersRepository(database.db, database.streamRows)
  // The reference words and names of keyword correction and suggestions: built once, when the
  // loaded index is first served (a few seconds), before the node answers searches.
  const offres = new OffresService({ lexicon: () => new SearchLexicon(referentials, loadRomeVocabulary()), prepareLexicon: true })
  const bodyStores: FileBodyStore[] = []
  let events: AccessEvents
  try {
    events = config.DATABASE_URL
      ? await PgAccessEvents.open(config.DATABASE_URL, (error) => log.warn({ err: error }, 'access invalidation channel'))
      : new LocalAccessEvents()
  } catch (error) {
    await database.close()
    throw error
  }
  // Sign-in attempts are counted where every node sees them: Redis when there is one, else the store.
  const storedAttempts = new SqlAttemptCounter(database.db)
  const signInAttempts: AttemptCounter = config.REDIS_URL
    ? new RedisAttemptCounter(config.REDIS_URL, {
        timeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
        fallback: storedAttempts,
        onError: (error) => log.error({ err: error }, 'Redis sign-in counters failing: counted in the store meanwhile'),
      })
    : storedAttempts
  const access = new AccessService({
    repository: new SqlAccessRepository(database.db),
    events,
    catalogue: loadApiCatalogue(),
    tokenTtlSeconds: config.TOKEN_TTL_SECONDS,
    defaultRatePerSecond: config.RATE_LIMIT_PER_SECOND,
    signInAttempts,
  })
  const limiter: RateLimiter = config.REDIS_URL
    ? new RedisRateLimiter(config.REDIS_URL, {
        onError: (error) => log.error({ err: error }, 'Redis rate limiter failing: limits are applied per process meanwhile'),
        timeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
      })
    : new MemoryRateLimiter()
  const usage = new SqlUsageRepository(database.db)
  const recorder = new UsageRecorder(usage, { onError: (error) => log.error({ err: error }, 'call counts not flushed yet') })
  recorder.start()
  const purge = setInterval(() => {
    access.purgeExpiredTokens().catch((error: unknown) => log.warn({ err: error }, 'expired tokens not purged'))
    access.purgeExpiredSessions().catch((error: unknown) => log.warn({ err: error }, 'expired portal sessions not purged'))
    offersRepository
      .pruneChanges(new Date(Date.now() - config.FEED_RETENTION_DAYS * 24 * HOUR))
      .catch((error: unknown) => log.warn({ err: error }, 'change log not pruned'))
  }, HOUR)
  purge.unref()

  // Real time: the change follower of this node's index exists once the index is loaded.
  let follower: ChangeFollower | undefined
  const changeListeners = new Set<(seq: number) => void>()
  const catchUp = () => follower?.poke() ?? Promise.resolve()
  const changes = config.DATABASE_URL
    ? await PgListener.open(config.DATABASE_URL, [OFFER_CHANGES_CHANNEL], {
        // This node's own writes are applied by the write path before it answers (then the log
        // is read only if something else was written meanwhile); the periodic poll is the backstop.
        onNotification: (_channel, payload) => {
          if (payload !== offersRepository.writerId) void catchUp()
        },
        onLost: () => undefined,
        onBack: () => void catchUp(),
        onError: (error) => log.warn({ err: error }, 'change notifications interrupted: polling meanwhile'),
      })
    : undefined
  const deposits = new DepositService({
    log: offersRepository,
    referentials,
    recordOf: (offer, options) => offerRecord(offer, referentials, { ...options, source: 'deposit' }),
    onWritten: (written) => follower?.applyWritten(written) ?? Promise.resolve(),
  })
  const expireOffers = async () => {
    const before = new Date(Date.now() - config.OFFER_TTL_DAYS * 24 * HOUR)
    let total = 0
    for (;;) {
      const expired = await offersRepository.expireNotUpdatedSince(before, 1000)
      total += expired
      if (expired < 1000) break
    }
    if (total > 0) await catchUp()
    return total
  }
  const packages = selectPackages(config.DATASETS)
  const progress = new DatasetLoadProgress(packages.map((pkg) => ({ id: pkg.id, name: pkg.name, resources: pkg.resources.map((resource) => ({ id: resource.id, name: resource.name })) })))
  const userSql = openUserSql(database, config.DATABASE_URL, (error) => log.warn({ err: error }, 'a users’ SQL connection was closed by the server'))
  const datastore = new SqlDatastore(database, userSql, {
    onRetry: (dataset, error, delayMs) => log.warn({ err: error, dataset, delayMs }, 'dataset load cut by the store: loading it again'),
    // The embedded store copies the rows `npm run build` prebuilt for it, where they are current.
    ...(database.kind === 'pglite' ? { prebuilt: new PrebuiltRows(() => engineVersion(database)) } : {}),
  })
  const infotravail = new InfotravailService(datastore, {
    sqlTimeoutMs: config.DATASTORE_SQL_TIMEOUT_MS,
    sqlMaxBytes: config.DATASTORE_SQL_MAX_BYTES,
    sqlGate: new SqlGate({ concurrency: userSql.concurrency, queueLength: 2 * userSql.concurrency, retryAfterSeconds: 1 }),
    progress,
  })
  const poll = setInterval(() => void catchUp(), POLL_MS)
  poll.unref()
  const expiry = setInterval(() => {
    expireOffers().catch((error: unknown) => log.warn({ err: error }, 'offers not expired'))
  }, EXPIRY_MS)
  expiry.unref()
  return {
    config,
    database,
    referentials,
    offersRepository,
    access,
    limiter,
    usage,
    recorder,
    accessDependencies: {
      service: access,
      limiter,
      recorder,
      usage,
      defaultRatePerSecond: config.RATE_LIMIT_PER_SECOND,
      adminToken: config.ADMIN_TOKEN,
      publicUrl: config.PUBLIC_URL,
      ...(config.INFOTRAVAIL_PUBLIC ? { publicApis: new Set(['infotravailv1']) } : {}),
    },
    datastore,
    infotravail,
    async syncDatasets(listener = {}) {
      try {
        return await datastore.syncShipped(packages, DATA_DIR, {
          planned: (plan) => progress.planned(plan),
          started: (resource) => progress.started(resource.id),
          copied: (rows) => progress.copied(rows),
          loaded: (resource, rows) => {
            progress.loaded(resource.id, rows)
            // Served at once: the catalogue is read again on the next request.
            infotravail.invalidate()
            listener.loaded?.(resource, rows)
          },
          served: () => {
            progress.ready()
            infotravail.invalidate()
            listener.served?.()
          },
          indexed: () => {
            progress.indexesBuilt()
            listener.indexed?.()
          },
        })
      } catch (error) {
        progress.failed()
        throw error
      }
    },
    importer: new OfferImportService({ offers: offersRepository, referentials }),
    offres,
    offerExpiry: new OfferExpiry(offersRepository, config.OFFER_TTL_DAYS),
    liveDependencies: {
      deposits,
      feed: new OfferFeed(offersRepository),
      subscribe: (listener) => {
        changeListeners.add(listener)
        return () => changeListeners.delete(listener)
      },
    },
    async loadIndex(onProgress) {
      // A load the store cuts (restart, failover) starts again, into a new index, once it answers.
      const { index, start, report } = await retryWhileUnavailable(
        async () => {
          const bodies = new FileBodyStore(join(resolve(config.DATA_DIR), 'cache'))
          try {
            const fresh = new OfferIndex(referentials, bodies)
            // The log's position is read before the scan: changes committed during it are applied again, harmlessly.
            const seq = await offersRepository.lastSeq()
            const loaded = await loadIndex(fresh, offersRepository, referentials, onProgress)
            bodyStores.push(bodies)
            return { index: fresh, start: seq, report: loaded }
          } catch (error) {
            bodies.close()
            throw error
          }
        },
        { onRetry: (error, delayMs) => log.warn({ err: error, delayMs }, 'index load cut by the store: loading it again') },
      )
      follower = new ChangeFollower(index, offersRepository, referentials, start, (error) =>
        log.error({ err: error }, 'change log not applied yet'),
      )
      follower.subscribe((seq) => {
        for (const listener of changeListeners) listener(seq)
      })
      await follower.poke()
      offres.serve(index)
      return report
    },
    // Cut by the store, it starts again (the documents written so far are no longer stale).
    refreshSearchDocs: () =>
      retryWhileUnavailable(() => refreshSearchDocs(offersRepository, referentials), {
        onRetry: (error, delayMs) => log.warn({ err: error, delayMs }, 'search documents refresh cut by the store: starting it again'),
      }),
    status: {
      follower: () => follower && { seq: follower.seq, upToDateAt: follower.upToDateAt },
      datasets: () => progress.snapshot(),
    },
    async close() {
      clearInterval(purge)
      clearInterval(poll)
      clearInterval(expiry)
      await changes?.close()
      await recorder.close()
      await limiter.close()
      await signInAttempts.close()
      await events.close()
      await userSql.close()
      await database.close()
      for (const bodies of bodyStores) bodies.close()
    },
  }
}
