import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Access under contract: accounts (owners of applications, who may sign in to the portal),
 * applications (OAuth2 clients), their subscriptions to APIs with the terms accepted, issued
 * tokens, portal sessions, and the daily call counts.
 */
export const access: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('email', 'text', (column) => column.notNull().unique())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) =>
        column.notNull().check(sql`kind in ('particulier', 'entreprise', 'collectivite', 'ministere')`),
      )
      .addColumn('organisation', 'text')
      .addColumn('password_hash', 'text')
      .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .execute()
    await db.schema
      .createTable('applications')
      .addColumn('client_id', 'text', (column) => column.primaryKey())
      .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('secret_hash', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull().defaultTo('active').check(sql`status in ('active', 'revoked')`))
      .addColumn('rate_per_second', 'integer')
      .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .addColumn('secret_rotated_at', 'timestamptz')
      .addColumn('revoked_at', 'timestamptz')
      .execute()
    await db.schema.createIndex('applications_account').on('applications').column('account_id').execute()
    await db.schema
      .createTable('subscriptions')
      .addColumn('client_id', 'text', (column) => column.notNull().references('applications.client_id'))
      .addColumn('api', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) =>
        column.notNull().check(sql`status in ('granted', 'pending', 'rejected')`),
      )
      .addColumn('terms_version', 'text', (column) => column.notNull())
      .addColumn('accepted_by', 'text', (column) => column.notNull())
      .addColumn('accepted_at', 'timestamptz', (column) => column.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'timestamptz')
      .addPrimaryKeyConstraint('subscriptions_pk', ['client_id', 'api'])
      .execute()
    await db.schema
      .createTable('access_tokens')
      .addColumn('token_hash', 'text', (column) => column.primaryKey())
      .addColumn('client_id', 'text', (column) => column.notNull().references('applications.client_id'))
      .addColumn('scopes', 'text', (column) => column.notNull())
      .addColumn('issued_at', 'timestamptz', (column) => column.notNull())
      .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .execute()
    await db.schema.createIndex('access_tokens_client').on('access_tokens').column('client_id').execute()
    await db.schema.createIndex('access_tokens_expiry').on('access_tokens').column('expires_at').execute()
    await db.schema
      .createTable('portal_sessions')
      .addColumn('session_hash', 'text', (column) => column.primaryKey())
      .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
      .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
      .execute()
    await db.schema
      .createTable('api_calls')
      .addColumn('day', 'date', (column) => column.notNull())
      .addColumn('client_id', 'text', (column) => column.notNull())
      .addColumn('api', 'text', (column) => column.notNull())
      .addColumn('route', 'text', (column) => column.notNull())
      .addColumn('status', 'integer', (column) => column.notNull())
      .addColumn('calls', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('api_calls_pk', ['day', 'client_id', 'api', 'route', 'status'])
      .execute()
    await db.schema.createIndex('api_calls_api_day').on('api_calls').columns(['api', 'day']).execute()
    await db.schema.createIndex('api_calls_client_day').on('api_calls').columns(['client_id', 'day']).execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['api_calls', 'portal_sessions', 'access_tokens', 'subscriptions', 'applications', 'accounts']) {
      await db.schema.dropTable(table).execute()
    }
  },
}
