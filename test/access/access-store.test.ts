import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AccessService, OPERATOR } from '../../src/domain/access/access.service.js'
import { LocalAccessEvents, PgAccessEvents } from '../../src/storage/access-events.js'
import { loadApiCatalogue } from '../../src/storage/api-catalogue.js'
import { SqlAccessRepository } from '../../src/storage/sql-access.repository.js'
import { SqlAttemptCounter } from '../../src/storage/sql-attempt-counter.js'
import { SqlUsageRepository } from '../../src/storage/sql-usage.repository.js'
import { testDatabases } from '../support/databases.js'

/** The access store on every database, a restricted API, and revocation across nodes. */

const shipped = loadApiCatalogue()

for (const store of testDatabases()) {
  describe(`access store on ${store.name}`, () => {
    let database: Awaited<ReturnType<typeof store.open>>
    let access: AccessService
    /** The service on this store, its clock `now` when given. */
    const service = (now?: () => number) =>
      new AccessService({
        repository: new SqlAccessRepository(database.db),
        events: new LocalAccessEvents(),
        // The shipped catalogue has a restricted API: the deposit of offers.
        catalogue: shipped,
        tokenTtlSeconds: 1499,
        defaultRatePerSecond: 10,
        signInAttempts: new SqlAttemptCounter(database.db, now),
        ...(now ? { now } : {}),
      })
    beforeAll(async () => {
      database = await store.open()
      access = service()
    })
    afterAll(() => database.drop())

    it('keeps accounts unique by e-mail and checks passwords', async () => {
      const account = await access.createAccount({ email: 'Ana@Exemple.fr', name: 'Ana', kind: 'particulier', password: 'motdepasse-solide' })
      expect(account.email).toBe('ana@exemple.fr')
      expect(account).not.toHaveProperty('passwordHash')
      await expect(access.createAccount({ email: 'ana@exemple.fr', name: 'Autre', kind: 'particulier' })).rejects.toMatchObject({ code: 'CONFLICT' })
      await expect(access.createAccount({ email: 'pas-un-email', name: 'X', kind: 'particulier', password: 'court' })).rejects.toThrow(
        /Adresse électronique invalide\. .*au moins 10 caractères/,
      )
      const accented = await access.createAccount({ email: 'dsi@mairie.fr', name: 'Mairie', kind: 'Collectivité' })
      expect(accented.kind).toBe('collectivite')
      await expect(access.createAccount({ email: 'x@asso.fr', name: 'Asso', kind: 'association' })).rejects.toThrow(/Type d’organisation invalide/)
      // An owner known already: the kind given is still checked (the CLI and /admin pass one).
      await expect(
        access.createClient({ name: 'App', ownerEmail: 'dsi@mairie.fr', kind: 'startup', apis: ['offresdemploiv2'] }),
      ).rejects.toThrow('Type d’organisation invalide : particulier, entreprise, collectivite, ministere attendu.')
      expect(await access.signIn('ana@exemple.fr', 'mauvais-mot-de-passe', '192.0.2.1')).toBeUndefined()
      const signedIn = await access.signIn('ANA@exemple.fr ', 'motdepasse-solide', '192.0.2.1')
      expect(signedIn?.account.id).toBe(account.id)
      expect(await access.sessionAccount(signedIn?.session ?? '')).toMatchObject({ id: account.id })
      await access.signOut(signedIn?.session ?? '')
      expect(await access.sessionAccount(signedIn?.session ?? '')).toBeUndefined()
    })

    it('keeps a session’s flash for one read, sealed, for that session and subject only, a few minutes at most', async () => {
      let now = Date.now()
      const timed = service(() => now)
      await timed.createAccount({ email: 'flash@exemple.fr', name: 'Flash', kind: 'particulier', password: 'motdepasse-solide' })
      const first = (await timed.signIn('flash@exemple.fr', 'motdepasse-solide', '192.0.2.9'))?.session ?? ''
      const second = (await timed.signIn('flash@exemple.fr', 'motdepasse-solide', '192.0.2.9'))?.session ?? ''
      const secret = randomBytes(32).toString('hex')
      await timed.putFlash(first, 'PAR_a', secret)
      // The store holds it sealed: the secret is nowhere in the row.
      const rows = await database.db.selectFrom('portal_flashes').select(['subject', 'sealed']).execute()
      expect(rows.map((row) => row.subject)).toEqual(['PAR_a'])
      expect(rows[0]?.sealed).not.toContain(secret)
      expect(await timed.takeFlash(second, 'PAR_a')).toBeUndefined()
      expect(await timed.takeFlash(first, 'PAR_b')).toBeUndefined()
      expect(await timed.takeFlash(first, 'PAR_a')).toBe(secret)
      expect(await timed.takeFlash(first, 'PAR_a')).toBeUndefined()

      await timed.putFlash(first, 'PAR_a', 'expire')
      now += 301_000
      expect(await timed.takeFlash(first, 'PAR_a')).toBeUndefined()
      now -= 301_000

      await timed.putFlash(first, 'PAR_a', 'avant')
      await timed.putFlash(first, 'PAR_a', 'après')
      await timed.putFlash(second, 'PAR_a', 'autre session')
      expect(await timed.takeFlash(first, 'PAR_a')).toBe('après')
      // Signing out takes the session's flashes with it.
      await timed.signOut(second)
      expect(await database.db.selectFrom('portal_flashes').select('subject').execute()).toEqual([])

      // An expired session is purged, its flash with it; a live one stays.
      await timed.putFlash(first, 'PAR_a', 'encore')
      const third = (await timed.signIn('flash@exemple.fr', 'motdepasse-solide', '192.0.2.9'))?.session ?? ''
      now += 8 * 3600 * 1000 + 1000
      const fourth = (await timed.signIn('flash@exemple.fr', 'motdepasse-solide', '192.0.2.9'))?.session ?? ''
      expect(await timed.purgeExpiredSessions()).toBeGreaterThanOrEqual(2)
      expect(await timed.sessionAccount(fourth)).toMatchObject({ email: 'flash@exemple.fr' })
      expect(await timed.sessionAccount(third)).toBeUndefined()
      expect(await database.db.selectFrom('portal_flashes').select('subject').execute()).toEqual([])
    })

    describe('sign-in throttling', () => {
      let now = Date.now()
      let guarded: AccessService
      beforeAll(async () => {
        guarded = service(() => now)
        await guarded.createAccount({ email: 'cible@exemple.fr', name: 'Cible', kind: 'particulier', password: 'le-bon-mot-de-passe' })
      })

      it('refuses an address for 15 minutes after 5 failures on one account, without locking the owner out elsewhere', async () => {
        const stranger = '203.0.113.7'
        for (let i = 0; i < 5; i++) expect(await guarded.signIn('cible@exemple.fr', `essai-${i}-incorrect`, stranger)).toBeUndefined()
        await expect(guarded.signIn('Cible@exemple.fr', 'le-bon-mot-de-passe', stranger)).rejects.toMatchObject({
          code: 'TOO_MANY_ATTEMPTS',
          message: 'Trop de tentatives de connexion à ce compte depuis votre adresse IP (5 échecs en 15 minutes) : réessayez dans 15 minutes.',
          retryAfterSeconds: 900,
        })
        // The owner, from their own address, is not concerned by the stranger's failures.
        expect(await guarded.signIn('cible@exemple.fr', 'le-bon-mot-de-passe', '198.51.100.20')).toMatchObject({ account: { email: 'cible@exemple.fr' } })
        now += 10 * 60_000
        await expect(guarded.signIn('cible@exemple.fr', 'le-bon-mot-de-passe', stranger)).rejects.toMatchObject({ retryAfterSeconds: 300 })
        now += 5 * 60_000
        expect(await guarded.signIn('cible@exemple.fr', 'le-bon-mot-de-passe', stranger)).toMatchObject({ account: { email: 'cible@exemple.fr' } })
      })

      it('refuses an address after 30 failures on any accounts, and counts an IPv6 subscriber by its /64', async () => {
        for (let i = 0; i < 30; i++) {
          // Every attempt from another address of the same /64.
          expect(await guarded.signIn(`inconnu-${i}@exemple.fr`, 'mauvais-mot-de-passe', `2001:db8:1:2::${(i + 1).toString(16)}`)).toBeUndefined()
        }
        await expect(guarded.signIn('cible@exemple.fr', 'le-bon-mot-de-passe', '2001:db8:1:2:ffff::1')).rejects.toMatchObject({
          message: 'Trop de tentatives de connexion depuis votre adresse IP (30 échecs en 15 minutes, tous comptes confondus) : réessayez dans 15 minutes.',
        })
        expect(await guarded.signIn('cible@exemple.fr', 'le-bon-mot-de-passe', '2001:db8:1:3::1')).toMatchObject({ account: { email: 'cible@exemple.fr' } })
      })

      it('does not count right passwords against an address (colleagues behind one address)', async () => {
        const office = '192.0.2.50'
        for (let i = 0; i < 31; i++) expect(await guarded.signIn('cible@exemple.fr', 'le-bon-mot-de-passe', office)).toBeDefined()
        // A success forgets the account's failures from that address: 4 + 4 failures, no refusal.
        for (let round = 0; round < 2; round++) {
          for (let i = 0; i < 4; i++) expect(await guarded.signIn('cible@exemple.fr', 'pas-le-bon', office)).toBeUndefined()
          expect(await guarded.signIn('cible@exemple.fr', 'le-bon-mot-de-passe', office)).toBeDefined()
        }
      })
    })

    it('records who accepted which terms when; a restricted API waits for approval', async () => {
      const owner = await access.createAccount({ email: 'recruteur@exemple.fr', name: 'Recruteur', kind: 'entreprise' })
      const { credentials } = await access.createApplication(owner.id, 'Dépôt')
      await expect(access.acceptTerms(credentials.client_id, 'offresdemploiv2', '0.9', owner.id)).rejects.toThrow(/version 1\.0/)
      const granted = await access.acceptTerms(credentials.client_id, 'offresdemploiv2', '1.0', owner.id)
      expect(granted).toMatchObject({ status: 'granted', acceptedBy: owner.id, termsVersion: '1.0' })
      const pending = await access.acceptTerms(credentials.client_id, 'depotoffresv1', '1.0', owner.id)
      expect(pending.status).toBe('pending')
      const before = await access.issueToken(credentials.client_id, credentials.client_secret, 'api_depotoffresv1 api_offresdemploiv2')
      expect(before.scope).toBe('api_offresdemploiv2')
      const approved = await access.decide(credentials.client_id, 'depotoffresv1', 'granted', OPERATOR)
      expect(approved.subscriptions.find((item) => item.api === 'depotoffresv1')).toMatchObject({ status: 'granted', decidedBy: OPERATOR })
      const after = await access.issueToken(credentials.client_id, credentials.client_secret, 'api_depotoffresv1')
      expect(after.scope).toBe('api_depotoffresv1')
      // Withdrawing an API drops its scope from tokens already issued.
      await access.decide(credentials.client_id, 'depotoffresv1', 'rejected', OPERATOR)
      expect(await access.verify(after.access_token)).toMatchObject({ scopes: new Set() })
    })

    it('stores secrets hashed and client ids shaped like the original’s', async () => {
      const { credentials } = await access.createClient({ name: 'Été Jeunes 2026', ownerEmail: 'rh@exemple.fr', kind: 'ministere', apis: ['offresdemploiv2'] })
      expect(credentials.client_id).toMatch(/^PAR_etejeunes2026_[0-9a-f]{64}$/)
      const row = await database.db.selectFrom('applications').select('secret_hash').where('client_id', '=', credentials.client_id).executeTakeFirstOrThrow()
      expect(row.secret_hash).toMatch(/^scrypt\$16384\$8\$1\$/)
      expect(row.secret_hash).not.toContain(credentials.client_secret)
      const token = await access.issueToken(credentials.client_id, credentials.client_secret, undefined)
      const stored = await database.db.selectFrom('access_tokens').select('token_hash').execute()
      expect(stored.map((item) => item.token_hash)).not.toContain(token.access_token)
    })

    it('adds call counts up', async () => {
      const usage = new SqlUsageRepository(database.db)
      const count = { day: '2026-11-27', clientId: 'PAR_x', api: 'offresdemploiv2', route: '/offres/search', status: 200, calls: 3 }
      await usage.add([count, { ...count, status: 429, calls: 1 }])
      await usage.add([{ ...count, calls: 2 }, { ...count, day: '2026-11-28', calls: 4 }])
      expect(await usage.apiDaily('offresdemploiv2', '2026-11-01')).toEqual([
        { day: '2026-11-27', calls: 6 },
        { day: '2026-11-28', calls: 4 },
      ])
      expect(await usage.clientDaily('PAR_x', '2026-11-28')).toEqual([{ api: 'offresdemploiv2', day: '2026-11-28', calls: 4 }])
    })
  })
}

