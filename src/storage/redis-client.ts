import { Redis } from 'ioredis'

/** Failures closer together than this are one incident: reported once, not once per request. */
const REPORT_INTERVAL_MS = 10_000

/**
 * A Redis connection for work that must never wait on Redis: a call fails at once while the
 * connection is down (no offline queue, no retry) and after `timeoutMs` when Redis is slow; the
 * caller then decides without it. Connection errors go to `onError`, at most once per 10 s.
 */
export function openRedis(url: string, options: { timeoutMs: number; onError: (error: unknown) => void }): {
  redis: Redis
  /** Reports a failure of a call the same way (at most once per 10 s with the connection's). */
  report: (error: unknown) => void
} {
  let lastReportAt = -Infinity
  const report = (error: unknown) => {
    const now = Date.now()
    if (now - lastReportAt < REPORT_INTERVAL_MS) return
    lastReportAt = now
    options.onError(error)
  }
  const redis = new Redis(url, {
    // A down Redis must fail calls at once, never hold them in a queue that grows with traffic.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.timeoutMs,
    // A connection gets at least as long as a command.
    connectTimeout: Math.max(1_000, options.timeoutMs),
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  })
  // Without a listener, ioredis reports every failed reconnection as an unhandled error.
  redis.on('error', report)
  return { redis, report }
}

/** Closes a connection from {@link openRedis} and stops it reconnecting. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit()
  } catch {
    // Not connected: quitting cannot be sent, so just stop trying to reconnect.
    redis.disconnect()
  }
}
