import pg from 'pg'
import type { AccessEvents } from '../domain/access/access.repository.js'

const CHANNEL = 'openemploi_access'

/** One process owns the embedded store: invalidations only concern this process. */
export class LocalAccessEvents implements AccessEvents {
  readonly live = true
  private readonly handlers: ((clientId: string | null) => void)[] = []

  publish(clientId: string): Promise<void> {
    for (const handler of this.handlers) handler(clientId)
    return Promise.resolve()
  }

  subscribe(handler: (clientId: string | null) => void): void {
    this.handlers.push(handler)
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}

/**
 * Invalidations shared by every node of one PostgreSQL database through LISTEN/NOTIFY. While the
 * listening connection is down, `live` is false (callers cache nothing) and every handler is told
 * to forget everything; it reconnects with a capped back-off.
 */
export class PgAccessEvents implements AccessEvents {
  private client: pg.Client | undefined
  private handlers: ((clientId: string | null) => void)[] = []
  private closed = false
  private retryMs = 100
  private connected = false

  private constructor(
    private readonly url: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Connects and listens before resolving, so that nothing published afterwards is missed. */
  static async open(url: string, onError: (error: unknown) => void): Promise<PgAccessEvents> {
    const events = new PgAccessEvents(url, onError)
    await events.connect()
    return events
  }

  get live(): boolean {
    return this.connected
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url })
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) this.emit(message.payload)
    })
    client.on('error', (error) => this.lost(client, error))
    client.on('end', () => this.lost(client, new Error('listening connection closed')))
    await client.connect()
    await client.query(`listen ${CHANNEL}`)
    this.client = client
    this.connected = true
    this.retryMs = 100
  }

  private emit(clientId: string | null): void {
    for (const handler of this.handlers) handler(clientId)
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client || this.closed) return
    this.client = undefined
    this.connected = false
    this.emit(null)
    this.onError(error)
    client.end().catch(() => undefined)
    const retry = () => {
      if (this.closed) return
      this.connect().catch((reason: unknown) => {
        this.onError(reason)
        this.retryMs = Math.min(this.retryMs * 2, 5000)
        setTimeout(retry, this.retryMs).unref()
      })
    }
    setTimeout(retry, this.retryMs).unref()
  }

  async publish(clientId: string): Promise<void> {
    if (this.client) {
      await this.client.query('select pg_notify($1, $2)', [CHANNEL, clientId])
      return
    }
    const client = new pg.Client({ connectionString: this.url })
    await client.connect()
    try {
      await client.query('select pg_notify($1, $2)', [CHANNEL, clientId])
    } finally {
      await client.end()
    }
  }

  subscribe(handler: (clientId: string | null) => void): void {
    this.handlers.push(handler)
  }

  async close(): Promise<void> {
    this.closed = true
    this.connected = false
    const client = this.client
    this.client = undefined
    await client?.end()
  }
}
