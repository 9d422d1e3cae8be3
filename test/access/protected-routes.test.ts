import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryRateLimiter } from '../../src/domain/access/rate-limiter.js'
import { REFERENTIAL_NAMES } from '../../src/domain/referentials/referentials.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** RFC 6750 on every protected route, expiry, revocation, rotation, limits, counts and logs. */

const BASE = '/partenaire/offresdemploi/v2'
const OFFRES_ROUTES = ['/offres/search', '/offres/184VWCX', ...REFERENTIAL_NAMES.map((name) => `/referentiel/${name}`)]

/** A clock the tests move by hand. */
function manualClock(start = Date.parse('2026-11-28T10:00:00Z')) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

async function newClient(t: TestApp, apis: string[], perSecond?: number) {
  const { credentials } = await t.access.createClient({
    name: `Client ${apis.join(' ')}`,
    ownerEmail: `client-${Math.random().toString(36).slice(2)}@exemple.fr`,
    kind: 'collectivite',
    apis,
  })
  if (perSecond !== undefined) await t.access.setRateLimit(credentials.client_id, perSecond)
  const issued = await t.access.issueToken(credentials.client_id, credentials.client_secret, undefined)
  return { ...credentials, token: issued.access_token }
}

const call = (t: TestApp, url: string, token?: string) =>
  t.app.inject({ url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })

/** One shared check of the 401/403 rules, run on every protected route. */
async function expectProtected(t: TestApp, url: string, wrongScopeToken: string): Promise<void> {
  const missing = await call(t, url)
  expect(missing.statusCode, `${url} without a token`).toBe(401)
  expect(missing.body).toBe('')
  expect(missing.headers['www-authenticate']).toBe('Bearer realm="/partenaire"')

  const bad = await call(t, url, 'pas-un-jeton-valide')
  expect(bad.statusCode, `${url} with a bad token`).toBe(401)
  expect(bad.body).toBe('')
  expect(bad.headers['www-authenticate']).toMatch(/^Bearer realm="\/partenaire", error="invalid_token"/)

  const malformed = await t.app.inject({ url, headers: { authorization: 'Basic abc' } })
  expect(malformed.statusCode).toBe(401)

  const wrongScope = await call(t, url, wrongScopeToken)
  expect(wrongScope.statusCode, `${url} without the scope`).toBe(403)
  expect(wrongScope.headers['www-authenticate']).toBe(
    'Bearer realm="/partenaire", error="insufficient_scope", scope="api_offresdemploiv2 o2dsoffre"',
  )
  // The original's error body, saying which scopes the token lacks.
  expect(wrongScope.headers['content-type']).toBe('application/json;charset=UTF-8')
  const body = wrongScope.json<{ message: string; codeHttp: number; codeErreur: string }>()
  expect(body).toMatchObject({ message: 'Accès refusé : le jeton n’a pas les scopes api_offresdemploiv2 o2dsoffre requis.', codeHttp: 403 })
  expect(body.codeErreur).toMatch(/^\d+$/)
}

describe('every Offres route needs a token with api_offresdemploiv2 and o2dsoffre', () => {
  let t: TestApp
  let infotravailOnly: string
  beforeAll(async () => {
    t = await createTestApp()
    await t.reload()
    infotravailOnly = (await newClient(t, ['infotravailv1'])).token
  })
  afterAll(() => t.close())

  it.each(OFFRES_ROUTES)('%s', async (route) => {
    await expectProtected(t, `${BASE}${route}`, infotravailOnly)
    const allowed = await t.get(`${BASE}${route}`)
    expect([200, 204, 206]).toContain(allowed.statusCode)
  })

  it('needs both scopes: a token granted only o2dsoffre is refused', async () => {
    const { credentials } = await t.access.createClient({ name: 'Partiel', ownerEmail: 'p@exemple.fr', kind: 'entreprise', apis: ['offresdemploiv2'] })
    const partial = await t.access.issueToken(credentials.client_id, credentials.client_secret, 'o2dsoffre')
    const refused = await call(t, `${BASE}/offres/search`, partial.access_token)
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toMatchObject({ message: 'Accès refusé : le jeton n’a pas le scope api_offresdemploiv2 requis.', codeHttp: 403 })
  })

  it('leaves public routes open', async () => {
    for (const url of ['/health', '/stats', '/catalogue', '/openapi.json']) {
      expect((await t.app.inject(url)).statusCode, url).not.toBe(401)
    }
  })
})

