import { randomUUID } from 'node:crypto'
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../shared/errors.js'
import type { AccessEvents, AccessRepository, Account, Application, StoredAccount, Subscription } from './access.repository.js'
import { ORGANISATION_KINDS, organisationKindOf, type ApiCatalogue } from './catalogue.schema.js'
import { SignInThrottle, type AttemptCounter } from './sign-in-throttle.js'
import {
  DECOY_HASH,
  hashSecret,
  newClientId,
  newOpaqueToken,
  newSecret,
  safeEqual,
  tokenDigest,
  verifySecret,
} from './credentials.js'
import { openFlash, sealFlash } from './flash.js'

/** How long a flash waits for the page it is for: the redirect that follows its form takes a moment. */
export const FLASH_TTL_SECONDS = 300

const INVALID_KIND = `Type d’organisation invalide : ${ORGANISATION_KINDS.join(', ')} attendu.`

/** An RFC 6749 §5.2 error of the token endpoint, with the original's descriptions. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type',
    readonly description: string,
  ) {
    super(description)
    this.name = 'OAuthError'
  }
}

/** A token as the API routes see it. */
export interface TokenGrant {
  readonly clientId: string
  /** The application's name (partner offers deposited without a partner name carry it). */
  readonly applicationName: string
  readonly scopes: ReadonlySet<string>
  readonly expiresAt: number
  /** Calls per second allowed to this client on each API. */
  readonly ratePerSecond: number
}

/** What the token endpoint answers (RFC 6749 §5.1, the original's four keys). */
export interface IssuedToken {
  readonly scope: string
  readonly expires_in: number
  readonly token_type: 'Bearer'
  readonly access_token: string
}

/** RFC 7662 introspection answer. */
export type Introspection =
  | { readonly active: false }
  | {
      readonly active: true
      readonly scope: string
      readonly client_id: string
      readonly token_type: 'Bearer'
      readonly exp: number
    }

/** The credentials of a new application or a rotated secret: the secret is shown this once. */
export interface Credentials {
  readonly client_id: string
  readonly client_secret: string
}

export interface AccessServiceOptions {
  readonly repository: AccessRepository
  readonly events: AccessEvents
  readonly catalogue: ApiCatalogue
  /** Lifetime of access tokens, in seconds (the original: 1499). */
  readonly tokenTtlSeconds: number
  /** Calls per second per client and API when the client has no limit of its own. */
  readonly defaultRatePerSecond: number
  /** Lifetime of a portal session, in seconds. */
  readonly sessionTtlSeconds?: number
  readonly now?: () => number
  /** Counters of portal sign-in attempts, shared by every node (see {@link SignInThrottle}). */
  readonly signInAttempts: AttemptCounter
  /** Checks a secret or password against its scrypt hash (default {@link verifySecret}); tests count the calls. */
  readonly verifySecret?: (secret: string, stored: string) => Promise<boolean>
}

/** Who accepts terms or approves subscriptions when it is not a portal user (CLI, administration API). */
export const OPERATOR = 'operator'

const MAX_CACHED = 50_000
const MIN_PASSWORD = 10
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

interface CachedToken {
  readonly grant: TokenGrant
}

/**
 * Access under contract: accounts, applications and their subscriptions, client authentication,
 * tokens and their verification. Token verifications are cached per node; any change to a client
 * is published through {@link AccessEvents} so that every node forgets what it cached about it at
 * once (a revoked client's tokens stop working everywhere).
 */
export class AccessService {
  private readonly repository: AccessRepository
  private readonly events: AccessEvents
  readonly catalogue: ApiCatalogue
  private readonly now: () => number
  private readonly verifySecret: (secret: string, stored: string) => Promise<boolean>
  /** Token digest → grant. */
  private readonly tokens = new Map<string, CachedToken>()
  /** Client id → SHA-256 of its secret, once verified by scrypt: repeated token requests stay cheap. */
  private readonly verifiedSecrets = new Map<string, string>()
  /** Bumped by every invalidation, so that a lookup that raced one is not cached. */
  private generation = 0
  private readonly signInThrottle: SignInThrottle

  constructor(private readonly options: AccessServiceOptions) {
    this.repository = options.repository
    this.events = options.events
    this.catalogue = options.catalogue
    this.now = options.now ?? Date.now
    this.verifySecret = options.verifySecret ?? verifySecret
    this.signInThrottle = new SignInThrottle(options.signInAttempts)
    this.events.subscribe((clientId) => this.forget(clientId))
  }

