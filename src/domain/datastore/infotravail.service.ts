import { NotFoundError } from '../../shared/errors.js'
import type { ActionParams } from './ckan-actions.js'
import { DatasetLoadingError, DatastoreValidationError, invalid, NotAuthorizedError, SqlBusyError } from './datastore-errors.js'
import type { DatasetLoadProgress, DeclaredPackage } from './load-progress.js'
import type { DatastoreRepository, PackageRecord, RelationInfo, ResourceRecord, SearchPage, SqlRows } from './datastore.repository.js'
import { parseSearchRequest, ROWS_MAX, textParam, type SearchRequest } from './search-request.js'
import { DUMP_PAGE_ROWS, DumpParamsError, parseDumpRequest, type DumpRequest } from './dump-request.js'
import { SqlGate } from './sql-gate.js'
import { checkSqlForExecution } from './sql-guard.js'

/** How long the catalogue read from the store is reused (imports on another node show within it). */
const CATALOGUE_TTL_MS = 2000
/** How long the row count of a live view is reused in resource dicts (`size`). */
const VIEW_COUNT_TTL_MS = 30_000
/** The default statement timeout of datastore_search_sql. */
export const SQL_TIMEOUT_MS = 2000
/**
 * Where the engine cannot cancel a statement (the embedded store, whose users' SQL replica is
 * stopped whole and restarted at the timeout), users' SQL whose planned cost is above this is
 * refused before it runs: a few seconds of work at most on this engine, not worth a restart.
 */
export const MAX_SQL_COST = 2_000_000
/** The default byte bound of a datastore_search_sql answer (row text, before JSON). */
export const SQL_MAX_BYTES = 16 * 1024 * 1024
/** Retry-After of a resource not served yet (as readiness's). */
export const LOADING_RETRY_AFTER_SECONDS = 5

/** A package and its resources, as CKAN lists them. */
export interface Catalogue {
  readonly packages: readonly PackageRecord[]
  readonly resources: ReadonlyMap<string, { readonly resource: ResourceRecord; readonly pkg: PackageRecord }>
}

/** The result of users' SQL: rows, their columns, and whether the row cap cut them. */
export interface SqlResult extends SqlRows {
  readonly truncated: boolean
}

/**
 * The Infotravail API's logic (CKAN actions, read side): the catalogue, datastore_search,
 * datastore_search_sql behind the SQL guard, dumps. Renders nothing: the HTTP surface builds
 * CKAN's dicts from what it returns.
 */
export class InfotravailService {
  private cached: { at: number; catalogue: Promise<Catalogue> } | undefined
  private readonly viewCounts = new Map<string, { at: number; count: Promise<number> }>()

  /** Admits users' SQL: one statement per client, a few at once, a short queue (its stats are live counts). */
  readonly sqlGate: SqlGate

  constructor(
    private readonly repository: DatastoreRepository,
    private readonly options: {
      sqlTimeoutMs?: number
      sqlMaxBytes?: number
      sqlGate?: SqlGate
      now?: () => number
      /** This node's load of its declared datasets: what is declared and not served yet answers 503. */
      progress?: DatasetLoadProgress
    } = {},
  ) {
    this.sqlGate = options.sqlGate ?? new SqlGate({ concurrency: 1, queueLength: 4, retryAfterSeconds: 1 })
  }

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  /** Forgets the cached catalogue (after a load on this node). */
  invalidate(): void {
    this.cached = undefined
  }

  /** The packages and resources, read at most every two seconds. */
  catalogue(): Promise<Catalogue> {
    if (!this.cached || this.now() - this.cached.at > CATALOGUE_TTL_MS) {
      const catalogue = this.repository.packages().then((packages) => ({
        packages,
        resources: new Map(packages.flatMap((pkg) => pkg.resources.map((resource) => [resource.id, { resource, pkg }] as const))),
      }))
      catalogue.catch(() => {
        this.cached = undefined
      })
      this.cached = { at: this.now(), catalogue }
    }
    return this.cached.catalogue
  }

