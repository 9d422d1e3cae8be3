import type { AccessEvents } from '../domain/access/access.repository.js'
import { PgListener } from './pg-listener.js'

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
 * to forget everything.
 */
export class PgAccessEvents implements AccessEvents {
  private readonly handlers: ((clientId: string | null) => void)[] = []
  private listener: PgListener | undefined

  /** Connects and listens before resolving, so that nothing published afterwards is missed. */
  static async open(url: string, onError: (error: unknown) => void): Promise<PgAccessEvents> {
    const events = new PgAccessEvents()
    events.listener = await PgListener.open(url, [CHANNEL], {
      onNotification: (_channel, clientId) => {
        if (clientId !== '') events.emit(clientId)
      },
      onLost: () => events.emit(null),
      onError,
    })
    return events
  }

  get live(): boolean {
    return this.listener?.live ?? false
  }

  private emit(clientId: string | null): void {
    for (const handler of this.handlers) handler(clientId)
  }

  async publish(clientId: string): Promise<void> {
    await this.listener?.notify(CHANNEL, clientId)
  }

  subscribe(handler: (clientId: string | null) => void): void {
    this.handlers.push(handler)
  }

  async close(): Promise<void> {
    await this.listener?.close()
  }
}