  /** Lifetime of issued tokens, in seconds. */
  get tokenTtlSeconds(): number {
    return this.options.tokenTtlSeconds
  }

  private forget(clientId: string | null): void {
    this.generation++
    if (clientId === null) {
      this.tokens.clear()
      this.verifiedSecrets.clear()
      return
    }
    this.verifiedSecrets.delete(clientId)
    for (const [digest, cached] of this.tokens) {
      if (cached.grant.clientId === clientId) this.tokens.delete(digest)
    }
  }

  private async changed(clientId: string): Promise<void> {
    this.forget(clientId)
    await this.events.publish(clientId)
  }

  // Accounts and portal sessions ------------------------------------------------------------

  /** Registers an account (with a password for the portal); the e-mail is its unique name. */
  async createAccount(input: {
    email: string
    name: string
    kind: string
    organisation?: string | undefined
    password?: string | undefined
  }): Promise<Account> {
    const email = input.email.trim().toLowerCase()
    const problems: string[] = []
    if (!EMAIL.test(email)) problems.push('Adresse électronique invalide.')
    if (input.name.trim() === '') problems.push('Le nom est obligatoire.')
    const kind = organisationKindOf(input.kind)
    if (!kind) {
      problems.push(INVALID_KIND)
    }
    if (input.password !== undefined && input.password.length < MIN_PASSWORD) {
      problems.push(`Le mot de passe doit compter au moins ${MIN_PASSWORD} caractères.`)
    }
    if (problems.length > 0 || !kind) throw new InvalidArgumentError(problems.join(' '))
    const account: StoredAccount = {
      id: randomUUID(),
      email,
      name: input.name.trim(),
      kind,
      organisation: input.organisation?.trim() || null,
      passwordHash: input.password === undefined ? null : await hashSecret(input.password),
      createdAt: new Date(this.now()),
    }
    if (!(await this.repository.createAccount(account))) {
      throw new ConflictError('Un compte existe déjà avec cette adresse électronique.')
    }
    return publicAccount(account)
  }

  /**
   * Signs in to the portal from a client address; @returns a session value for a cookie, or
   * undefined on bad credentials.
   *
   * @throws TooManyAttemptsError over the limits of the {@link SignInThrottle}: 5 failures per
   *   address and account, 30 per address, within 15 minutes.
   */
  async signIn(email: string, password: string, address: string): Promise<{ account: Account; session: string } | undefined> {
    const key = email.trim().toLowerCase()
    const attempt = await this.signInThrottle.begin(address, key)
    const account = await this.repository.accountByEmail(key)
    const valid = await this.verifySecret(password, account?.passwordHash ?? DECOY_HASH)
    if (!account?.passwordHash || !valid) return undefined
    await this.signInThrottle.succeeded(attempt)
    const session = newOpaqueToken()
    const ttl = this.options.sessionTtlSeconds ?? 8 * 3600
    await this.repository.createSession(tokenDigest(session), account.id, new Date(this.now() + ttl * 1000))
    return { account: publicAccount(account), session }
  }

  /** The account a portal session belongs to, while the session is valid. */
  async sessionAccount(session: string): Promise<Account | undefined> {
    const account = await this.repository.sessionAccount(tokenDigest(session), new Date(this.now()))
    return account && publicAccount(account)
  }

  async signOut(session: string): Promise<void> {
    await this.repository.deleteSession(tokenDigest(session))
  }

  /**
   * Keeps `value` for the next page of `subject` this session shows, for {@link FLASH_TTL_SECONDS}
   * at most, sealed with a key only the session's cookie gives (see flash.ts): what the portal
   * shows once after a redirect, such as a new client secret, whichever node answers.
   */
  async putFlash(session: string, subject: string, value: string): Promise<void> {
    const now = this.now()
    await this.repository.putFlash(
      tokenDigest(session),
      subject,
      sealFlash(session, subject, value),
      new Date(now + FLASH_TTL_SECONDS * 1000),
      new Date(now),
    )
  }

  /** Takes the session's flash for `subject`: @returns it once, then never again. */
  async takeFlash(session: string, subject: string): Promise<string | undefined> {
    const sealed = await this.repository.takeFlash(tokenDigest(session), subject, new Date(this.now()))
    return sealed === undefined ? undefined : openFlash(session, subject, sealed)
  }

  // Applications ----------------------------------------------------------------------------

