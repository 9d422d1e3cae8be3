import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { AccessService } from '../../src/domain/access/access.service.js'
import { MemoryRateLimiter, type RateLimiter } from '../../src/domain/access/rate-limiter.js'
import { UsageRecorder } from '../../src/domain/usage/usage.js'
import { LocalAccessEvents } from '../../src/storage/access-events.js'
import { loadApiCatalogue } from '../../src/storage/api-catalogue.js'
import { SqlAccessRepository } from '../../src/storage/sql-access.repository.js'
import { SqlAttemptCounter } from '../../src/storage/sql-attempt-counter.js'
import { SqlUsageRepository } from '../../src/storage/sql-usage.repository.js'
import { DepositService } from '../../src/domain/deposit/deposit.service.js'
import { OfferFeed } from '../../src/domain/offers/offer-feed.js'
import { offerRecord } from '../../src/ingest/offer-record.js'
import { ChangeFollower } from '../../src/search/change-follower.js'
import { OffresService } from '../../src/domain/offers/offres.service.js'
import { SearchLexicon } from '../../src/search/search-lexicon.js'
import { loadRomeVocabulary } from '../../src/storage/rome-vocabulary.js'
import { OfferExpiry } from '../../src/domain/offers/job-posting.service.js'
import type { Referentials } from '../../src/domain/referentials/referentials.js'
import { buildApp } from '../../src/http/build-app.js'
import type { ObservabilityDependencies } from '../../src/http/observability.js'
import type { RawRecord } from '../../src/ingest/offer-file.js'
import { OfferImportService, type ImportReport } from '../../src/ingest/offer-import.service.js'
import { MemoryBodyStore } from '../../src/search/body-store.js'
import { loadIndex, type LoadReport } from '../../src/search/index-loader.js'
import { OfferIndex } from '../../src/search/offer-index.js'
import { openDatabase, type Database } from '../../src/storage/database.js'
import { createPostgresSchema, openMemoryDatabase } from './databases.js'
import { loadReferentials } from '../../src/storage/reference-data.js'
import { SqlOffersRepository } from '../../src/storage/sql-offers.repository.js'
import { openUserSql } from '../../src/storage/datastore/open-user-sql.js'
import { SqlGate } from '../../src/domain/datastore/sql-gate.js'
import { SqlDatastore } from '../../src/storage/datastore/sql-datastore.js'
import { InfotravailService } from '../../src/domain/datastore/infotravail.service.js'


let referentials: Referentials | undefined

/** OFFER_TTL_DAYS of the test application: the setting's default. */
export const OFFER_TTL_DAYS = 60

/** The referentials, loaded once per test file. */
export function testReferentials(): Referentials {
  referentials ??= loadReferentials()
  return referentials
}

let lexicon: SearchLexicon | undefined

/** The search lexicon of the shipped data, built once per test process (a few seconds), at its first use. */
export function testLexicon(): SearchLexicon {
  lexicon ??= new SearchLexicon(testReferentials(), loadRomeVocabulary())
  return lexicon
}

export interface TestApp {
  readonly app: FastifyInstance
  readonly database: Database
  readonly importer: OfferImportService
  readonly repository: SqlOffersRepository
  readonly offres: OffresService
  readonly referentials: Referentials
  readonly access: AccessService
  readonly recorder: UsageRecorder
  readonly usage: SqlUsageRepository
  /** Credentials and a valid token of a client holding every API, with a limit high enough never to be hit. */
  readonly client: { client_id: string; client_secret: string; token: string }
  readonly deposits: DepositService
  /** The Infotravail datastore (empty until a test loads packages into it). */
  readonly datastore: SqlDatastore
  readonly infotravail: InfotravailService
  /** Applies the change log to the index (what a notification or the poll does on a server). */
  catchUp(): Promise<void>
  /** `inject` with the test client's bearer token. */
  get(url: string, options?: Omit<InjectOptions, 'url'>): Promise<LightMyRequestResponse>
  /** Rebuilds the index from the store. */
  reload(): Promise<LoadReport>
  /** Imports records, then rebuilds the index from the store. */
  importAndReload(records: Iterable<RawRecord> | AsyncIterable<RawRecord>, appellations?: string[]): Promise<ImportReport>
  close(): Promise<void>
}

