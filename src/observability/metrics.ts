import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type GaugeConfiguration } from 'prom-client'

/** Labels of one answered request: all bounded sets (route patterns, never URLs). */
export interface RequestLabels {
  /** The API the route belongs to (offres, depot, infotravail, oauth, portal, admin, stats, service, docs, other). */
  readonly api: string
  /** The route's pattern (`/…/offres/:id`), or `unmatched`. */
  readonly route: string
  readonly method: string
  readonly status: number
}

/** Sets one sample of a gauge while it is collected: no labels for a plain gauge. */
export type GaugeSetter<L extends string> = (value: number, labels?: Readonly<Record<L, string>>) => void

/**
 * A gauge read at each scrape whose samples are exactly those set by that read: prom-client's own
 * gauge would show a plain gauge that was not set (or whose read failed) as 0.
 */
class ReadGauge<L extends string> extends Gauge<L> {
  constructor(
    configuration: GaugeConfiguration<L>,
    private readonly read: (set: GaugeSetter<L>) => void | Promise<void>,
  ) {
    super(configuration)
  }

  override async get(): ReturnType<Gauge<L>['get']> {
    this.reset()
    let known = false
    try {
      await this.read((value, labels) => {
        known = true
        if (labels) this.set(labels as Partial<Record<L, string>>, value)
        else this.set(value)
      })
    } catch {
      known = false
    }
    const metric = await super.get()
    return known ? metric : { ...metric, values: [] }
  }
}

/**
 * Seconds: from 1 ms (a search served from the page cache) to 10 s (a dump page, a slow store);
 * finer under 100 ms, where the API's answers are.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * The process's Prometheus metrics: Node's default ones, the HTTP requests, and gauges read from
 * the services when scraped. Services expose plain numbers; the composition root turns each into a
 * gauge with one call to `gauge`, so that nothing outside this module knows prom-client.
 */
export class Metrics {
  private readonly registry = new Registry()
  private readonly requests: Counter<'api' | 'route' | 'method' | 'status'>
  private readonly latency: Histogram<'api' | 'route' | 'method'>

  constructor() {
    collectDefaultMetrics({ register: this.registry })
    this.requests = new Counter({
      name: 'openemploi_http_requests_total',
      help: 'Requests answered, by API, route pattern, method and status.',
      labelNames: ['api', 'route', 'method', 'status'],
      registers: [this.registry],
    })
    // Without the status: one histogram per route keeps the series few (13 buckets each).
    this.latency = new Histogram({
      name: 'openemploi_http_request_duration_seconds',
      help: 'Time from the request’s arrival to the end of its answer, by API, route pattern and method.',
      labelNames: ['api', 'route', 'method'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    })
  }

  /** Counts one answered request and its duration. */
  observeRequest(labels: RequestLabels, seconds: number): void {
    const { api, route, method } = labels
    this.requests.inc({ api, route, method, status: String(labels.status) })
    this.latency.observe({ api, route, method }, seconds)
  }

  /**
   * Adds a gauge read from a service at each scrape. `collect` sets its samples through `set`;
   * samples it does not set are absent from that scrape. A `collect` that fails (a store that does
   * not answer) leaves the gauge absent rather than failing the scrape or showing a stale value.
   *
   * @example metrics.gauge('openemploi_index_offers', 'Offers served.', [], (set) => set(offres.size))
   */
  gauge<L extends string>(
    name: string,
    help: string,
    labels: readonly L[],
    collect: (set: GaugeSetter<L>) => void | Promise<void>,
  ): void {
    this.registry.registerMetric(new ReadGauge<L>({ name, help, labelNames: labels, registers: [] }, collect))
  }

  /** The Content-Type of `render`'s text. */
  get contentType(): string {
    return this.registry.contentType
  }

  /** Every metric in Prometheus's text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics()
  }
}
