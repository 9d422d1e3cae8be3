import type { OrganisationKind } from './catalogue.schema.js'

/** An owner of applications; with a password, also a user of the developer portal. */
export interface Account {
  readonly id: string
  readonly email: string
  readonly name: string
  readonly kind: OrganisationKind
  readonly organisation: string | null
  readonly createdAt: Date
}

export interface StoredAccount extends Account {
  readonly passwordHash: string | null
}

export type SubscriptionStatus = 'granted' | 'pending' | 'rejected'

/** An application's right to use one API, and the record of the terms accepted. */
export interface Subscription {
  readonly api: string
  readonly status: SubscriptionStatus
  readonly termsVersion: string
  /** Who accepted the terms: an account id, or `operator` for the CLI and the administration API. */
  readonly acceptedBy: string
  readonly acceptedAt: Date
  readonly decidedBy: string | null
  readonly decidedAt: Date | null
}

/** An application: an OAuth2 client (never with its secret). */
export interface Application {
  readonly clientId: string
  readonly accountId: string
  readonly name: string
  readonly status: 'active' | 'revoked'
  /** Calls per second allowed on each API; null: the service's default. */
  readonly ratePerSecond: number | null
  readonly createdAt: Date
  readonly secretRotatedAt: Date | null
  readonly revokedAt: Date | null
  readonly subscriptions: readonly Subscription[]
}

export interface StoredApplication extends Application {
  readonly secretHash: string
}

/** What an access token lets its bearer do, as the store knows it. */
export interface StoredToken {
  readonly clientId: string
  readonly scopes: string
  readonly expiresAt: Date
  readonly revoked: boolean
  readonly applicationActive: boolean
  readonly applicationName: string
  readonly ratePerSecond: number | null
  /** APIs the application holds a granted subscription to, now. */
  readonly grantedApis: readonly string[]
}

/** The store of accounts, applications, subscriptions, tokens and portal sessions. */
export interface AccessRepository {
  /** @returns false when the e-mail is already taken. */
  createAccount(account: StoredAccount): Promise<boolean>
  accountByEmail(email: string): Promise<StoredAccount | undefined>
  accountById(id: string): Promise<StoredAccount | undefined>
  createApplication(application: Omit<StoredApplication, 'subscriptions'>): Promise<void>
  application(clientId: string): Promise<StoredApplication | undefined>
  applications(filter: { accountId?: string }): Promise<Application[]>
  /** Records an acceptance of terms (replacing an earlier one for the same API). */
  saveSubscription(clientId: string, subscription: Subscription): Promise<void>
  /** @returns false when there is no such subscription. */
  decideSubscription(clientId: string, api: string, status: SubscriptionStatus, by: string, at: Date): Promise<boolean>
  /** Replaces the secret and revokes every token of the client. */
  replaceSecret(clientId: string, secretHash: string, at: Date): Promise<boolean>
  /** Marks the application revoked and revokes every token of it. */
  revokeApplication(clientId: string, at: Date): Promise<boolean>
  setRate(clientId: string, perSecond: number | null): Promise<boolean>
  insertToken(token: { digest: string; clientId: string; scopes: string; issuedAt: Date; expiresAt: Date }): Promise<void>
  token(digest: string): Promise<StoredToken | undefined>
  /** Revokes one token if it belongs to the client; @returns whether one was revoked. */
  revokeToken(digest: string, clientId: string, at: Date): Promise<boolean>
  deleteTokensExpiredBefore(before: Date): Promise<number>
  createSession(digest: string, accountId: string, expiresAt: Date): Promise<void>
  sessionAccount(digest: string, now: Date): Promise<StoredAccount | undefined>
  deleteSession(digest: string): Promise<void>
  /** Deletes the sessions (and their flashes) expired before `before`; @returns how many. */
  deleteSessionsExpiredBefore(before: Date): Promise<number>
  /** Keeps a session's sealed flash for `subject` until `expiresAt` (replacing one kept already); drops the flashes expired at `now`. */
  putFlash(digest: string, subject: string, sealed: string, expiresAt: Date, now: Date): Promise<void>
  /** Deletes the session's flash for `subject` and @returns it, if it has not expired. */
  takeFlash(digest: string, subject: string, now: Date): Promise<string | undefined>
}

/**
 * Tells every node that what it may have cached about a client (tokens, secret, limits) is stale.
 * A handler called with `null` must forget everything (the channel was interrupted).
 */
export interface AccessEvents {
  /** False while the channel is down: nothing may then be cached, since nothing would be invalidated. */
  readonly live: boolean
  publish(clientId: string): Promise<void>
  subscribe(handler: (clientId: string | null) => void): void
  close(): Promise<void>
}
