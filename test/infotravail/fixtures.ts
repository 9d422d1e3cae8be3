import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import type { CellValue, FileResource, PackageDefinition, ResourceDefinition } from '../../src/datasets/definition.js'
import { agencesPackage } from '../../src/datasets/packages/agences.js'
import { bmoPackage } from '../../src/datasets/packages/bmo.js'
import { imtPackage } from '../../src/datasets/packages/imt.js'
import { offresPackage } from '../../src/datasets/packages/offres.js'
import { romePackage } from '../../src/datasets/packages/rome.js'
import { statistiquesPackage } from '../../src/datasets/packages/statistiques.js'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import { offerDeposit } from '../support/deposits.js'
import type { TestApp } from '../support/test-app.js'

export { offerDeposit }

/**
 * What the Infotravail suites load: real packages cut down to their small resources (the large
 * ones take seconds each to load), under their real ids.
 */

export const BASE = '/partenaire/infotravail/v1'
export const JSON_TYPE = 'application/json;charset=utf-8'
export const DEPOT = '/partenaire/depotoffres/v1/offres'

function fileResources(pkg: PackageDefinition, keep: (resource: FileResource) => boolean): PackageDefinition {
  return { ...pkg, resources: pkg.resources.filter((resource): resource is FileResource => resource.kind === 'file' && keep(resource)) }
}

/** ROME v3 v347: fiches (532), grands domaines (14), domaines (110), compétences (4 947). */
export const ROME_SMALL = fileResources(romePackage, (resource) => resource.peVersion === '347' && [532, 14, 110, 4947].includes(resource.expectedRows) && resource.name !== 'Profils RIASEC des fiches métiers')
/** BMO: the FAP 2021 nomenclature (341) and the ROME ↔ FAP crosswalk (5 320); not the survey nor its view. */
export const BMO_SMALL = fileResources(bmoPackage, (resource) => resource.expectedRows <= 6000)
/** IMT: median salaries (616) and hirings by ROME × NAF (5 071). */
export const IMT_SMALL = fileResources(imtPackage, (resource) => resource.expectedRows <= 6000)
/** Statistiques: monthly offers series (240) and job seekers by bassin × sector (7 626). */
export const STATS_SMALL = fileResources(statistiquesPackage, (resource) => resource.expectedRows <= 8000)
export const AGENCES = agencesPackage
export const OFFRES = offresPackage

export const SMALL_PACKAGES: readonly PackageDefinition[] = [ROME_SMALL, BMO_SMALL, AGENCES, IMT_SMALL, STATS_SMALL, OFFRES]

/** A resource of the definitions, by id. */
export function resourceOf(id: string): ResourceDefinition {
  for (const pkg of SMALL_PACKAGES) {
    const found = pkg.resources.find((resource) => resource.id === id)
    if (found) return found
  }
  throw new Error(`No resource ${id} in the test packages`)
}

export function fileOf(id: string): FileResource {
  const resource = resourceOf(id)
  if (resource.kind !== 'file') throw new Error(`${id} is a view`)
  return resource
}

/** The real resource ids the suites use. */
export const IDS = {
  /** ROME v3 fiches métiers (532 rows). */
  romeFiches: 'aff724e0-cb7f-4ee0-a559-740d51331736',
  /** ROME v3 grands domaines (14). */
  grandsDomaines: 'e5eba2a1-d8f4-4762-abc2-cb8bb00686d4',
  /** ROME v3 domaines professionnels (110). */
  domaines: 'ad3b6d19-4aab-45c6-b9ea-c0a5b49b3e6e',
  /** ROME v3 compétences (4 947). */
  competences: 'bb7c0638-2bc3-41d9-93aa-75205c288509',
  fap: '9fda18e8-39bf-4504-be80-a9379e11b797',
  passage: '8e8c0690-fa9a-4f43-8a8e-a1d6d55480ee',
  agences: '6265951d-ed8a-4202-a2ac-e49edd142dff',
  salaires: '0e58166e-fe9c-4dff-8584-3a2e041d60b1',
  romeNaf: '5ff14a10-e829-442e-a0f4-e9a339be6e0c',
  /** Job seekers by bassin × sector (7 626). */
  secteurs: 'ba33069f-09f7-427a-afbf-24fb347c294b',
  /** Monthly registered offers 1996–2015 (240). */
  series: '4299f311-4fd0-403a-8066-ab50ddfaf4a5',
  offers: '4f3b8e6a-2c1d-4b7e-8f90-1a2b3c4d5e60',
  offerCounts: '9d8c7b6a-5e4f-4a3b-9c2d-1e0f2a3b4c50',
} as const

