import { describe, expect, it } from 'vitest'
import { NotFoundError } from '../../shared/errors.js'
import { DatasetLoadingError } from './datastore-errors.js'
import type { DatastoreRepository } from './datastore.repository.js'
import { InfotravailService } from './infotravail.service.js'
import { DatasetLoadProgress } from './load-progress.js'

const PACKAGES = [
  { id: 'p-rome', name: 'rome', resources: [{ id: 'r-1', name: 'Fiches' }, { id: 'r-2', name: 'Appellations' }] },
  { id: 'p-bmo', name: 'bmo', resources: [{ id: 'r-3', name: 'Enquête' }] },
]

describe('DatasetLoadProgress', () => {
  it('counts resources and rows, and tells the speed and the time left from the first load on', () => {
    let clock = 1000
    const progress = new DatasetLoadProgress(PACKAGES, () => clock)
    expect(progress.snapshot()).toEqual({ state: 'loading', loaded: 0, total: 3, rows: { loaded: 0, total: 0 }, indexed: false })
    progress.planned({ current: ['r-1'], pending: [{ id: 'r-2', rows: 3000 }, { id: 'r-3', rows: undefined }] })
    progress.started('r-2')
    clock += 2000
    progress.copied(1000)
    expect(progress.snapshot()).toEqual({
      state: 'loading',
      loaded: 1,
      total: 3,
      rows: { loaded: 1000, total: 3000 },
      rowsPerSecond: 500,
      etaSeconds: 4,
      loading: { id: 'r-2', name: 'Appellations' },
      indexed: false,
    })
    progress.copied(2000)
    progress.loaded('r-2', 3000)
    progress.started('r-3')
    progress.copied(500)
    progress.loaded('r-3', 500)
    expect(progress.snapshot()).toMatchObject({ state: 'loading', loaded: 3, rows: { loaded: 3500, total: 3500 }, etaSeconds: 0 })
    progress.ready()
    progress.indexesBuilt()
    expect(progress.snapshot()).toEqual({ state: 'ready', loaded: 3, total: 3, rows: { loaded: 3500, total: 3500 }, rowsPerSecond: 1750, indexed: true })
  })

  it('says which declared resources are served; undeclared ones are not its business', () => {
    const progress = new DatasetLoadProgress(PACKAGES)
    progress.planned({ current: ['r-1'], pending: [{ id: 'r-2', rows: 10 }] })
    expect(progress.isServed('r-1')).toBe(true)
    expect(progress.isServed('r-2')).toBe(false)
    expect(progress.isServed('elsewhere')).toBeUndefined()
    progress.failed()
    expect(progress.snapshot()).toMatchObject({ state: 'failed', failed: true, loaded: 1 })
  })
})

/** A store holding only resource r-1 of package rome. */
function storeWithFiches(): DatastoreRepository {
  const now = new Date('2026-12-07T00:00:00Z')
  const fiches = {
    id: 'r-1', packageId: 'p-rome', name: 'Fiches', description: '', peSource: 'X', peVersion: '1', peType: 'reference', kind: 'file' as const,
    fields: [], provenance: { files: [], attribution: '', date: '2026' }, size: 3, origin: 'shipped' as const, position: 0, createdAt: now, updatedAt: now,
  }
  return {
    packages: () => Promise.resolve([{ id: 'p-rome', name: 'rome', title: 'ROME', notes: '', frequency: '', tags: [], createdAt: now, updatedAt: now, resources: [fiches] }]),
  } as unknown as DatastoreRepository
}

describe('InfotravailService while this node loads its datasets', () => {
  it('answers "loading" (503, Retry-After) for a declared resource or package not served yet, "not found" for the rest', async () => {
    const progress = new DatasetLoadProgress(PACKAGES)
    progress.planned({ current: [], pending: [{ id: 'r-2', rows: 100 }, { id: 'r-3', rows: 100 }] })
    const service = new InfotravailService(storeWithFiches(), { progress })
    expect((await service.resource('r-1')).resource.id).toBe('r-1')
    const loading = await service.resource('r-2').catch((error: unknown) => error)
    expect(loading).toBeInstanceOf(DatasetLoadingError)
    expect(loading).toMatchObject({ retryAfterSeconds: 5, message: 'Resource "r-2" is loading (0 of 3 resources served); retry in 5 seconds' })
    await expect(service.package('rome')).rejects.toThrow('Dataset "rome" is loading (1 of its 2 resources still to load; 0 of 3 resources served); retry in 5 seconds')
    await expect(service.package('p-bmo')).rejects.toBeInstanceOf(DatasetLoadingError)
    await expect(service.resource('unknown')).rejects.toBeInstanceOf(NotFoundError)
    await expect(service.package('unknown')).rejects.toBeInstanceOf(NotFoundError)
    expect(await service.packageNames()).toEqual(['bmo', 'rome'])
  })

  it('says so when the load failed, and answers "not found" once every declared resource is served', async () => {
    const failed = new DatasetLoadProgress(PACKAGES)
    failed.failed()
    await expect(new InfotravailService(storeWithFiches(), { progress: failed }).resource('r-2')).rejects.toThrow(
      'Resource "r-2" is not loaded: the load of the datasets failed on this node (its operator has the details in the server log)',
    )
    const ready = new DatasetLoadProgress(PACKAGES)
    ready.ready()
    await expect(new InfotravailService(storeWithFiches(), { progress: ready }).resource('r-2')).rejects.toBeInstanceOf(NotFoundError)
  })
})
