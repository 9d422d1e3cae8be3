import { Worker } from 'node:worker_threads'
import type { WorkerReply, WorkerRequest } from './pglite-worker.js'

/** A database error raised in the worker, with PostgreSQL's SQLSTATE code. */
export class PGliteError extends Error {
  code?: string
  detail?: string
  constraint?: string
  severity?: string
}

const fromSources = import.meta.url.endsWith('.ts')

/** How PGliteClient.openInMemory() starts a store. */
export interface InMemoryOptions {
  readonly loadDataDir?: ArrayBuffer
  readonly background?: boolean
  readonly settings?: string
}

/**
 * The main thread's handle on the embedded PostgreSQL running in a worker thread: same `query`
 * and `exec` as PGlite, asynchronous, never blocking the event loop.
 */
export class PGliteClient {
  private readonly worker: Worker
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>()
  private readonly streams = new Map<number, (chunk: ArrayBuffer) => void>()
  private closed = false
  readonly ready: Promise<void>

  private constructor(dataDir: string | undefined, options: InMemoryOptions = {}) {
    const workerData = { dataDir, ...options }
    const script = new URL(`./pglite-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url)
    // From the TypeScript sources (tests, `npm run dev`), the worker registers the same loader first.
    this.worker = fromSources
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}) })`,
          { eval: true, workerData },
        )
      : new Worker(script, { workerData })
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject })
    })
    this.worker.on('message', (reply: WorkerReply) => {
      if (reply.chunk) {
        this.streams.get(reply.id)?.(reply.chunk)
        return
      }
      const waiter = this.pending.get(reply.id)
      if (!waiter) return
      this.pending.delete(reply.id)
      if (reply.error) {
        const error = Object.assign(new PGliteError(reply.error.message), reply.error)
        waiter.reject(error)
      } else {
        waiter.resolve(reply)
      }
    })
    this.worker.on('error', (error) => this.failAll(error))
    this.worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new Error(`The embedded database worker stopped (exit code ${code})`))
    })
  }

  /**
   * Starts the worker and opens the store in `dataDir` (in memory when undefined); a folder that
   * holds no store yet is filled from `loadDataDir` when given, instead of running initdb.
   */
  static async open(dataDir: string | undefined, options: { readonly loadDataDir?: ArrayBuffer | undefined } = {}): Promise<PGliteClient> {
    const client = new PGliteClient(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {})
    await client.ready
    return client
  }

  /**
   * Starts a store in memory, from a data folder dumped by dumpDataDir() when given (no initdb:
   * well under a second instead of several). A `background` store's thread runs at the lowest
   * priority (Linux); `settings` are postgresql.conf lines.
   */
  static async openInMemory(options: InMemoryOptions = {}): Promise<PGliteClient> {
    const client = new PGliteClient(undefined, options)
    try {
      await client.ready
    } catch (error) {
      await client.terminate()
      throw error
    }
    return client
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error)
    this.pending.clear()
  }

  private request(request: Omit<WorkerRequest, 'id'>): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('The embedded database is closed'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...request, id } satisfies WorkerRequest)
    })
  }

  /**
   * Runs one statement with parameters; rows as objects, with the columns' names and types when
   * `textTypes` (else none). `blob` is what a `COPY … FROM '/dev/blob'` reads; what a
   * `COPY … TO '/dev/blob'` writes comes back as `blob`.
   */
  async query<R>(
    sql: string,
    params: readonly unknown[] = [],
    options: { textTypes?: boolean; blob?: ArrayBuffer } = {},
  ): Promise<{ rows: R[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number; blob?: ArrayBuffer }> {
    const reply = await this.request({ kind: 'query', sql, params, ...(options.textTypes ? { textTypes: true } : {}), ...(options.blob ? { blob: options.blob } : {}) })
    return {
      rows: (reply.rows ?? []) as R[],
      fields: reply.fields ?? [],
      ...(reply.affectedRows === undefined ? {} : { affectedRows: reply.affectedRows }),
      ...(reply.blob ? { blob: reply.blob } : {}),
    }
  }

  /** The store's data folder as an uncompressed tarball (for openInMemory()). */
  async dumpDataDir(): Promise<ArrayBuffer> {
    const reply = await this.request({ kind: 'dump' })
    if (!reply.blob) throw new Error('The embedded database sent no dump')
    return reply.blob
  }

  /**
   * Streams the rows of a statement repeated until it returns none (a cursor's FETCH), as raw
   * backend messages, one batch at a time: `onBatch` is awaited before the worker reads further
   * than two batches ahead. The session is the stream's until it ends.
   */
  async stream(
    plan: { setup: readonly string[]; repeat: string; teardown: readonly string[] },
    onBatch: (bytes: Buffer) => void | Promise<void>,
  ): Promise<void> {
    if (this.closed) throw new Error('The embedded database is closed')
    const id = this.nextId++
    let chain: Promise<void> = Promise.resolve()
    let failure: Error | undefined
    this.streams.set(id, (chunk) => {
      chain = chain.then(async () => {
        if (failure === undefined) {
          try {
            await onBatch(Buffer.from(chunk))
          } catch (error) {
            failure = error instanceof Error ? error : new Error('The stream consumer failed', { cause: error })
          }
        }
        this.worker.postMessage({ id, kind: 'credit' } satisfies WorkerRequest)
      })
    })
    try {
      await new Promise<WorkerReply>((resolve, reject) => {
        this.pending.set(id, { resolve, reject })
        this.worker.postMessage({ id, kind: 'stream', stream: plan } satisfies WorkerRequest)
      })
      await chain
    } finally {
      this.streams.delete(id)
    }
    if (failure !== undefined) throw failure
  }

  /** Runs a script of statements without parameters. */
  async exec(sql: string): Promise<void> {
    await this.request({ kind: 'exec', sql })
  }

  /**
   * Stops the worker at once, whatever it runs (a statement in WebAssembly cannot be interrupted
   * otherwise): pending requests fail. Only for a store whose contents may be lost (in memory).
   */
  async terminate(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.failAll(new Error('The embedded database was stopped'))
    await this.worker.terminate()
  }

  /** Closes the database (checkpointing it) and stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.request({ kind: 'close' })
    this.closed = true
    await this.worker.terminate()
  }
}
