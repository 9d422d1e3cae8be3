import { randomBytes, randomUUID } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AccessService } from '../../src/domain/access/access.service.js'
import { MemoryRateLimiter } from '../../src/domain/access/rate-limiter.js'
import type { AttemptCounter } from '../../src/domain/access/sign-in-throttle.js'
import { OffresService } from '../../src/domain/offers/offres.service.js'
import { UsageRecorder } from '../../src/domain/usage/usage.js'
import { buildApp } from '../../src/http/build-app.js'
import { CsrfTokens } from '../../src/http/portal/csrf.js'
import { LocalAccessEvents } from '../../src/storage/access-events.js'
import { loadApiCatalogue } from '../../src/storage/api-catalogue.js'
import { openDatabase, type Database } from '../../src/storage/database.js'
import { RedisAttemptCounter } from '../../src/storage/redis-attempt-counter.js'
import { SqlAccessRepository } from '../../src/storage/sql-access.repository.js'
import { SqlAttemptCounter } from '../../src/storage/sql-attempt-counter.js'
import { SqlUsageRepository } from '../../src/storage/sql-usage.repository.js'
import { createPostgresSchema, openMemoryDatabase } from '../support/databases.js'
import { testReferentials } from '../support/test-app.js'

/**
 * Portal sign-in throttling as browsers see it, on two nodes of one store: failures are counted
 * per client address and account and per client address, wherever they were made.
 */

const catalogue = loadApiCatalogue()
const csrf = new CsrfTokens()
const PASSWORD = 'le-bon-mot-de-passe'

interface Node {
  readonly access: AccessService
  readonly app: FastifyInstance
  close(): Promise<void>
}

/** One node: its own services and HTTP application over the given store and attempt counter. */
async function startNode(database: Database, attempts: AttemptCounter, trustProxy?: string): Promise<Node> {
  const access = new AccessService({
    repository: new SqlAccessRepository(database.db),
    events: new LocalAccessEvents(),
    catalogue,
    tokenTtlSeconds: 1499,
    defaultRatePerSecond: 10,
    signInAttempts: attempts,
  })
  const usage = new SqlUsageRepository(database.db)
  const recorder = new UsageRecorder(usage)
  const app = await buildApp({
    offres: new OffresService(),
    referentials: testReferentials(),
    access: { service: access, limiter: new MemoryRateLimiter(), recorder, usage, defaultRatePerSecond: 10 },
    logLevel: 'silent',
    trustProxy,
  })
  return {
    access,
    app,
    async close() {
      await app.close()
      await recorder.close()
      await attempts.close()
    },
  }
}

/** Posts the sign-in form as a fresh browser at `address` would (with its visitor cookie and form token). */
function signIn(node: Node, email: string, password: string, address: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const visitor = randomBytes(32).toString('base64url')
  return node.app.inject({
    method: 'POST',
    url: '/portail/connexion',
    remoteAddress: address,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: `openemploi_visiteur=${visitor}` },
    payload: new URLSearchParams({ csrf: csrf.token(`visiteur:${visitor}`), email, password }).toString(),
  })
}

/** How two nodes share a store (and maybe Redis) in each variant. */
interface Variant {
  readonly name: string
  readonly skip: boolean
  start(): Promise<{ nodes: [Node, Node]; close: () => Promise<void> }>
}

async function onOneStore(database: Database, counters: () => AttemptCounter): Promise<[Node, Node]> {
  return [await startNode(database, counters()), await startNode(database, counters())]
}

const redisUrl = process.env.TEST_REDIS_URL
const databaseUrl = process.env.TEST_DATABASE_URL

const VARIANTS: Variant[] = [
  {
    name: 'the embedded store',
    skip: false,
    async start() {
      const database = await openMemoryDatabase()
      const nodes = await onOneStore(database, () => new SqlAttemptCounter(database.db))
      return { nodes, close: () => database.close() }
    },
  },
  {
    name: 'PostgreSQL without Redis',
    skip: !databaseUrl,
    async start() {
      const schema = await createPostgresSchema(databaseUrl ?? '')
      // Each node has its own connections to the one database, as two processes would.
      const first = await openDatabase({ url: schema.url, dataDir: 'unused' })
      const second = await openDatabase({ url: schema.url, dataDir: 'unused' })
      const nodes: [Node, Node] = [
        await startNode(first, new SqlAttemptCounter(first.db)),
        await startNode(second, new SqlAttemptCounter(second.db)),
      ]
      return {
        nodes,
        async close() {
          await first.close()
          await second.close()
          await schema.drop()
        },
      }
    },
  },
  {
    name: 'Redis',
    skip: !redisUrl,
    async start() {
      const database = await openMemoryDatabase()
      // A prefix of this run's own keeps parallel runs on the shared Redis apart; keys expire with their windows.
      const prefix = `openemploi:test:${randomUUID()}:`
      const nodes = await onOneStore(
        database,
        () =>
          new RedisAttemptCounter(redisUrl ?? '', {
            // Bounds a hang: a loaded machine may take more than a second to connect.
            timeoutMs: 5_000,
            prefix,
            fallback: new SqlAttemptCounter(database.db),
            onError: (error) => expect.unreachable(String(error)),
          }),
      )
      return { nodes, close: () => database.close() }
    },
  },
]

