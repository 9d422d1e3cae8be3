import { SqlAbandonedError, SqlBusyError } from './datastore-errors.js'

/** What the gate is doing, read live (for gauges): no copy, no reset. */
export interface SqlGateStats {
  /** Statements holding a slot (running on the executor). */
  readonly running: number
  /** Statements waiting for a slot. */
  readonly queued: number
  /** Statements given up at their wall-time bound whose engine has not stopped them yet. */
  readonly stopping: number
  /** Statements ended by the time limit since start (statement timeout or watchdog). */
  readonly cancelled: number
}

export interface SqlGateOptions {
  /** Statements running at once: the executor's connections (PostgreSQL) or its one session. */
  readonly concurrency: number
  /** Statements waiting for a slot, every client together. */
  readonly queueLength: number
  /** The `Retry-After` of a busy answer, in seconds. */
  readonly retryAfterSeconds: number
}

/**
 * Fairness of users' SQL across clients: at most one statement per client at a time (admitted,
 * queued, running, or given up but still running on the engine), at most `concurrency` running,
 * and a short queue in arrival order; beyond that the caller is told to come back (SqlBusyError,
 * 429), so that one client's heavy statements can only ever cost that client.
 */
export class SqlGate {
  private running = 0
  private stopping = 0
  private cancelled = 0
  private readonly waiting: (() => void)[] = []
  /** Clients with a statement admitted and not yet stopped. */
  private readonly clients = new Set<string>()

  constructor(private readonly options: SqlGateOptions) {}

  /** Live counts of the gate, for metrics. */
  readonly stats: SqlGateStats = Object.freeze(
    Object.defineProperties(
      {},
      {
        running: { get: () => this.running, enumerable: true },
        queued: { get: () => this.waiting.length, enumerable: true },
        stopping: { get: () => this.stopping, enumerable: true },
        cancelled: { get: () => this.cancelled, enumerable: true },
      },
    ) as SqlGateStats,
  )

  /**
   * Runs `work` for `client` when a slot is free.
   * @throws SqlBusyError (429) when the client already has a statement in, or when every slot
   * and the queue are taken; else whatever `work` throws.
   */
  async run<T>(client: string, work: () => Promise<T>): Promise<T> {
    const { concurrency, queueLength, retryAfterSeconds } = this.options
    if (this.clients.has(client)) {
      throw new SqlBusyError('A statement of this client is still running: send the next one after its answer', 429, retryAfterSeconds)
    }
    if (this.running >= concurrency && this.waiting.length >= queueLength) {
      throw new SqlBusyError('Too many SQL statements running: retry later', 429, retryAfterSeconds)
    }
    this.clients.add(client)
    let stopped: Promise<void> | undefined
    try {
      if (this.running < concurrency) this.running++
      // A slot is handed over by release(): the count stays as it is.
      else await new Promise<void>((resolve) => this.waiting.push(resolve))
      try {
        return await work()
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code === '57014') this.cancelled++
        if (error instanceof SqlAbandonedError) stopped = error.stopped
        throw error
      } finally {
        this.release()
      }
    } finally {
      if (stopped === undefined) this.clients.delete(client)
      else {
        // The engine still runs it: the client gets no other statement in until it has stopped.
        this.stopping++
        void stopped
          .catch(() => undefined)
          .finally(() => {
            this.stopping--
            this.clients.delete(client)
          })
      }
    }
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.running--
  }
}
