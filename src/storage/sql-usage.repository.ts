import { sql, type Kysely } from 'kysely'
import type { CallCount, DailyCalls, UsageRepository } from '../domain/usage/usage.js'
import type { Tables } from './tables.js'

/** Daily call counts on PostgreSQL or PGlite. */
export class SqlUsageRepository implements UsageRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async add(counts: readonly CallCount[]): Promise<void> {
    if (counts.length === 0) return
    await this.db
      .insertInto('api_calls')
      .values(
        counts.map((count) => ({
          day: count.day,
          client_id: count.clientId,
          api: count.api,
          route: count.route,
          status: count.status,
          calls: count.calls,
        })),
      )
      .onConflict((conflict) =>
        conflict
          .columns(['day', 'client_id', 'api', 'route', 'status'])
          .doUpdateSet({ calls: sql<number>`api_calls.calls + excluded.calls` }),
      )
      .execute()
  }

  async apiDaily(api: string, fromDay: string): Promise<DailyCalls[]> {
    const rows = await this.db
      .selectFrom('api_calls')
      .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), sql<string>`sum(calls)::text`.as('calls')])
      .where('api', '=', api)
      .where('day', '>=', fromDay)
      .groupBy('day')
      .orderBy('day')
      .execute()
    return rows.map((row) => ({ day: row.day, calls: Number(row.calls) }))
  }

  async clientDaily(clientId: string, fromDay: string): Promise<(DailyCalls & { api: string })[]> {
    const rows = await this.db
      .selectFrom('api_calls')
      .select(['api', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), sql<string>`sum(calls)::text`.as('calls')])
      .where('client_id', '=', clientId)
      .where('day', '>=', fromDay)
      .groupBy(['api', 'day'])
      .orderBy('api')
      .orderBy('day')
      .execute()
    return rows.map((row) => ({ api: row.api, day: row.day, calls: Number(row.calls) }))
  }
}
