import type { RateLimiterMode } from '../domain/access/rate-limiter.js'
import type { DatasetProgress } from '../domain/datastore/load-progress.js'

export type { DatasetProgress } from '../domain/datastore/load-progress.js'

/** How the rate limiter shares its buckets (see {@link RateLimiterMode}). */
export type LimiterMode = RateLimiterMode

/** Where readiness reads its details: plain getters over the services. */
export interface ReadinessSources {
  readonly index: () => { readonly loaded: boolean; readonly offres: number }
  /** Whether the store answers a trivial statement quickly (see `CachedProbe`). */
  readonly store: () => Promise<boolean>
  readonly datasets: () => DatasetProgress
  /** The rate limiter's mode, when the limiter tells it; shown, never required for readiness. */
  readonly limiterMode?: () => LimiterMode
}

/** The readiness answer: the same details whether ready or not. */
export interface ReadinessReport {
  readonly status: 'ready' | 'unavailable'
  readonly index: { readonly loaded: boolean; readonly offres: number }
  readonly store: { readonly reachable: boolean }
  readonly datasets: DatasetProgress
  readonly limiter?: { readonly mode: LimiterMode }
}

/**
 * Whether this node should take traffic: its index is loaded and its store answers. Datasets and
 * the limiter are reported but never hold readiness: a dataset being replaced is served in its
 * previous version meanwhile (and on a rolling upgrade every node waits for the one loading it),
 * and a limiter in fallback still limits, per node.
 */
export class Readiness {
  constructor(private readonly sources: ReadinessSources) {}

  /** The details, probed now (the store's answer may be up to a second old). */
  async report(): Promise<ReadinessReport> {
    const index = this.sources.index()
    const reachable = await this.sources.store()
    const mode = this.sources.limiterMode?.()
    return {
      status: index.loaded && reachable ? 'ready' : 'unavailable',
      index,
      store: { reachable },
      datasets: this.sources.datasets(),
      ...(mode === undefined ? {} : { limiter: { mode } }),
    }
  }
}

/**
 * A check of a dependency that probes may call at any rate: its result is reused for `ttlMs`,
 * at most one check runs at a time, and a check that does not settle within `timeoutMs` counts as
 * failed (it is not started again until it settles), so probes never add load to a struggling
 * store and never wait for it longer than the timeout.
 */
export class CachedProbe<T> {
  private last: { at: number; value: T | undefined } | undefined
  private running: Promise<T | undefined> | undefined

  /**
   * @param check the check; a rejection counts as failed
   * @param options.now clock in milliseconds (tests)
   */
  constructor(
    private readonly check: () => Promise<T>,
    private readonly options: { ttlMs: number; timeoutMs: number; now?: () => number },
  ) {}

  /** The check's value, or undefined when it failed or timed out. */
  async value(): Promise<T | undefined> {
    const now = this.options.now ?? Date.now
    if (this.last && now() - this.last.at < this.options.ttlMs) return this.last.value
    // Through a promise: a check that throws at once fails like one that rejects.
    this.running ??= new Promise<T>((resolve) => resolve(this.check())).then(
      (value) => this.settle(value),
      () => this.settle(undefined),
    )
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        // Probes in the next `ttlMs` answer at once instead of each waiting for the hung check.
        this.last = { at: now(), value: undefined }
        resolve(undefined)
      }, this.options.timeoutMs)
    })
    try {
      return await Promise.race([this.running, timedOut])
    } finally {
      clearTimeout(timer)
    }
  }

  private settle(value: T | undefined): T | undefined {
    this.last = { at: (this.options.now ?? Date.now)(), value }
    this.running = undefined
    return value
  }
}