  /** Creates an application for an account; its secret is returned this once. */
  async createApplication(accountId: string, name: string): Promise<{ application: Application; credentials: Credentials }> {
    const trimmed = name.trim()
    if (trimmed === '' || trimmed.length > 100) {
      throw new InvalidArgumentError('Le nom de l’application est obligatoire (100 caractères au plus).')
    }
    if (!(await this.repository.accountById(accountId))) throw new NotFoundError('Compte inconnu.')
    const secret = newSecret()
    const clientId = newClientId(trimmed)
    await this.repository.createApplication({
      clientId,
      accountId,
      name: trimmed,
      secretHash: await hashSecret(secret),
      status: 'active',
      ratePerSecond: null,
      createdAt: new Date(this.now()),
      secretRotatedAt: null,
      revokedAt: null,
    })
    return { application: await this.application(clientId), credentials: { client_id: clientId, client_secret: secret } }
  }

  /**
   * Creates an owner (if new), an application and its subscriptions in one call, with the terms
   * accepted by the operator on the owner's behalf: what the CLI and the administration API do.
   */
  async createClient(input: {
    name: string
    ownerEmail: string
    kind: string
    apis: readonly string[]
    organisation?: string | undefined
  }): Promise<{ application: Application; credentials: Credentials }> {
    if (input.name.trim() === '' || input.name.trim().length > 100) {
      throw new InvalidArgumentError('Le nom de l’application est obligatoire (100 caractères au plus).')
    }
    if (input.apis.length === 0) throw new InvalidArgumentError('Donner au moins une API.')
    // Checked even when the owner exists already (the kind is then not stored): a wrong kind is a mistake.
    if (!organisationKindOf(input.kind)) throw new InvalidArgumentError(INVALID_KIND)
    const unknown = input.apis.filter((api) => !this.catalogue.get(api))
    if (unknown.length > 0) {
      throw new InvalidArgumentError(
        `API inconnue : ${unknown.join(', ')} (connues : ${this.catalogue.apis.map((api) => api.id).join(', ')}).`,
      )
    }
    const existing = await this.repository.accountByEmail(input.ownerEmail.trim().toLowerCase())
    const account =
      existing ??
      (await this.createAccount({
        email: input.ownerEmail,
        name: input.organisation ?? input.ownerEmail,
        kind: input.kind,
        organisation: input.organisation,
      }))
    const created = await this.createApplication(account.id, input.name)
    for (const api of input.apis) {
      await this.acceptTerms(created.credentials.client_id, api, this.catalogue.get(api)?.cgu.version ?? '', OPERATOR)
    }
    return { application: await this.application(created.credentials.client_id), credentials: created.credentials }
  }

  /** One application with its subscriptions. @throws NotFoundError */
  async application(clientId: string): Promise<Application> {
    const stored = await this.repository.application(clientId)
    if (!stored) throw new NotFoundError(`Application inconnue : ${clientId}`)
    return publicApplication(stored)
  }

  /** The applications of one account, or all of them. */
  applications(filter: { accountId?: string } = {}): Promise<Application[]> {
    return this.repository.applications(filter)
  }

  /**
   * Records that `acceptedBy` accepted the current terms of `api` for the application. The API is
   * then granted, or pending an administrator's approval when the catalogue says so; the operator's
   * acceptance grants at once.
   */
  async acceptTerms(clientId: string, api: string, termsVersion: string, acceptedBy: string): Promise<Subscription> {
    const entry = this.catalogue.get(api)
    if (!entry) throw new NotFoundError(`API inconnue : ${api}`)
    if (termsVersion !== entry.cgu.version) {
      throw new InvalidArgumentError(
        `Les conditions acceptées (version ${termsVersion}) ne sont pas les conditions en vigueur (version ${entry.cgu.version}).`,
      )
    }
    const application = await this.application(clientId)
    if (application.status === 'revoked') throw new ConflictError('Cette application est révoquée.')
    const current = application.subscriptions.find((subscription) => subscription.api === api)
    if (current?.status === 'granted' && current.termsVersion === termsVersion) return current
    const at = new Date(this.now())
    const granted = entry.ouverture === 'automatique' || acceptedBy === OPERATOR
    const subscription: Subscription = {
      api,
      status: granted ? 'granted' : 'pending',
      termsVersion,
      acceptedBy,
      acceptedAt: at,
      decidedBy: granted ? acceptedBy : null,
      decidedAt: granted ? at : null,
    }
    await this.repository.saveSubscription(clientId, subscription)
    await this.changed(clientId)
    return subscription
  }