const databaseUrl = process.env.TEST_DATABASE_URL
// Two nodes need a server that both can reach: runs where TEST_DATABASE_URL names one (.ci/run sets it).
describe.skipIf(!databaseUrl)('revocation across nodes on PostgreSQL', () => {
  it('a client revoked on one node is refused by the other at once', async () => {
    const store = testDatabases().find((item) => item.name === 'PostgreSQL')
    if (!store || !databaseUrl) throw new Error('TEST_DATABASE_URL is set but no PostgreSQL store')
    const database = await store.open()
    const channels = [await PgAccessEvents.open(databaseUrl, () => undefined), await PgAccessEvents.open(databaseUrl, () => undefined)]
    const [a, b] = channels.map(
      (events) =>
        new AccessService({
          repository: new SqlAccessRepository(database.db),
          events,
          catalogue: shipped,
          tokenTtlSeconds: 1499,
          defaultRatePerSecond: 10,
          signInAttempts: new SqlAttemptCounter(database.db),
        }),
    ) as [AccessService, AccessService]
    try {
      const { credentials } = await a.createClient({
        name: 'Deux noeuds',
        ownerEmail: `n-${randomBytes(4).toString('hex')}@exemple.fr`,
        kind: 'entreprise',
        apis: ['offresdemploiv2'],
      })
      const { access_token: token } = await a.issueToken(credentials.client_id, credentials.client_secret, undefined)
      // Node B verifies and caches the token before the revocation.
      expect(await b.verify(token)).toMatchObject({ clientId: credentials.client_id })
      expect(await b.verify(token)).toMatchObject({ clientId: credentials.client_id })
      await a.revoke(credentials.client_id)
      let refused = false
      for (let attempt = 0; attempt < 50 && !refused; attempt++) {
        refused = (await b.verify(token)) === undefined
        if (!refused) await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(refused).toBe(true)
    } finally {
      for (const events of channels) await events.close()
      await database.drop()
    }
  })
})
