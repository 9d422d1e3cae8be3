import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type {
  AccessRepository,
  Application,
  StoredAccount,
  StoredApplication,
  StoredToken,
  Subscription,
  SubscriptionStatus,
} from '../domain/access/access.repository.js'
import type { OrganisationKind } from '../domain/access/catalogue.schema.js'
import type { AccountsTable, ApplicationsTable, SubscriptionsTable, Tables } from './tables.js'

function account(row: Selectable<AccountsTable>): StoredAccount {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    kind: row.kind as OrganisationKind,
    organisation: row.organisation,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  }
}

function subscription(row: Selectable<SubscriptionsTable>): Subscription {
  return {
    api: row.api,
    status: row.status,
    termsVersion: row.terms_version,
    acceptedBy: row.accepted_by,
    acceptedAt: row.accepted_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  }
}

function application(row: Selectable<ApplicationsTable>, subscriptions: Subscription[]): StoredApplication {
  return {
    clientId: row.client_id,
    accountId: row.account_id,
    name: row.name,
    secretHash: row.secret_hash,
    status: row.status,
    ratePerSecond: row.rate_per_second,
    createdAt: row.created_at,
    secretRotatedAt: row.secret_rotated_at,
    revokedAt: row.revoked_at,
    subscriptions,
  }
}