  /**
   * The names of the packages: those of the store, and those this node declares (DATASETS) whose
   * first load has not stored them yet.
   */
  async packageNames(): Promise<string[]> {
    const { packages } = await this.catalogue()
    const names = new Set(packages.map((pkg) => pkg.name))
    for (const pkg of this.options.progress?.packages ?? []) names.add(pkg.name)
    return [...names].sort()
  }

  /**
   * A package by id or name.
   * @throws NotFoundError, or DatasetLoadingError while a declared package has resources not served yet.
   */
  async package(idOrName: unknown): Promise<PackageRecord> {
    if (idOrName === undefined || idOrName === null || idOrName === '') throw invalid('id', 'Missing value')
    const { packages } = await this.catalogue()
    const found = packages.find((pkg) => pkg.id === idOrName || pkg.name === idOrName)
    const declared = this.options.progress?.packages.find((pkg) => pkg.id === idOrName || pkg.name === idOrName)
    if (declared) {
      const served = new Set(found?.resources.map((resource) => resource.id))
      const waiting = declared.resources.filter((resource) => !served.has(resource.id))
      if (waiting.length > 0 && this.options.progress?.datasetsState !== 'ready') throw this.notServed(declared, waiting.length)
    }
    if (!found) throw new NotFoundError('Dataset not found')
    return found
  }

  /**
   * A resource by id.
   * @param noun how the 404 names what was looked for (datastore_info's is `Resource/Alias`).
   * @throws NotFoundError, or DatasetLoadingError for a declared resource not served yet.
   */
  async resource(id: unknown, param = 'id', noun = 'Resource'): Promise<{ resource: ResourceRecord; pkg: PackageRecord }> {
    if (id === undefined || id === null || id === '') throw invalid(param, 'Missing value')
    const found = (await this.catalogue()).resources.get(textParam(id))
    if (!found) {
      if (this.awaited(textParam(id))) throw this.notServed(textParam(id))
      throw new NotFoundError(`${noun} "${textParam(id)}" was not found.`)
    }
    return found
  }

  /** Sizes and columns of a resource's table or view, as PostgreSQL describes them (datastore_info). */
  async relationInfo(resource: ResourceRecord): Promise<RelationInfo> {
    await this.refreshIfLive([resource])
    return this.repository.relationInfo(resource)
  }

  /** Whether a resource absent from the store is one this node declares and has not served yet. */
  private awaited(id: string): boolean {
    const progress = this.options.progress
    return progress !== undefined && progress.datasetsState !== 'ready' && progress.isServed(id) !== undefined
  }

  /** The 503 of a declared resource or package not served yet: loading, or its load failed. */
  private notServed(what: string | DeclaredPackage, waiting = 0): DatasetLoadingError {
    const progress = this.options.progress
    const figures = progress?.snapshot()
    const subject = typeof what === 'string' ? `Resource "${what}"` : `Dataset "${what.name}"`
    if (progress?.datasetsState === 'failed') {
      return new DatasetLoadingError(`${subject} is not loaded: the load of the datasets failed on this node (its operator has the details in the server log)`, LOADING_RETRY_AFTER_SECONDS)
    }
    const own = typeof what === 'string' ? '' : `${waiting} of its ${what.resources.length} resources still to load; `
    const eta = figures?.etaSeconds === undefined ? '' : `, about ${figures.etaSeconds} s left`
    return new DatasetLoadingError(
      `${subject} is loading (${own}${figures?.loaded ?? 0} of ${figures?.total ?? 0} resources served${eta}); retry in ${LOADING_RETRY_AFTER_SECONDS} seconds`,
      LOADING_RETRY_AFTER_SECONDS,
    )
  }

  /** datastore_search: `resource_id` (or its alias `id`) and CKAN's parameters. */
  async search(params: ActionParams<'datastore_search'>): Promise<{ request: SearchRequest; resource: ResourceRecord; page: SearchPage }> {
    const id = params.resource_id ?? params.id
    const { resource } = await this.resource(id, 'resource_id')
    const request = parseSearchRequest(params, resource.id, resource.fields)
    await this.refreshIfLive([resource])
    try {
      return { request, resource, page: await this.repository.search(resource, request) }
    } catch (error) {
      throw searchError(error)
    }
  }