describe('token lifetime, revocation and rotation', () => {
  const clock = manualClock()
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ now: clock.now, tokenTtlSeconds: 1499 })
  })
  afterAll(() => t.close())

  it('a token works until its expiry, not after', async () => {
    const client = await newClient(t, ['offresdemploiv2'])
    const url = `${BASE}/referentiel/permis`
    clock.advance(1498_000)
    expect((await call(t, url, client.token)).statusCode).toBe(200)
    clock.advance(1_000)
    const expired = await call(t, url, client.token)
    expect(expired.statusCode).toBe(401)
    expect(expired.headers['www-authenticate']).toContain('error="invalid_token"')
  })

  it('a revoked client’s tokens stop at once, and it gets no new ones', async () => {
    const client = await newClient(t, ['offresdemploiv2'])
    const url = `${BASE}/referentiel/permis`
    expect((await call(t, url, client.token)).statusCode).toBe(200)
    await t.access.revoke(client.client_id)
    expect((await call(t, url, client.token)).statusCode).toBe(401)
    await expect(t.access.issueToken(client.client_id, client.client_secret, undefined)).rejects.toMatchObject({ error: 'invalid_client' })
  })

  it('rotation: the old secret and its tokens stop working, the new secret works', async () => {
    const client = await newClient(t, ['offresdemploiv2'])
    const url = `${BASE}/referentiel/permis`
    const rotated = await t.access.rotateSecret(client.client_id)
    expect(rotated.client_secret).not.toBe(client.client_secret)
    expect((await call(t, url, client.token)).statusCode).toBe(401)
    await expect(t.access.issueToken(client.client_id, client.client_secret, undefined)).rejects.toMatchObject({ error: 'invalid_client' })
    const fresh = await t.access.issueToken(client.client_id, rotated.client_secret, undefined)
    expect((await call(t, url, fresh.access_token)).statusCode).toBe(200)
  })
})

describe('per-client rate limits', () => {
  const clock = manualClock()
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ now: clock.now, limiter: new MemoryRateLimiter({ now: clock.now }) })
  })
  afterAll(() => t.close())

  it('carries the limit headers on every response, answers 429 over the limit and recovers', async () => {
    const client = await newClient(t, ['offresdemploiv2'])
    const url = `${BASE}/referentiel/permis`
    for (let i = 0; i < 10; i++) {
      const response = await call(t, url, client.token)
      expect(response.statusCode).toBe(200)
      expect(response.headers['x-ratelimit-burst-capacity-clientidlimiter']).toBe('10')
      expect(response.headers['x-ratelimit-remaining-clientidlimiter']).toBe(String(9 - i))
      expect(response.headers['ratelimit-policy']).toBe('"clientidlimiter";q=10;w=1')
    }
    const refused = await call(t, url, client.token)
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['content-type']).toMatch(/^text\/plain/)
    expect(refused.headers['retry-after']).toBe('1')
    expect(refused.headers['cache-control']).toBe('no-store')
    expect(refused.headers['x-ratelimit-remaining-clientidlimiter']).toBe('0')
    clock.advance(1000)
    expect((await call(t, url, client.token)).statusCode).toBe(200)
  })

  it('applies a client’s own limit, and keeps clients apart', async () => {
    const slow = await newClient(t, ['offresdemploiv2'], 2)
    const other = await newClient(t, ['offresdemploiv2'])
    const url = `${BASE}/referentiel/permis`
    expect((await call(t, url, slow.token)).statusCode).toBe(200)
    expect((await call(t, url, slow.token)).statusCode).toBe(200)
    const refused = await call(t, url, slow.token)
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['x-ratelimit-burst-capacity-clientidlimiter']).toBe('2')
    expect((await call(t, url, other.token)).statusCode).toBe(200)
  })
})