/** Revokes every live token of a client, inside the caller's transaction. */
async function revokeTokensOf(trx: Transaction<Tables>, clientId: string, at: Date): Promise<void> {
  await trx
    .updateTable('access_tokens')
    .set({ revoked_at: at })
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Accounts, applications, subscriptions, tokens and portal sessions on PostgreSQL or PGlite. */
export class SqlAccessRepository implements AccessRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async createAccount(stored: StoredAccount): Promise<boolean> {
    const rows = await this.db
      .insertInto('accounts')
      .values({
        id: stored.id,
        email: stored.email,
        name: stored.name,
        kind: stored.kind,
        organisation: stored.organisation,
        password_hash: stored.passwordHash,
        created_at: stored.createdAt,
      })
      .onConflict((conflict) => conflict.column('email').doNothing())
      .returning('id')
      .execute()
    return rows.length === 1
  }

  async accountByEmail(email: string): Promise<StoredAccount | undefined> {
    const row = await this.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst()
    return row && account(row)
  }

  async accountById(id: string): Promise<StoredAccount | undefined> {
    const row = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst()
    return row && account(row)
  }

  async createApplication(stored: Omit<StoredApplication, 'subscriptions'>): Promise<void> {
    await this.db
      .insertInto('applications')
      .values({
        client_id: stored.clientId,
        account_id: stored.accountId,
        name: stored.name,
        secret_hash: stored.secretHash,
        status: stored.status,
        rate_per_second: stored.ratePerSecond,
        created_at: stored.createdAt,
        secret_rotated_at: stored.secretRotatedAt,
        revoked_at: stored.revokedAt,
      })
      .execute()
  }

  async application(clientId: string): Promise<StoredApplication | undefined> {
    const row = await this.db.selectFrom('applications').selectAll().where('client_id', '=', clientId).executeTakeFirst()
    if (!row) return undefined
    const subscriptions = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('client_id', '=', clientId)
      .orderBy('api')
      .execute()
    return application(row, subscriptions.map(subscription))
  }

  async applications(filter: { accountId?: string }): Promise<Application[]> {
    let query = this.db.selectFrom('applications').selectAll().orderBy('created_at').orderBy('client_id')
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId)
    const rows = await query.execute()
    if (rows.length === 0) return []
    const subscriptions = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where(
        'client_id',
        'in',
        rows.map((row) => row.client_id),
      )
      .orderBy('api')
      .execute()
    return rows.map((row) => {
      const { secretHash: _omitted, ...rest } = application(
        row,
        subscriptions.filter((item) => item.client_id === row.client_id).map(subscription),
      )
      return rest
    })
  }

  async saveSubscription(clientId: string, item: Subscription): Promise<void> {
    const values = {
      status: item.status,
      terms_version: item.termsVersion,
      accepted_by: item.acceptedBy,
      accepted_at: item.acceptedAt,
      decided_by: item.decidedBy,
      decided_at: item.decidedAt,
    }
    await this.db
      .insertInto('subscriptions')
      .values({ client_id: clientId, api: item.api, ...values })
      .onConflict((conflict) => conflict.columns(['client_id', 'api']).doUpdateSet(values))
      .execute()
  }

  async decideSubscription(clientId: string, api: string, status: SubscriptionStatus, by: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('subscriptions')
      .set({ status, decided_by: by, decided_at: at })
      .where('client_id', '=', clientId)
      .where('api', '=', api)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async replaceSecret(clientId: string, secretHash: string, at: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('applications')
        .set({ secret_hash: secretHash, secret_rotated_at: at })
        .where('client_id', '=', clientId)
        .executeTakeFirst()
      await revokeTokensOf(trx, clientId, at)
      return result.numUpdatedRows > 0n
    })
  }

  async revokeApplication(clientId: string, at: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('applications')
        .set({ status: 'revoked', revoked_at: sql<Date>`coalesce(revoked_at, ${at})` })
        .where('client_id', '=', clientId)
        .executeTakeFirst()
      await revokeTokensOf(trx, clientId, at)
      return result.numUpdatedRows > 0n
    })
  }

  async setRate(clientId: string, perSecond: number | null): Promise<boolean> {
    const result = await this.db
      .updateTable('applications')
      .set({ rate_per_second: perSecond })
      .where('client_id', '=', clientId)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async insertToken(token: { digest: string; clientId: string; scopes: string; issuedAt: Date; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('access_tokens')
      .values({
        token_hash: token.digest,
        client_id: token.clientId,
        scopes: token.scopes,
        issued_at: token.issuedAt,
        expires_at: token.expiresAt,
        revoked_at: null,
      })
      .execute()
  }

  async token(digest: string): Promise<StoredToken | undefined> {
    const row = await this.db
      .selectFrom('access_tokens as t')
      .innerJoin('applications as a', 'a.client_id', 't.client_id')
      .select([
        't.client_id',
        't.scopes',
        't.expires_at',
        't.revoked_at',
        'a.status',
        'a.name',
        'a.rate_per_second',
        sql<string>`(select coalesce(string_agg(s.api, ' '), '') from subscriptions s
          where s.client_id = t.client_id and s.status = 'granted')`.as('granted_apis'),
      ])
      .where('t.token_hash', '=', digest)
      .executeTakeFirst()
    if (!row) return undefined
    return {
      clientId: row.client_id,
      scopes: row.scopes,
      expiresAt: row.expires_at,
      revoked: row.revoked_at !== null,
      applicationActive: row.status === 'active',
      applicationName: row.name,
      ratePerSecond: row.rate_per_second,
      grantedApis: row.granted_apis === '' ? [] : row.granted_apis.split(' '),
    }
  }

  async revokeToken(digest: string, clientId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('access_tokens')
      .set({ revoked_at: at })
      .where('token_hash', '=', digest)
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async deleteTokensExpiredBefore(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('access_tokens').where('expires_at', '<', before).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async createSession(digest: string, accountId: string, expiresAt: Date): Promise<void> {
    await this.db.insertInto('portal_sessions').values({ session_hash: digest, account_id: accountId, expires_at: expiresAt }).execute()
  }

  async sessionAccount(digest: string, now: Date): Promise<StoredAccount | undefined> {
    const row = await this.db
      .selectFrom('portal_sessions as s')
      .innerJoin('accounts as a', 'a.id', 's.account_id')
      .selectAll('a')
      .where('s.session_hash', '=', digest)
      .where('s.expires_at', '>', now)
      .executeTakeFirst()
    return row && account(row)
  }

  async deleteSession(digest: string): Promise<void> {
    await this.db.deleteFrom('portal_sessions').where('session_hash', '=', digest).execute()
  }

  async deleteSessionsExpiredBefore(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('portal_sessions').where('expires_at', '<', before).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async putFlash(digest: string, subject: string, sealed: string, expiresAt: Date, now: Date): Promise<void> {
    await this.db.deleteFrom('portal_flashes').where('expires_at', '<=', now).execute()
    await this.db
      .insertInto('portal_flashes')
      .values({ session_hash: digest, subject, sealed, expires_at: expiresAt })
      .onConflict((conflict) => conflict.columns(['session_hash', 'subject']).doUpdateSet({ sealed, expires_at: expiresAt }))
      .execute()
  }

  async takeFlash(digest: string, subject: string, now: Date): Promise<string | undefined> {
    // One statement: of two requests reading it at once, one only gets it.
    const row = await this.db
      .deleteFrom('portal_flashes')
      .where('session_hash', '=', digest)
      .where('subject', '=', subject)
      .returning(['sealed', 'expires_at'])
      .executeTakeFirst()
    return row && row.expires_at > now ? row.sealed : undefined
  }
}
