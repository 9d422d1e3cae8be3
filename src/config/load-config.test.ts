import { describe, expect, it } from 'vitest'
import { ConfigError } from '../shared/errors.js'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGES } from '../datasets/packages/index.js'
import { DATASET_NAMES } from './config.schema.js'
import { loadConfig, loadStoreConfig } from './load-config.js'

describe('loadConfig', () => {
  it('applies the defaults', () => {
    expect(loadConfig({})).toEqual({
      PORT: 8080,
      HOST: '127.0.0.1',
      DATA_DIR: './var',
      LOG_LEVEL: 'info',
      LOG_HEALTH_PROBES: false,
      DEMO_OFFERS: 20000,
      TOKEN_TTL_SECONDS: 1499,
      RATE_LIMIT_PER_SECOND: 10,
      RATE_LIMIT_REDIS_TIMEOUT_MS: 250,
      OFFER_TTL_DAYS: 60,
      FEED_RETENTION_DAYS: 30,
      INFOTRAVAIL_PUBLIC: false,
      DATASETS: 'all',
      DATASTORE_SQL_TIMEOUT_MS: 2000,
      DATASTORE_SQL_MAX_BYTES: 16_777_216,
    })
  })

  it('reads the operator’s details for the portal’s legal pages', () => {
    expect(
      loadConfig({
        OPERATOR_NAME: 'Région Exemple',
        OPERATOR_ADDRESS: '1 place de la Région, 33000 Bordeaux',
        OPERATOR_CONTACT: 'https://region-exemple.fr/contact',
        OPERATOR_PUBLICATION_DIRECTOR: 'Camille Martin',
        OPERATOR_HOST: 'Hébergeur SAS, Lille',
      }),
    ).toMatchObject({
      OPERATOR_NAME: 'Région Exemple',
      OPERATOR_ADDRESS: '1 place de la Région, 33000 Bordeaux',
      OPERATOR_CONTACT: 'https://region-exemple.fr/contact',
      OPERATOR_PUBLICATION_DIRECTOR: 'Camille Martin',
      OPERATOR_HOST: 'Hébergeur SAS, Lille',
    })
    expect(() => loadConfig({ OPERATOR_NAME: 'x'.repeat(301) })).toThrow(/OPERATOR_NAME/)
  })

  it('reads the Infotravail settings and refuses a malformed package list', () => {
    expect(loadConfig({ INFOTRAVAIL_PUBLIC: 'true', DATASETS: 'rome,bmo', DATASTORE_SQL_TIMEOUT_MS: '500' })).toMatchObject({
      INFOTRAVAIL_PUBLIC: true,
      DATASETS: 'rome,bmo',
      DATASTORE_SQL_TIMEOUT_MS: 500,
    })
    expect(() => loadConfig({ DATASETS: 'rome; drop' })).toThrow(/DATASETS="rome; drop"/)
  })

  it('refuses names of DATASETS that are not shipped packages, naming them and the known ones', () => {
    expect(DATASET_NAMES).toEqual(PACKAGES.map((pkg) => pkg.name))
    expect(() => loadConfig({ DATASETS: 'rome,nope' })).toThrow(
      'DATASETS="rome,nope": unknown packages nope (known: rome, bmo, agences, imt, statistiques, offres)',
    )
  })

  it('proves for a command opening the store that DATA_DIR can hold one, leaving nothing behind', () => {
    const folder = mkdtempSync(join(tmpdir(), 'openemploi-config-'))
    try {
      expect(loadStoreConfig({ DATA_DIR: join(folder, 'a', 'b') }).DATA_DIR).toBe(join(folder, 'a', 'b'))
      expect(readdirSync(folder)).toEqual([])
      writeFileSync(join(folder, 'file'), '')
      expect(() => loadStoreConfig({ DATA_DIR: join(folder, 'file') })).toThrow(/DATA_DIR=".*file": cannot hold a store: .* \(ENOTDIR\)/)
      expect(() => loadStoreConfig({ DATA_DIR: '/proc/x' })).toThrow(/DATA_DIR="\/proc\/x": cannot hold a store/)
      // Only the commands that open the store look at the folder.
      expect(loadConfig({ DATA_DIR: '/proc/x' }).DATA_DIR).toBe('/proc/x')
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('refuses an administration token too short to be a secret, and malformed URLs', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'admin', REDIS_URL: 'localhost:6379', PUBLIC_URL: 'api.example.fr' })).toThrow(
      /REDIS_URL="localhost:6379".*\n.*ADMIN_TOKEN="admin": must not have fewer than 32 characters\n.*PUBLIC_URL="api.example.fr"/,
    )
  })

  it('reads the Redis timeout of the rate limiter and refuses one out of range', () => {
    expect(loadConfig({ RATE_LIMIT_REDIS_TIMEOUT_MS: '1000' }).RATE_LIMIT_REDIS_TIMEOUT_MS).toBe(1000)
    for (const value of ['5', '60000', '0.5', 'vite']) {
      expect(() => loadConfig({ RATE_LIMIT_REDIS_TIMEOUT_MS: value })).toThrow(/RATE_LIMIT_REDIS_TIMEOUT_MS=/)
    }
  })

  it('reads the trusted proxies and refuses what is not a list of addresses', () => {
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, ::1, 10.0.0.0/8' }).TRUST_PROXY).toBe('127.0.0.1, ::1, 10.0.0.0/8')
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback')
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined()
    for (const value of ['true', '2', 'proxy.internal', '127.0.0.1;drop']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY=/)
    }
  })

  it('converts numbers and treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '9090', DEMO_OFFERS: '0', HOST: '', DATABASE_URL: 'postgres://u@h:5432/db' })
    expect(config).toMatchObject({ PORT: 9090, DEMO_OFFERS: 0, HOST: '127.0.0.1', DATABASE_URL: 'postgres://u@h:5432/db' })
  })

  it('lists every invalid setting at once', () => {
    let error: unknown
    try {
      loadConfig({ PORT: 'http', LOG_LEVEL: 'loud', DEMO_OFFERS: '-1', DATABASE_URL: 'mysql://x' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const name of ['PORT', 'LOG_LEVEL', 'DEMO_OFFERS', 'DATABASE_URL']) expect(problems).toContain(name)
  })

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true)
  })
})
