import pg from 'pg'
import { storeError } from './store-errors.js'

/**
 * One connection that LISTENs to some channels of a PostgreSQL server and reconnects with a capped
 * back-off when it is lost. While it is down, `live` is false and `onLost` has been called, so
 * that users fall back to what does not need notifications (no cache, polling).
 */
export class PgListener {
  private client: pg.Client | undefined
  private closed = false
  private retryMs = 100

  private constructor(
    private readonly url: string,
    private readonly channels: readonly string[],
    private readonly handlers: {
      onNotification: (channel: string, payload: string) => void
      onLost: () => void
      onBack?: () => void
      onError: (error: unknown) => void
    },
  ) {}

  /** Connects and listens before resolving, so that nothing notified afterwards is missed. */
  static async open(url: string, channels: readonly string[], handlers: PgListener['handlers']): Promise<PgListener> {
    const listener = new PgListener(url, channels, handlers)
    await listener.connect()
    return listener
  }

  get live(): boolean {
    return this.client !== undefined
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 10_000 })
    client.on('notification', (message) => {
      if (this.channels.includes(message.channel)) this.handlers.onNotification(message.channel, message.payload ?? '')
    })
    client.on('error', (error) => this.lost(client, error))
    client.on('end', () => this.lost(client, new Error('listening connection closed')))
    try {
      await client.connect()
      for (const channel of this.channels) await client.query(`listen ${channel}`)
    } catch (error) {
      // Lost before it listened (the server refused or ended it): closed here, tried again by the caller.
      client.end().catch(() => undefined)
      throw error
    }
    if (this.closed) {
      // Closed while it reconnected: an open connection would keep the process from exiting.
      await client.end().catch(() => undefined)
      return
    }
    this.client = client
    this.retryMs = 100
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client || this.closed) return
    this.client = undefined
    this.handlers.onLost()
    this.handlers.onError(error)
    client.end().catch(() => undefined)
    const retry = () => {
      if (this.closed) return
      this.connect().then(
        () => {
          if (!this.closed) this.handlers.onBack?.()
        },
        (reason: unknown) => {
          this.handlers.onError(reason)
          this.retryMs = Math.min(this.retryMs * 2, 5000)
          setTimeout(retry, this.retryMs).unref()
        },
      )
    }
    setTimeout(retry, this.retryMs).unref()
  }

  /**
   * Sends a notification on the listening connection (or a short-lived one while it is down).
   * @throws UnavailableError when the server cannot be reached.
   */
  async notify(channel: string, payload: string): Promise<void> {
    try {
      if (this.client) {
        await this.client.query('select pg_notify($1, $2)', [channel, payload])
        return
      }
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000 })
      // The server may end it too: without a listener, that 'error' event would end the process.
      client.on('error', () => undefined)
      try {
        await client.connect()
        await client.query('select pg_notify($1, $2)', [channel, payload])
      } finally {
        await client.end().catch(() => undefined)
      }
    } catch (error) {
      throw storeError(error)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    const client = this.client
    this.client = undefined
    await client?.end()
  }
}