/** Packages of the catalogue the suites never load (their resources are unknown here). */
export const BMO_2025_ID = '58235498-bea4-4445-8195-6f066041b599'

/** Loads the test packages into the app's datastore. */
export async function loadSmallPackages(t: TestApp, packages: readonly PackageDefinition[] = SMALL_PACKAGES): Promise<void> {
  await t.datastore.syncShipped(packages, DATA_DIR)
  t.infotravail.invalidate()
}

/** Every row of a file resource as the definition reads it, keyed by field, `_id` from 1. */
export async function definitionRows(id: string): Promise<Record<string, CellValue>[]> {
  const resource = fileOf(id)
  const rows: Record<string, CellValue>[] = []
  for await (const row of resource.rows(DATA_DIR)) {
    rows.push({ _id: rows.length + 1, ...Object.fromEntries(resource.fields.map((field, at) => [field.id, row[at] ?? null])) })
  }
  return rows
}

/** Deposits an offer with the test client (who holds every API) and returns it. */
export async function depositOffer(t: TestApp, overrides: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const response = await t.get(DEPOT, { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(offerDeposit(overrides)) })
  expect(response.statusCode, response.body).toBe(201)
  return response.json<{ id: string } & Record<string, unknown>>()
}

export async function closeOffer(t: TestApp, id: string): Promise<void> {
  const response = await t.get(`${DEPOT}/${id}?raison=pourvue`, { method: 'DELETE' })
  expect(response.statusCode, response.body).toBe(204)
}

/** A GET of an action with its parameters in the query string (objects JSON-encoded, as clients do). */
export function actionUrl(action: string, params: Record<string, unknown> = {}, prefix = BASE): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) query.set(key, typeof value === 'string' ? value : JSON.stringify(value))
  const text = query.toString()
  return `${prefix}/${action}${text === '' ? '' : `?${text}`}`
}

export interface Envelope<T = unknown> {
  help: string
  success: boolean
  result?: T
  error?: Record<string, unknown>
}

/** A successful CKAN envelope: 200, JSON, the help URL of the action; returns `result`. */
export function okResult<T>(response: LightMyRequestResponse, action: string): T {
  expect(response.statusCode, response.body).toBe(200)
  expect(response.headers['content-type']).toBe(JSON_TYPE)
  const body = response.json<Envelope<T>>()
  expect(Object.keys(body).sort()).toEqual(['help', 'result', 'success'])
  expect(body.help).toBe(`http://localhost:80/api/3/action/help_show?name=${action}`)
  expect(body.success).toBe(true)
  return body.result as T
}

/** A CKAN error envelope with its status; returns `error`. */
export function errorOf(response: LightMyRequestResponse, status: number, action: string): Record<string, unknown> {
  expect(response.statusCode, response.body).toBe(status)
  expect(response.headers['content-type']).toBe(JSON_TYPE)
  const body = response.json<Envelope>()
  expect(Object.keys(body).sort()).toEqual(['error', 'help', 'success'])
  expect(body.help).toBe(`http://localhost:80/api/3/action/help_show?name=${action}`)
  expect(body.success).toBe(false)
  return body.error ?? {}
}

export interface SearchResult {
  resource_id: string
  fields: { id: string; type: string; info?: unknown }[]
  records: Record<string, unknown>[]
  total?: number
  total_was_estimated?: boolean
  limit: number
  offset: number
  _links: { start: string; next: string; prev?: string }
  [key: string]: unknown
}
