import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/cli/logger.js'
import { loadConfig } from '../../src/config/load-config.js'
import { imtPackage } from '../../src/datasets/packages/imt.js'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import { buildNode, type ServiceNode } from '../../src/node.js'
import { capturedLog } from '../support/log-capture.js'
import { BASE, IDS } from './fixtures.js'
import { storeTemplate } from '../support/databases.js'

/**
 * A node's first load of its datasets, seen by a client: what the node declares (DATASETS) and
 * has not served yet answers 503 with Retry-After and a message saying it is loading, in CKAN's
 * envelope, never 404; what it never declared stays 404; each resource is served as soon as it
 * is loaded.
 */

const TENSIONS = '6061ddce-9bb8-43f0-841f-09ae23fcda60'
const SALARIES = IDS.salaires

describe('Infotravail while the node loads its datasets', () => {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-loading-'))
  const log = capturedLog()
  let node: ServiceNode
  const get = (url: string) => node.app.inject({ url })

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: folder, DEMO_OFFERS: '0', DATASETS: 'agences,imt', INFOTRAVAIL_PUBLIC: 'true', LOG_LEVEL: 'silent' })
    node = await buildNode(config, createLogger('silent', log.stream), { storeTemplate: storeTemplate() })
    // Another node (or an earlier start) stored one resource of imt: the rest is still loading here.
    const salariesOnly = { ...imtPackage, resources: imtPackage.resources.filter((resource) => resource.id === SALARIES) }
    await node.services.datastore.syncShipped([salariesOnly], DATA_DIR)
    node.services.infotravail.invalidate()
  }, 120_000)
  afterAll(async () => {
    await node.close()
    rmSync(folder, { recursive: true, force: true })
  })

  function expectLoading(response: Awaited<ReturnType<typeof get>>, subject: string, action: string): void {
    expect(response.statusCode, response.body).toBe(503)
    expect(response.headers['retry-after']).toBe('5')
    expect(response.headers['content-type']).toBe('application/json;charset=utf-8')
    const body = response.json<{ help: string; success: boolean; error: { __type: string; message: string } }>()
    expect(body.help).toMatch(new RegExp(`/api/3/action/help_show\\?name=${action}$`))
    expect(body.success).toBe(false)
    expect(body.error.__type).toBe('Service Unavailable')
    expect(body.error.message).toMatch(new RegExp(`^Service unavailable: ${subject} is loading \\(.*\\d+ of 4 resources served\\); retry in 5 seconds$`))
  }

  it('answers 503 "loading" for every action on a declared resource not loaded yet', async () => {
    expectLoading(await get(`${BASE}/datastore_search?resource_id=${TENSIONS}`), `Resource "${TENSIONS}"`, 'datastore_search')
    expectLoading(await get(`${BASE}/resource_show?id=${TENSIONS}`), `Resource "${TENSIONS}"`, 'resource_show')
    expectLoading(await get(`${BASE}/datastore_info?id=${IDS.agences}`), `Resource "${IDS.agences}"`, 'datastore_info')
    expectLoading(await get(`${BASE}/datastore_search_sql?sql=${encodeURIComponent(`select count(*) from "${TENSIONS}"`)}`), `Resource "${TENSIONS}"`, 'datastore_search_sql')
    expectLoading(await get(`${BASE}/package_show?id=imt`), 'Dataset "imt"', 'package_show')
    expectLoading(await get(`${BASE}/package_show?id=agences`), 'Dataset "agences"', 'package_show')
    const dump = await get(`${BASE}/datastore/dump/${TENSIONS}?format=csv`)
    expect(dump.statusCode).toBe(503)
    expect(dump.headers['retry-after']).toBe('5')
    expect(dump.json<{ error: { message: string } }>().error.message).toContain(`Resource "${TENSIONS}" is loading`)
  })

  it('serves what is loaded, lists the declared packages, and keeps 404 for what it never declared', async () => {
    expect((await get(`${BASE}/resource_show?id=${SALARIES}`)).statusCode).toBe(200)
    expect((await get(`${BASE}/datastore_search?resource_id=${SALARIES}&limit=1`)).statusCode).toBe(200)
    expect((await get(`${BASE}/datastore_search_sql?sql=${encodeURIComponent(`select count(*) as n from "${SALARIES}"`)}`)).statusCode).toBe(200)
    expect((await get(`${BASE}/package_list`)).json<{ result: string[] }>().result).toEqual(['agences', 'imt'])
    const unknown = await get(`${BASE}/resource_show?id=00000000-0000-4000-8000-000000000000`)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json<{ error: { __type: string } }>().error.__type).toBe('Not Found Error')
    expect((await get(`${BASE}/package_show?id=rome`)).statusCode).toBe(404)
    expect((await get(`${BASE}/datastore_search_sql?sql=${encodeURIComponent('select 1 from "00000000-0000-4000-8000-000000000000"')}`)).statusCode).toBe(409)
    // The users' SQL replica starts on the first statement: seconds, more on a busy machine.
  }, 180_000)

  it('serves every resource once loaded, and tells readiness it is done', async () => {
    await node.services.syncDatasets()
    expect((await get(`${BASE}/datastore_search?resource_id=${TENSIONS}&limit=1`)).statusCode).toBe(200)
    const pkg = await get(`${BASE}/package_show?id=imt`)
    expect(pkg.statusCode).toBe(200)
    expect(pkg.json<{ result: { resources: unknown[] } }>().result.resources).toHaveLength(imtPackage.resources.length)
    expect((await get(`${BASE}/datastore/dump/${IDS.agences}?format=csv`)).statusCode).toBe(200)
    const ready = await get('/health/ready')
    expect(ready.json<{ datasets: unknown }>().datasets).toMatchObject({ state: 'ready', loaded: 4, total: 4, indexed: true })
  })
})
