import type { AccessEvents } from '../domain/access/access.repository.js'
import { PgListener } from './pg-listener.js'

const CHANNEL = 'openemploi_access'
/** Waits before a notification that failed is sent again: doubled after each failure, up to the cap. */
const RESEND_FIRST_MS = 250
const RESEND_MAX_MS = 5000

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
  /** Clients whose change is committed but could not be told to the other nodes yet. */
  private readonly unsent = new Set<string>()
  private resendTimer: NodeJS.Timeout | undefined
  private resendMs = RESEND_FIRST_MS
  private closed = false

  private constructor(private readonly onError: (error: unknown) => void) {}

  /** Connects and listens before resolving, so that nothing published afterwards is missed. */
  static async open(url: string, onError: (error: unknown) => void): Promise<PgAccessEvents> {
    const events = new PgAccessEvents(onError)
    events.listener = await PgListener.open(url, [CHANNEL], {
      onNotification: (_channel, clientId) => {
        if (clientId !== '') events.emit(clientId)
      },
      onLost: () => events.emit(null),
      onBack: () => void events.resend(),
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

  /**
   * Tells the other nodes. The change is committed when this is called: if the store cannot be
   * reached, the notification is kept and sent again until it is taken (other nodes would
   * otherwise keep a revoked client's tokens cached until they expire), and the change is not
   * reported as failed.
   */
  async publish(clientId: string): Promise<void> {
    try {
      await this.listener?.notify(CHANNEL, clientId)
    } catch (error) {
      this.onError(error)
      this.unsent.add(clientId)
      this.scheduleResend()
    }
  }

  private scheduleResend(): void {
    if (this.resendTimer || this.closed) return
    this.resendTimer = setTimeout(() => {
      this.resendTimer = undefined
      void this.resend()
    }, this.resendMs)
    this.resendTimer.unref()
  }

  private async resend(): Promise<void> {
    for (const clientId of [...this.unsent]) {
      if (this.closed) return
      try {
        await this.listener?.notify(CHANNEL, clientId)
        this.unsent.delete(clientId)
      } catch (error) {
        this.onError(error)
        this.resendMs = Math.min(this.resendMs * 2, RESEND_MAX_MS)
        this.scheduleResend()
        return
      }
    }
    this.resendMs = RESEND_FIRST_MS
  }

  subscribe(handler: (clientId: string | null) => void): void {
    this.handlers.push(handler)
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.resendTimer)
    await this.listener?.close()
  }
}