for (const variant of VARIANTS) {
  describe.skipIf(variant.skip)(`portal sign-in throttling on two nodes, counted in ${variant.name}`, () => {
    let nodes: [Node, Node]
    let close: () => Promise<void>
    beforeAll(async () => {
      ;({ nodes, close } = await variant.start())
      await nodes[0].access.createAccount({ email: 'cible@exemple.fr', name: 'Cible', kind: 'particulier', password: PASSWORD })
    })
    afterAll(async () => {
      for (const node of nodes) await node.close()
      await close()
    })

    it('refuses the right password on the other node once an address has failed 5 times on the account', async () => {
      const stranger = '203.0.113.7'
      const firstAttempt = Date.now()
      for (let i = 0; i < 5; i++) {
        const failed = await signIn(nodes[i % 2] as Node, 'cible@exemple.fr', `essai-${i}-incorrect`, stranger)
        expect(failed.statusCode).toBe(400)
        expect(failed.body).toContain('Adresse électronique ou mot de passe incorrect.')
      }
      const refused = await signIn(nodes[1], 'cible@exemple.fr', PASSWORD, stranger)
      expect(refused.statusCode).toBe(429)
      // Until the first failure leaves the 15-minute window: 900 s less the time the attempts took.
      const retryAfter = Number(refused.headers['retry-after'])
      expect(retryAfter).toBeLessThanOrEqual(900)
      expect(retryAfter).toBeGreaterThanOrEqual(900 - Math.ceil((Date.now() - firstAttempt) / 1000))
      expect(refused.body).toContain(
        'Trop de tentatives de connexion à ce compte depuis votre adresse IP (5 échecs en 15 minutes) : réessayez dans 15 minutes.',
      )
      expect(refused.headers['set-cookie']).toBeUndefined()
    })

    it('lets the owner sign in from their own address meanwhile', async () => {
      for (const node of nodes) {
        const signed = await signIn(node, 'cible@exemple.fr', PASSWORD, '198.51.100.20')
        expect(signed.statusCode).toBe(303)
        expect(signed.headers.location).toBe('/portail/applications')
      }
    })

    it('refuses an address that failed on 30 different e-mails, on both nodes', async () => {
      const sprayer = '192.0.2.66'
      for (let i = 0; i < 30; i++) {
        expect((await signIn(nodes[i % 2] as Node, `victime-${i}@exemple.fr`, 'mot-de-passe-courant', sprayer)).statusCode).toBe(400)
      }
      for (const node of nodes) {
        const refused = await signIn(node, 'cible@exemple.fr', PASSWORD, sprayer)
        expect(refused.statusCode).toBe(429)
        expect(refused.body).toContain(
          'Trop de tentatives de connexion depuis votre adresse IP (30 échecs en 15 minutes, tous comptes confondus) : réessayez dans 15 minutes.',
        )
      }
    })
  })
}

describe('the client address of sign-in throttling', () => {
  let database: Database
  let direct: Node
  let proxied: Node
  beforeAll(async () => {
    database = await openMemoryDatabase()
    direct = await startNode(database, new SqlAttemptCounter(database.db))
    proxied = await startNode(database, new SqlAttemptCounter(database.db), '127.0.0.1, ::1')
    await direct.access.createAccount({ email: 'cible@exemple.fr', name: 'Cible', kind: 'particulier', password: PASSWORD })
  })
  afterAll(async () => {
    await direct.close()
    await proxied.close()
    await database.close()
  })

  it('ignores X-Forwarded-For unless the peer is a configured proxy', async () => {
    const attacker = '203.0.113.9'
    // Forged headers from a direct client change nothing: the attacker's own address is counted.
    for (let i = 0; i < 5; i++) {
      const forged = { 'x-forwarded-for': `198.51.100.${i + 1}` }
      expect((await signIn(direct, 'cible@exemple.fr', `essai-${i}`, attacker, forged)).statusCode).toBe(400)
    }
    expect((await signIn(direct, 'cible@exemple.fr', PASSWORD, attacker, { 'x-forwarded-for': '198.51.100.77' })).statusCode).toBe(429)
    // Behind the trusted proxy, the address it forwards is the client's.
    expect((await signIn(proxied, 'cible@exemple.fr', PASSWORD, '127.0.0.1', { 'x-forwarded-for': attacker })).statusCode).toBe(429)
    expect((await signIn(proxied, 'cible@exemple.fr', PASSWORD, '127.0.0.1', { 'x-forwarded-for': `${attacker}, 198.51.100.78` })).statusCode).toBe(303)
    // A client in front of the proxy cannot claim another address: only the proxy's own entry is believed.
    expect((await signIn(proxied, 'cible@exemple.fr', PASSWORD, '127.0.0.1', { 'x-forwarded-for': `198.51.100.79, ${attacker}` })).statusCode).toBe(429)
  })
})