  /** An administrator grants or rejects a pending subscription. */
  async decide(clientId: string, api: string, decision: 'granted' | 'rejected', by: string): Promise<Application> {
    if (!(await this.repository.decideSubscription(clientId, api, decision, by, new Date(this.now())))) {
      throw new NotFoundError(`Aucune souscription de ${clientId} à ${api}.`)
    }
    await this.changed(clientId)
    return this.application(clientId)
  }

  /** Replaces the secret; every token issued with the old one stops working at once. */
  async rotateSecret(clientId: string): Promise<Credentials> {
    const application = await this.application(clientId)
    if (application.status === 'revoked') throw new ConflictError('Cette application est révoquée.')
    const secret = newSecret()
    await this.repository.replaceSecret(clientId, await hashSecret(secret), new Date(this.now()))
    await this.changed(clientId)
    return { client_id: clientId, client_secret: secret }
  }

  /** Revokes an application for good: its secret and tokens stop working at once, on every node. */
  async revoke(clientId: string): Promise<Application> {
    if (!(await this.repository.revokeApplication(clientId, new Date(this.now())))) {
      throw new NotFoundError(`Application inconnue : ${clientId}`)
    }
    await this.changed(clientId)
    return this.application(clientId)
  }

  /** Sets the client's calls per second on each API (null: back to the default). */
  async setRateLimit(clientId: string, perSecond: number | null): Promise<Application> {
    if (perSecond !== null && (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > 100_000)) {
      throw new InvalidArgumentError('La limite doit être un entier de 1 à 100000 appels par seconde.')
    }
    if (!(await this.repository.setRate(clientId, perSecond))) throw new NotFoundError(`Application inconnue : ${clientId}`)
    await this.changed(clientId)
    return this.application(clientId)
  }

  // OAuth2 ---------------------------------------------------------------------------------

  /**
   * Authenticates a client by its secret; undefined when unknown, revoked or wrong (indistinguishably,
   * in time too: a wrong secret always costs one scrypt, whether the client id exists or not).
   */
  async authenticate(clientId: string, secret: string): Promise<Application | undefined> {
    const stored = await this.repository.application(clientId)
    const digest = tokenDigest(secret)
    const known = this.verifiedSecrets.get(clientId)
    let valid: boolean
    // The cached digest only spares scrypt to the right secret. Failing a wrong one on it would be
    // fast for known ids only (an unknown id always pays scrypt on the decoy), telling which exist.
    if (stored && known !== undefined && safeEqual(known, digest)) {
      valid = true
    } else {
      const generation = this.generation
      valid = await this.verifySecret(secret, stored?.secretHash ?? DECOY_HASH)
      if (valid && stored && generation === this.generation && this.events.live) this.verifiedSecrets.set(clientId, digest)
    }
    if (!stored || !valid || stored.status !== 'active') return undefined
    return publicApplication(stored)
  }

  /** The scopes an application holds now: those of its granted APIs, and `application_<client_id>`. */
  scopesOf(application: Pick<Application, 'clientId' | 'subscriptions'>): string[] {
    const scopes = [`application_${application.clientId}`]
    for (const subscription of application.subscriptions) {
      if (subscription.status !== 'granted') continue
      for (const scope of this.catalogue.get(subscription.api)?.scopes ?? []) {
        if (!scopes.includes(scope)) scopes.push(scope)
      }
    }
    return scopes
  }

  /**
   * The client credentials grant (RFC 6749 §4.4). Granted scopes are those asked for that the
   * client holds (all of its scopes when none is asked for); none at all is `invalid_scope`.
   */
  async issueToken(clientId: string, secret: string, scope: string | undefined): Promise<IssuedToken> {
    const application = await this.authenticate(clientId, secret)
    // A client without any granted API has not accepted any terms yet: the original answers invalid_client.
    if (!application || !application.subscriptions.some((subscription) => subscription.status === 'granted')) {
      throw new OAuthError('invalid_client', 'Client authentication failed')
    }
    const held = this.scopesOf(application)
    const asked = [...new Set((scope ?? '').split(/\s+/).filter((item) => item !== ''))]
    const granted = asked.length === 0 ? held : asked.filter((item) => held.includes(item))
    if (granted.length === 0) {
      throw new OAuthError('invalid_scope', `Unknown/invalid scope(s): [${asked.join(', ')}]${this.whyNotHeld(application, asked)}`)
    }
    const token = newOpaqueToken()
    const issuedAt = this.now()
    const ttl = this.options.tokenTtlSeconds
    await this.repository.insertToken({
      digest: tokenDigest(token),
      clientId,
      scopes: granted.join(' '),
      issuedAt: new Date(issuedAt),
      expiresAt: new Date(issuedAt + ttl * 1000),
    })
    return { scope: granted.join(' '), expires_in: ttl, token_type: 'Bearer', access_token: token }
  }