/** The real application over an in-memory embedded store, called through `inject`. */
export async function createTestApp(
  options: {
    now?: () => number
    limiter?: RateLimiter
    adminToken?: string
    logger?: FastifyBaseLogger
    tokenTtlSeconds?: number
    /** Infotravail readable without a token (INFOTRAVAIL_PUBLIC). */
    infotravailPublic?: boolean
    /**
     * The wall-time bound of users' SQL; a minute unless a test studies the bound: a loaded
     * machine may take seconds for a SELECT 1.
     */
    sqlTimeoutMs?: number
    /** Metrics and readiness (GET /metrics, GET /health/ready). */
    observability?: ObservabilityDependencies
    /** Byte bound of datastore_search_sql answers (DATASTORE_SQL_MAX_BYTES). */
    sqlMaxBytes?: number
    /** A PostgreSQL server to run on instead of the embedded store (a schema of its own, dropped at close). */
    databaseUrl?: string
  } = {},
): Promise<TestApp> {
  const refs = testReferentials()
  const schema = options.databaseUrl ? await createPostgresSchema(options.databaseUrl) : undefined
  const database = schema ? await openDatabase({ url: schema.url, dataDir: 'unused' }) : await openMemoryDatabase()
  const repository = new SqlOffersRepository(database.db, database.streamRows)
  const importer = new OfferImportService({ offers: repository, referentials: refs })
  const offres = new OffresService({ lexicon: testLexicon })
  const access = new AccessService({
    repository: new SqlAccessRepository(database.db),
    events: new LocalAccessEvents(),
    catalogue: loadApiCatalogue(),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 1499,
    defaultRatePerSecond: 10,
    signInAttempts: new SqlAttemptCounter(database.db, options.now),
    ...(options.now ? { now: options.now } : {}),
  })
  const usage = new SqlUsageRepository(database.db)
  let follower: ChangeFollower | undefined
  const listeners = new Set<(seq: number) => void>()
  const catchUp = () => follower?.poke() ?? Promise.resolve()
  const deposits = new DepositService({
    log: repository,
    referentials: refs,
    recordOf: (offer, recordOptions) => offerRecord(offer, refs, { ...recordOptions, source: 'deposit' }),
    onWritten: (written) => follower?.applyWritten(written) ?? Promise.resolve(),
    ...(options.now ? { now: options.now } : {}),
  })
  const recorder = new UsageRecorder(usage, options.now ? { now: options.now } : {})
  // The replica at the process's priority: the suites check what it does, not the scheduler
  // (bench:sql-isolation measures that); at the lowest one a loaded machine starves it for minutes.
  const userSql = openUserSql(database, schema?.url, undefined, { background: false })
  const datastore = new SqlDatastore(database, userSql)
  const infotravail = new InfotravailService(datastore, {
    sqlTimeoutMs: options.sqlTimeoutMs ?? 60_000,
    ...(options.sqlMaxBytes ? { sqlMaxBytes: options.sqlMaxBytes } : {}),
    sqlGate: new SqlGate({ concurrency: userSql.concurrency, queueLength: 2 * userSql.concurrency, retryAfterSeconds: 1 }),
  })
  const app = await buildApp({
    offres,
    offerExpiry: new OfferExpiry(repository, OFFER_TTL_DAYS),
    referentials: refs,
    access: {
      service: access,
      limiter: options.limiter ?? new MemoryRateLimiter(options.now ? { now: options.now } : {}),
      recorder,
      usage,
      defaultRatePerSecond: 10,
      adminToken: options.adminToken,
      ...(options.infotravailPublic ? { publicApis: new Set(['infotravailv1']) } : {}),
    },
    infotravail: { service: infotravail },
    live: {
      deposits,
      feed: new OfferFeed(repository),
      subscribe: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    },
    ...(options.logger ? { logger: options.logger } : { logLevel: 'silent' }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.observability ? { observability: options.observability } : {}),
  })
  const { credentials } = await access.createClient({
    name: 'Tests',
    ownerEmail: 'tests@openemploi.example',
    kind: 'entreprise',
    apis: access.catalogue.apis.map((api) => api.id),
  })
  await access.setRateLimit(credentials.client_id, 100_000)
  const { access_token: token } = await access.issueToken(credentials.client_id, credentials.client_secret, undefined)
  const client = { ...credentials, token }
  const reload = async () => {
    const index = new OfferIndex(refs, new MemoryBodyStore())
    const start = await repository.lastSeq()
    const report = await loadIndex(index, repository, refs)
    follower = new ChangeFollower(index, repository, refs, start, (error) => {
      throw error
    })
    follower.subscribe((seq) => {
      for (const listener of listeners) listener(seq)
    })
    await follower.poke()
    offres.serve(index)
    return report
  }
  return {
    app,
    database,
    importer,
    repository,
    offres,
    referentials: refs,
    access,
    recorder,
    usage,
    client,
    deposits,
    datastore,
    infotravail,
    catchUp,
    get: (url, injectOptions = {}) =>
      app.inject({
        ...injectOptions,
        url,
        headers: { authorization: `Bearer ${token}`, ...injectOptions.headers },
      }),
    reload,
    async importAndReload(records, appellations = []) {
      const report = await importer.importRecords(records, { source: 'import', appellations })
      await reload()
      return report
    },
    async close() {
      await app.close()
      await recorder.close()
      await userSql.close()
      await database.close()
      await schema?.drop()
    },
  }
}

/** Records of a list of values, numbered from 1. */
export function recordsOf(values: readonly unknown[]): RawRecord[] {
  return values.map((value, index) => ({ position: index + 1, value }))
}
