import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AccessService } from '../../src/domain/access/access.service.js'
import { verifySecret } from '../../src/domain/access/credentials.js'
import { LocalAccessEvents } from '../../src/storage/access-events.js'
import { loadApiCatalogue } from '../../src/storage/api-catalogue.js'
import type { Database } from '../../src/storage/database.js'
import { openMemoryDatabase } from '../support/databases.js'
import { SqlAccessRepository } from '../../src/storage/sql-access.repository.js'
import { SqlAttemptCounter } from '../../src/storage/sql-attempt-counter.js'

/**
 * A wrong secret must cost the same whether the client id exists or not, or timing tells which ids
 * exist. Counted, not timed: the number of scrypt verifications is what the time is made of.
 */
describe('client authentication cost', () => {
  let database: Database
  let access: AccessService
  let scryptCalls = 0

  beforeAll(async () => {
    database = await openMemoryDatabase()
    access = new AccessService({
      repository: new SqlAccessRepository(database.db),
      events: new LocalAccessEvents(),
      catalogue: loadApiCatalogue(),
      tokenTtlSeconds: 1499,
      defaultRatePerSecond: 10,
      signInAttempts: new SqlAttemptCounter(database.db),
      verifySecret: (secret, stored) => {
        scryptCalls++
        return verifySecret(secret, stored)
      },
    })
  })
  afterAll(() => database.close())

  /** scrypt verifications made by `attempts` wrong secrets for one client id. */
  async function wrongSecretCost(clientId: string, attempts: number): Promise<number> {
    const before = scryptCalls
    for (let i = 0; i < attempts; i++) {
      await expect(access.issueToken(clientId, `mauvais-secret-${i}`, undefined)).rejects.toMatchObject({ error: 'invalid_client' })
    }
    return scryptCalls - before
  }

  it('pays the same number of scrypt verifications for a wrong secret, known client id or not', async () => {
    const { credentials } = await access.createClient({ name: 'Connu', ownerEmail: 'connu@exemple.fr', kind: 'entreprise', apis: ['offresdemploiv2'] })
    // The known client has just used its secret on this node: its digest is cached.
    await access.issueToken(credentials.client_id, credentials.client_secret, undefined)
    const unknownId = `PAR_inconnu_${'0'.repeat(64)}`

    const known = await wrongSecretCost(credentials.client_id, 5)
    const unknown = await wrongSecretCost(unknownId, 5)
    expect(known).toBe(unknown)
    expect(unknown).toBe(5)
  })

  it('still spares scrypt to a known client repeating its right secret', async () => {
    const { credentials } = await access.createClient({ name: 'Habitué', ownerEmail: 'habitue@exemple.fr', kind: 'entreprise', apis: ['offresdemploiv2'] })
    const before = scryptCalls
    for (let i = 0; i < 5; i++) await access.issueToken(credentials.client_id, credentials.client_secret, undefined)
    expect(scryptCalls - before).toBe(1)
  })
})