  /**
   * Why an application does not hold scopes of the catalogue's APIs it asked for, as sentences
   * appended to the `invalid_scope` description (empty for scopes no API has).
   */
  private whyNotHeld(application: Application, asked: readonly string[]): string {
    const reasons: string[] = []
    for (const api of this.catalogue.apis) {
      if (!api.scopes.some((scope) => asked.includes(scope))) continue
      const status = application.subscriptions.find((subscription) => subscription.api === api.id)?.status
      if (status === undefined) reasons.push(`The terms of API ${api.id} are not accepted for this application: accept them on the portal.`)
      else if (status === 'pending') reasons.push(`The terms of API ${api.id} are accepted for this application and await an administrator's approval.`)
      else if (status === 'rejected') reasons.push(`Access to API ${api.id} was refused to this application.`)
    }
    return reasons.length === 0 ? '' : `. ${reasons.join(' ')}`
  }

  /**
   * What a bearer token grants now, or undefined when it is unknown, expired, revoked, or its
   * client is revoked. Scopes of APIs the client no longer holds are dropped.
   */
  async verify(token: string): Promise<TokenGrant | undefined> {
    const digest = tokenDigest(token)
    const now = this.now()
    const cached = this.tokens.get(digest)
    if (cached) {
      if (cached.grant.expiresAt > now) return cached.grant
      this.tokens.delete(digest)
      return undefined
    }
    const generation = this.generation
    const stored = await this.repository.token(digest)
    if (!stored || stored.revoked || !stored.applicationActive || stored.expiresAt.getTime() <= now) return undefined
    const held = new Set(
      this.scopesOf({
        clientId: stored.clientId,
        subscriptions: stored.grantedApis.map((api) => ({ api, status: 'granted' }) as Subscription),
      }),
    )
    const grant: TokenGrant = {
      clientId: stored.clientId,
      applicationName: stored.applicationName,
      scopes: new Set(stored.scopes.split(' ').filter((item) => held.has(item))),
      expiresAt: stored.expiresAt.getTime(),
      ratePerSecond: stored.ratePerSecond ?? this.options.defaultRatePerSecond,
    }
    if (generation === this.generation && this.events.live) {
      if (this.tokens.size >= MAX_CACHED) this.tokens.delete(this.tokens.keys().next().value ?? '')
      this.tokens.set(digest, { grant })
    }
    return grant
  }

  /** RFC 7009: a client revokes one of its own tokens; unknown tokens are not an error. */
  async revokeToken(clientId: string, token: string): Promise<void> {
    if (await this.repository.revokeToken(tokenDigest(token), clientId, new Date(this.now()))) {
      await this.changed(clientId)
    }
  }

  /** RFC 7662: a client asks about one of its own tokens; others' tokens are reported inactive. */
  async introspect(clientId: string, token: string): Promise<Introspection> {
    const grant = await this.verify(token)
    if (!grant || grant.clientId !== clientId) return { active: false }
    return {
      active: true,
      scope: [...grant.scopes].join(' '),
      client_id: grant.clientId,
      token_type: 'Bearer',
      exp: Math.floor(grant.expiresAt / 1000),
    }
  }

  /** Deletes the portal sessions that have expired (what the personal data page promises); run every hour. */
  purgeExpiredSessions(): Promise<number> {
    return this.repository.deleteSessionsExpiredBefore(new Date(this.now()))
  }

  /** Deletes tokens expired for more than a day; run from time to time. */
  purgeExpiredTokens(): Promise<number> {
    return this.repository.deleteTokensExpiredBefore(new Date(this.now() - 24 * 3600 * 1000))
  }
}

function publicAccount(account: StoredAccount): Account {
  const { passwordHash: _omitted, ...rest } = account
  return rest
}

function publicApplication(application: Application & { secretHash?: string }): Application {
  const { secretHash: _omitted, ...rest } = application
  return rest
}
