/**
 * Where this node's load of the Infotravail datasets stands: which packages and resources it
 * declares (DATASETS), how many are served, rows copied, speed and time left. Read by readiness,
 * the log and the CKAN actions (a declared resource not served yet answers 503, not 404).
 */

/** A package as declared by the definitions this node serves. */
export interface DeclaredPackage {
  readonly id: string
  readonly name: string
  readonly resources: readonly { readonly id: string; readonly name: string }[]
}

/** The state of the datasets of a start: `loading` until every declared resource is served. */
export type DatasetsState = 'loading' | 'ready' | 'failed'

/** Figures of the load, as readiness shows them. */
export interface DatasetProgress {
  readonly state: DatasetsState
  /** Declared resources served (current in the store, or loaded since the start). */
  readonly loaded: number
  /** Declared resources (the packages of DATASETS). */
  readonly total: number
  /** Rows copied by this start's loads, and the rows they have to copy (views counted once known). */
  readonly rows: { readonly loaded: number; readonly total: number }
  /** Rows copied per second since the first load began (absent before). */
  readonly rowsPerSecond?: number
  /** Seconds left until every resource is served, at that speed (absent when unknown). */
  readonly etaSeconds?: number
  /** The resource being checked or loaded now. */
  readonly loading?: { readonly id: string; readonly name: string }
  /**
   * Whether the secondary indexes of every table (filters, full text) and its statistics are
   * built: they follow the load, and searches are correct but slower until then.
   */
  readonly indexed: boolean
  /** Set when the pass stopped on an error (the resources it did not load keep their previous version, or none). */
  readonly failed?: true
}

/** What the load tells as it goes. */
export interface LoadPlan {
  /** Resources already current in the store: served from the start. */
  readonly current: readonly string[]
  /** Resources to load, with the rows each will copy when known. */
  readonly pending: readonly { readonly id: string; readonly rows: number | undefined }[]
}

/**
 * The load's progress, fed by the loader's events and read at any time. Before the plan is known
 * (the load starts after the offers index), every declared resource is pending.
 */
export class DatasetLoadProgress {
  private readonly served = new Set<string>()
  private readonly rowsOf = new Map<string, number>()
  private rowsLoaded = 0
  private startedAt: number | undefined
  private loadingNow: { id: string; name: string } | undefined
  private state: DatasetsState = 'loading'
  private indexed = false
  private readonly total: number
  private readonly names = new Map<string, string>()

  constructor(
    readonly packages: readonly DeclaredPackage[],
    private readonly now: () => number = Date.now,
  ) {
    this.total = packages.reduce((sum, pkg) => sum + pkg.resources.length, 0)
    for (const pkg of packages) for (const resource of pkg.resources) this.names.set(resource.id, resource.name)
  }

  /** The loader checked the store: what is current is served, the rest is to load. */
  planned(plan: LoadPlan): void {
    for (const id of plan.current) this.served.add(id)
    for (const item of plan.pending) if (item.rows !== undefined) this.rowsOf.set(item.id, item.rows)
    if (plan.pending.length === 0) this.loadingNow = undefined
  }

  /** A resource's load began. */
  started(id: string): void {
    this.startedAt ??= this.now()
    this.loadingNow = { id, name: this.names.get(id) ?? id }
  }

  /** Rows copied into the resource being loaded. */
  copied(rows: number): void {
    this.rowsLoaded += rows
  }

  /** A resource is swapped in: served from now on. */
  loaded(id: string, rows: number | undefined): void {
    this.served.add(id)
    if (rows !== undefined && !this.rowsOf.has(id)) this.rowsOf.set(id, rows)
    if (this.loadingNow?.id === id) this.loadingNow = undefined
  }

  /** Every declared resource is served. */
  ready(): void {
    for (const pkg of this.packages) for (const resource of pkg.resources) this.served.add(resource.id)
    this.state = 'ready'
    this.loadingNow = undefined
  }

  /** The indexes of every table are built. */
  indexesBuilt(): void {
    this.indexed = true
  }

  /** The pass stopped on an error. */
  failed(): void {
    this.state = 'failed'
    this.loadingNow = undefined
  }

  /** Whether a declared resource is served yet (undeclared ones: undefined). */
  isServed(id: string): boolean | undefined {
    if (!this.names.has(id)) return undefined
    return this.served.has(id)
  }

  get datasetsState(): DatasetsState {
    return this.state
  }

  /** The figures now. */
  snapshot(): DatasetProgress {
    const rowsTotal = [...this.rowsOf.values()].reduce((sum, rows) => sum + rows, 0)
    const elapsed = this.startedAt === undefined ? 0 : (this.now() - this.startedAt) / 1000
    const rate = elapsed > 0 && this.rowsLoaded > 0 ? this.rowsLoaded / elapsed : undefined
    const left = Math.max(0, rowsTotal - this.rowsLoaded)
    return {
      state: this.state,
      loaded: this.state === 'ready' ? this.total : this.served.size,
      total: this.total,
      rows: { loaded: this.rowsLoaded, total: Math.max(rowsTotal, this.rowsLoaded) },
      ...(rate === undefined ? {} : { rowsPerSecond: Math.round(rate) }),
      ...(this.state === 'loading' && rate !== undefined ? { etaSeconds: Math.ceil(left / rate) } : {}),
      ...(this.loadingNow ? { loading: this.loadingNow } : {}),
      indexed: this.indexed,
      ...(this.state === 'failed' ? { failed: true as const } : {}),
    }
  }
}
