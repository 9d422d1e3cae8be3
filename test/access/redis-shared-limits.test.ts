import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/http/build-app.js'
import { RedisRateLimiter } from '../../src/storage/redis-rate-limiter.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

const url = process.env.TEST_REDIS_URL ?? ''

// Needs a real Redis, which a plain `npm test` may not have; `.ci/run` sets TEST_REDIS_URL=redis://127.0.0.1:6379.
describe.skipIf(!url)('one client’s limit shared by two app instances through Redis', () => {
  const prefix = `openemploi:test:${randomUUID()}:`
  let limiters: RedisRateLimiter[] = []
  let t: TestApp
  let second: Awaited<ReturnType<typeof buildApp>>

  beforeAll(async () => {
    // Built here, not while the suite is collected: a skipped suite must not connect anywhere.
    // The timeout bounds a hang; a loaded machine may take more than the default for a command.
    limiters = [0, 1].map(() => new RedisRateLimiter(url, { onError: (error) => expect.unreachable(String(error)), prefix, timeoutMs: 5000 }))
    for (const limiter of limiters) expect(await limiter.ready()).toBe(true)
    t = await createTestApp({ limiter: limiters[0] })
    second = await buildApp({
      offres: t.offres,
      referentials: t.referentials,
      logLevel: 'silent',
      access: { service: t.access, limiter: limiters[1] as RedisRateLimiter, recorder: t.recorder, usage: t.usage, defaultRatePerSecond: 10 },
    })
  })
  afterAll(async () => {
    await second.close()
    await t.close()
    for (const limiter of limiters) await limiter.close()
  })

  it('allows the client’s calls per second in all, whichever instance answers', async () => {
    const { credentials } = await t.access.createClient({ name: 'Partagé', ownerEmail: 'shared@exemple.fr', kind: 'entreprise', apis: ['offresdemploiv2'] })
    // A low limit keeps the test independent of the machine's speed: refilling one call takes 250 ms.
    await t.access.setRateLimit(credentials.client_id, 4)
    const { access_token: token } = await t.access.issueToken(credentials.client_id, credentials.client_secret, undefined)
    const apps = [t.app, second]
    const call = (i: number) =>
      (apps[i % 2] ?? t.app).inject({ url: '/partenaire/offresdemploi/v2/referentiel/permis', headers: { authorization: `Bearer ${token}` } })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await call(i)).statusCode)
    expect(statuses).toEqual([200, 200, 200, 200])
    const refused = [await call(0), await call(1)]
    expect(refused.map((response) => response.statusCode)).toEqual([429, 429])
    expect(refused[1]?.headers['retry-after']).toBe('1')
  })
})
