/** Calls of one client on one route of one API, with one status, on one UTC day. */
export interface CallCount {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string
  readonly clientId: string
  readonly api: string
  readonly route: string
  readonly status: number
  readonly calls: number
}

/** Calls per UTC day. */
export interface DailyCalls {
  readonly day: string
  readonly calls: number
}

/** The store of call counts. */
export interface UsageRepository {
  /** Adds the counts to the stored ones (one transaction). */
  add(counts: readonly CallCount[]): Promise<void>
  /** Calls per day of one API (all clients), from `fromDay` included. */
  apiDaily(api: string, fromDay: string): Promise<DailyCalls[]>
  /** Calls per day of one client, from `fromDay` included, per API. */
  clientDaily(clientId: string, fromDay: string): Promise<(DailyCalls & { api: string })[]>
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10)
}

/** The `days` UTC days ending with the day of `now`, oldest first. */
export function lastDays(now: number, days: number): string[] {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate())
  return Array.from({ length: days }, (_, i) => utcDay(today - (days - 1 - i) * 86_400_000))
}

/** Calls of one API per day over the `days` UTC days ending with the day of `now`, oldest first, 0 on a day without any. */
export async function apiCallsPerDay(usage: UsageRepository, api: string, now: number, days: number): Promise<DailyCalls[]> {
  const range = lastDays(now, days)
  const byDay = new Map((await usage.apiDaily(api, range[0] ?? '')).map((row) => [row.day, row.calls]))
  return range.map((day) => ({ day, calls: byDay.get(day) ?? 0 }))
}

/**
 * Counts API calls in memory and flushes them to the store in the background, so that the
 * request path never waits on the store. A failed flush keeps the counts for the next one;
 * `close()` flushes what is left (nothing counted is lost on a clean shutdown).
 */
export class UsageRecorder {
  private pending = new Map<string, CallCount>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly repository: UsageRepository,
    private readonly options: { flushIntervalMs?: number; now?: () => number; onError?: (error: unknown) => void } = {},
  ) {}

  /** Starts the periodic flush. */
  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 5000)
    this.timer.unref()
  }

  /** Counts one call (synchronous, in memory). */
  record(call: { clientId: string; api: string; route: string; status: number }): void {
    const day = utcDay((this.options.now ?? Date.now)())
    const key = `${day}\u0000${call.clientId}\u0000${call.api}\u0000${call.route}\u0000${call.status}`
    const current = this.pending.get(key)
    this.pending.set(key, { day, ...call, calls: (current?.calls ?? 0) + 1 })
  }

  /** Writes the counts gathered so far; concurrent calls are serialised. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return
      const batch = this.pending
      this.pending = new Map()
      try {
        await this.repository.add([...batch.values()])
      } catch (error) {
        // Put the counts back (merged with those gathered meanwhile) for the next flush.
        for (const [key, count] of batch) {
          const current = this.pending.get(key)
          this.pending.set(key, { ...count, calls: count.calls + (current?.calls ?? 0) })
        }
        this.options.onError?.(error)
      }
    })
    return this.flushing
  }

  /** Stops the timer and flushes what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.flush()
  }
}