  /**
   * Brings the live resources up to date before a read of these: only live ones (no stored row
   * count) follow the offers, so a read of the others costs no round trip more.
   */
  private async refreshIfLive(read: readonly ResourceRecord[]): Promise<void> {
    if (read.some((resource) => resource.size === undefined)) await this.repository.refreshLive()
  }

  /**
   * Rows of a resource: tables know theirs; a live view is counted, and the count reused for a
   * while, so that listing the catalogue never scans the offers on every call.
   */
  count(resource: ResourceRecord): Promise<number> {
    if (resource.size !== undefined) return Promise.resolve(resource.size)
    const cached = this.viewCounts.get(resource.id)
    if (cached && this.now() - cached.at <= VIEW_COUNT_TTL_MS) return cached.count
    const count = this.repository.refreshLive().then(() => this.repository.count(resource))
    count.catch(() => this.viewCounts.delete(resource.id))
    this.viewCounts.set(resource.id, { at: this.now(), count })
    return count
  }

  /**
   * datastore_search_sql: one SELECT over datastore resources, checked by the SQL guard, run
   * read-only as the reader role with a timeout, at most ROWS_MAX rows and `sqlMaxBytes` of row
   * text (`records_truncated`), through the gate: `client` (an application, or an anonymous
   * caller's address) has one statement at a time.
   * @throws SqlBusyError when the gate or the executor cannot take the statement now.
   */
  async sql(text: unknown, client: string): Promise<SqlResult> {
    if (typeof text !== 'string' || text.trim() === '') throw invalid('sql', 'Missing value')
    const { resources } = await this.catalogue()
    const verdict = await checkSqlForExecution(text, (name) => resources.has(name) || this.awaited(name), ROWS_MAX)
    if (!verdict.ok) {
      if (verdict.status === 403) throw new NotAuthorizedError(verdict.message)
      throw new DatastoreValidationError(verdict.error)
    }
    const waiting = verdict.resources.find((id) => !resources.has(id))
    if (waiting !== undefined) throw this.notServed(waiting)
    const { wrapped } = verdict
    try {
      return await this.sqlGate.run(client, async () => {
        if (!this.repository.cancellable && (await this.repository.costOf(wrapped, verdict.resources)) > MAX_SQL_COST) {
          throw invalid('query', 'Query too expensive: narrow it (filters, LIMIT) or ask the operator for a dump')
        }
        await this.refreshIfLive(verdict.resources.flatMap((id) => resources.get(id)?.resource ?? []))
        const result = await this.repository.runSql(wrapped, {
          timeoutMs: this.options.sqlTimeoutMs ?? SQL_TIMEOUT_MS,
          maxBytes: this.options.sqlMaxBytes ?? SQL_MAX_BYTES,
          resources: verdict.resources,
        })
        const truncated = result.truncated || result.rows.length > ROWS_MAX
        return { fields: result.fields, rows: result.rows.length > ROWS_MAX ? result.rows.slice(0, ROWS_MAX) : result.rows, truncated }
      })
    } catch (error) {
      throw sqlError(error, text)
    }
  }