describe('call accounting and the published counts', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  it('/stats counts exactly the calls made, per API and day', async () => {
    const before = (await t.app.inject('/stats')).json<{ apis: { id: string; stat: { value: number } }[] }>()
    const offresBefore = before.apis.find((api) => api.id === 'offresdemploiv2')?.stat.value ?? -1
    const client = await newClient(t, ['offresdemploiv2'])
    for (let i = 0; i < 7; i++) await call(t, `${BASE}/referentiel/langues`, client.token)
    await call(t, `${BASE}/offres/search`, client.token)
    await call(t, `${BASE}/referentiel/langues`) // no token: no client to count
    const stats = (await t.app.inject('/stats?jours=7')).json<{
      apis: { id: string; titre: string; stat: { label: string; value: number; lastXdays: number; series: { date: string; value: number }[] } }[]
    }>()
    const offres = stats.apis.find((api) => api.id === 'offresdemploiv2')
    expect(offres?.stat.label).toBe('Appels')
    expect(offres?.stat.lastXdays).toBe(7)
    expect(offres?.stat.series).toHaveLength(7)
    expect(offres?.stat.value).toBe(offresBefore + 8)
    expect(offres?.stat.series.at(-1)?.date).toBe(new Date().toISOString().slice(0, 10))
    expect(stats.apis.find((api) => api.id === 'infotravailv1')?.stat.value).toBe(0)
    const own = await t.usage.clientDaily(client.client_id, '2000-01-01')
    expect(own).toEqual([{ api: 'offresdemploiv2', day: new Date().toISOString().slice(0, 10), calls: 8 }])
  })

  it('/catalogue describes every API with its stat block', async () => {
    const catalogue = (await t.app.inject('/catalogue')).json<{ apis: Record<string, unknown>[] }>()
    expect(catalogue.apis.map((api) => api.id)).toEqual(['offresdemploiv2', 'infotravailv1', 'depotoffresv1'])
    for (const api of catalogue.apis) {
      for (const key of ['titre', 'accroche', 'proprietaire', 'categorie', 'contrat', 'contact', 'lienDocumentation', 'lienAcces', 'lienStat', 'typesClients', 'partenaires', 'motsCles', 'stat']) {
        expect(api, `${String(api.id)}.${key}`).toHaveProperty(key)
      }
      expect(['particulier', 'entreprise', 'collectivite', 'ministere']).toEqual(expect.arrayContaining(api.typesClients as string[]))
    }
  })

  it('rejects a bad number of days', async () => {
    expect((await t.app.inject('/stats?jours=0')).statusCode).toBe(400)
    expect((await t.app.inject('/stats?jours=abc')).statusCode).toBe(400)
  })
})

describe('secrets never reach the logs', () => {
  it('logs neither client secrets, tokens nor authorization headers', async () => {
    let logs = ''
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs += chunk.toString()
        done()
      },
    })
    const t = await createTestApp({ logger: pino({ level: 'trace' }, sink) })
    try {
      const client = await newClient(t, ['offresdemploiv2'])
      const response = await t.app.inject({
        method: 'POST',
        url: '/connexion/oauth2/access_token?realm=%2Fpartenaire',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'client_credentials', ...client, scope: 'api_offresdemploiv2 o2dsoffre' }).toString(),
      })
      const issued = response.json<{ access_token: string }>().access_token
      await call(t, `${BASE}/offres/search?motsCles=infirmier`, issued)
      await call(t, `${BASE}/offres/search`, 'jeton-faux')
      expect(logs).toContain('/partenaire/offresdemploi/v2/offres/search')
      for (const secret of [client.client_secret, client.token, issued]) expect(logs).not.toContain(secret)
      expect(logs.toLowerCase()).not.toContain('bearer')
    } finally {
      await t.close()
    }
  })
})
