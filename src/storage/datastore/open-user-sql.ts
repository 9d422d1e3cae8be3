import { CompiledQuery } from 'kysely'
import type { Database } from '../database.js'
import { PgUserSql } from './pg-user-sql.js'
import { ReplicaUserSql } from './replica-user-sql.js'
import type { UserSqlExecutor } from './user-sql.js'

/**
 * The executor of users' SQL for a store: connections of its own under a watchdog on PostgreSQL
 * (`url`), a replica in a worker of its own on the embedded store. Nothing starts before the
 * first statement.
 */
export function openUserSql(
  database: Database,
  url: string | undefined,
  onIdleError: (error: Error) => void = () => undefined,
  replica: { readonly background?: boolean } = {},
): UserSqlExecutor {
  if (database.kind === 'pglite' || url === undefined) return new ReplicaUserSql(database, replica)
  const control = async (text: string, params: readonly unknown[]) => (await database.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...params]))).rows
  return new PgUserSql(url, control, onIdleError)
}