  /**
   * A dump as CKAN's (`/datastore/dump/{id}`): the resource (404, or 503 while it loads), the
   * request read as CKAN's dump_schema reads it, and its first page, read now so that a refused
   * search is an error answer rather than a cut download. The other pages are read as the
   * consumer asks for them (`pages`), by keyset after the previous page when the order allows it,
   * else by offset; a consumer that stops asking stops the reads.
   * @throws DumpParamsError (CKAN's 400), NotFoundError, DatasetLoadingError.
   */
  async dump(id: string, query: Readonly<Record<string, unknown>>): Promise<DumpPlan> {
    const { resource } = await this.resource(id)
    const request = asDumpError(() => parseDumpRequest(query, resource.id, resource.fields))
    await this.refreshIfLive([resource])
    const search = request.search
    const read = async (limit: number, offset: number, after: readonly unknown[] | undefined): Promise<SearchPage> => {
      try {
        return await this.repository.search(resource, { ...search, limit, offset, ...(after ? { after } : {}) })
      } catch (error) {
        throw searchError(error)
      }
    }
    const pageSize = (left: number | undefined) => (left === undefined ? DUMP_PAGE_ROWS : Math.min(DUMP_PAGE_ROWS, left))
    const firstPage = await asDumpErrorAsync(() => read(pageSize(request.limit), search.offset, undefined))
    async function* pages(): AsyncGenerator<readonly Record<string, unknown>[]> {
      let page = firstPage
      let left = request.limit
      let offset = search.offset
      for (;;) {
        const asked = pageSize(left)
        if (asked === 0) return
        yield page.rows
        if (page.rows.length < asked) return
        if (left !== undefined) left -= page.rows.length
        offset += page.rows.length
        if (left === 0) return
        page = await read(pageSize(left), offset, page.after)
      }
    }
    return { resource, request, pages }
  }
}

/** A dump ready to stream: its resource and request (its columns, ranks included), and its pages. */
export interface DumpPlan {
  readonly resource: ResourceRecord
  readonly request: DumpRequest
  /** The rows, page by page, read as they are asked for. */
  readonly pages: () => AsyncGenerator<readonly Record<string, unknown>[]>
}

/** CKAN's dump answers what its search refuses with the same 400 as its own parameters. */
function dumpError(error: unknown): unknown {
  if (!(error instanceof DatastoreValidationError)) return error
  return new DumpParamsError(
    Object.entries(error.dict).map(([key, value]) => `${key}: ${Array.isArray(value) ? value.map((item) => textParam(item)).join(' ') : textParam(value)}`),
  )
}

function asDumpError<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    throw dumpError(error)
  }
}

async function asDumpErrorAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw dumpError(error)
  }
}

/** What the engine said of a failed query: whether it timed out, or was the query's fault (SQLSTATE classes 21, 22, 2B, 0A, 42, 54). */
function engineFailure(error: unknown): { timeout: boolean; queryFault: boolean; code?: string; message: string } {
  const { code, message } = error as { code?: unknown; message?: unknown }
  const sqlState = typeof code === 'string' ? code : undefined
  return {
    timeout: sqlState === '57014',
    queryFault: sqlState !== undefined && /^(21|22|2B|0A|42|54)/.test(sqlState),
    ...(sqlState === undefined ? {} : { code: sqlState }),
    message: typeof message === 'string' ? message : '',
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)))

/**
 * A datastore_search the engine refused, in CKAN's shapes (ckanext/datastore `search`): a timeout
 * is "Search took too long", an error of the request (a `to_tsquery` syntax with plain=false, a
 * value out of range…) "Invalid query" with the engine's message; anything else stays a failure.
 */
function searchError(error: unknown): Error {
  const failure = engineFailure(error)
  if (failure.timeout) return invalid('query', 'Search took too long')
  if (failure.queryFault) return new DatastoreValidationError({ query: ['Invalid query'], info: { orig: [failure.message] } })
  return asError(error)
}

/** The engine's errors in CKAN's shapes: timeout, permission, anything else the query's fault. */
function sqlError(error: unknown, statement: string): Error {
  if (error instanceof DatastoreValidationError || error instanceof NotAuthorizedError || error instanceof SqlBusyError) return error
  const failure = engineFailure(error)
  if (failure.timeout) return invalid('query', 'Query took too long')
  if (failure.code === '42501') return new NotAuthorizedError(`Not authorized to read this query's tables`)
  if (failure.queryFault) {
    return new DatastoreValidationError({
      query: [failure.message || 'Invalid query'],
      info: { statement: [statement], params: [{}], orig: [failure.message] },
    })
  }
  return asError(error)
}
