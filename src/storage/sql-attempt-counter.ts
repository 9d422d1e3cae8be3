import { sql, type Kysely } from 'kysely'
import type { AttemptCount, AttemptCounter } from '../domain/access/sign-in-throttle.js'
import type { Tables } from './tables.js'

/** Rows whose window has ended are deleted at most this often (by the node counting an attempt). */
const PURGE_INTERVAL_MS = 60_000

/**
 * Sign-in attempt counters in the store, shared by every node on it (one upsert per attempt).
 * Windows are measured with the nodes' clocks: a skew of seconds is nothing to 15 minutes.
 */
export class SqlAttemptCounter implements AttemptCounter {
  private lastPurge = -Infinity

  /** @param now clock in milliseconds (default Date.now), injectable so tests never wait 15 minutes. */
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly now: () => number = Date.now,
  ) {}

  async increment(keys: readonly string[], windowMs: number): Promise<AttemptCount[]> {
    if (keys.length === 0) return []
    const at = this.now()
    const now = new Date(at)
    const ended = sql<boolean>`sign_in_attempts.window_ends <= ${now}`
    // One statement: the row lock makes concurrent attempts on one key count one after the other.
    const rows = await this.db
      .insertInto('sign_in_attempts')
      .values(keys.map((key) => ({ key, attempts: 1, window_ends: new Date(at + windowMs) })))
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          attempts: sql<number>`case when ${ended} then 1 else sign_in_attempts.attempts + 1 end`,
          window_ends: sql<Date>`case when ${ended} then excluded.window_ends else sign_in_attempts.window_ends end`,
        }),
      )
      .returning(['key', 'attempts', 'window_ends'])
      .execute()
    await this.purge(now)
    const byKey = new Map(rows.map((row) => [row.key, row]))
    return keys.map((key) => {
      const row = byKey.get(key)
      return { attempts: row?.attempts ?? 0, resetMs: row ? Math.max(0, row.window_ends.getTime() - at) : 0 }
    })
  }

  async decrement(key: string): Promise<void> {
    await this.db
      .updateTable('sign_in_attempts')
      .set({ attempts: sql<number>`attempts - 1` })
      .where('key', '=', key)
      .where('attempts', '>', 0)
      .where('window_ends', '>', new Date(this.now()))
      .execute()
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('sign_in_attempts').where('key', '=', key).execute()
  }

  /** The store is the caller's to close. */
  close(): Promise<void> {
    return Promise.resolve()
  }

  private async purge(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < PURGE_INTERVAL_MS) return
    this.lastPurge = now.getTime()
    await this.db.deleteFrom('sign_in_attempts').where('window_ends', '<=', now).execute()
  }
}
