import { foldText } from '../../shared/text.js'
import type { ActionParams } from './ckan-actions.js'
import { invalid } from './datastore-errors.js'
import type { PackageRecord, ResourceRecord } from './datastore.repository.js'
import { jsonParam, naturalParam, textParam } from './search-request.js'

/** Resource keys `resource_search` may query (`query=pe_type:reference`). */
const RESOURCE_KEYS: Readonly<Record<string, (resource: ResourceRecord) => string>> = {
  id: (resource) => resource.id,
  package_id: (resource) => resource.packageId,
  name: (resource) => resource.name,
  description: (resource) => resource.description,
  format: () => 'CSV',
  url: (resource) => resource.id,
  pe_source: (resource) => resource.peSource,
  pe_version: (resource) => resource.peVersion,
  pe_type: (resource) => resource.peType,
  pe_status: () => 'actif',
}

function terms(value: unknown, name: string): [string, string][] {
  const list = Array.isArray(value) ? value.map(textParam) : typeof value === 'string' ? [value] : undefined
  if (!list) throw invalid(name, 'Not a list or a string')
  return list.map((item) => {
    const at = item.indexOf(':')
    if (at <= 0) throw invalid(name, `Search query "${item}" should be of the form "field:term"`)
    return [item.slice(0, at).trim(), item.slice(at + 1).trim()]
  })
}

/**
 * CKAN's legacy resource_search: `query` as `field:term` (or a list of them, AND-ed), each term
 * matched case-insensitively inside the field; `order_by`, `offset`, `limit`.
 */
export function searchResources(resources: readonly ResourceRecord[], params: ActionParams<'resource_search'>): { count: number; results: ResourceRecord[] } {
  const conditions: [string, string][] = []
  if (params.query !== undefined && params.query !== '') conditions.push(...terms(params.query, 'query'))
  if (params.fields !== undefined && params.fields !== '') {
    const fields = jsonParam('fields', params.fields)
    if (typeof fields !== 'object' || fields === null) throw invalid('fields', 'Not a json object')
    conditions.push(...Object.entries(fields).map(([key, value]) => [key, textParam(value)] as [string, string]))
  }
  for (const [key] of conditions) {
    if (!(key in RESOURCE_KEYS)) throw invalid('query', `Field "${key}" not recognised in resource_search.`)
  }
  let results = resources.filter((resource) =>
    conditions.every(([key, term]) => foldText((RESOURCE_KEYS[key] ?? (() => ''))(resource)).includes(foldText(term))),
  )
  if (params.order_by !== undefined && params.order_by !== '') {
    const key = textParam(params.order_by)
    const value = RESOURCE_KEYS[key]
    if (!value) throw invalid('order_by', `Field "${key}" not recognised in resource_search.`)
    results = [...results].sort((a, b) => value(a).localeCompare(value(b), 'fr'))
  }
  const offset = naturalParam('offset', params.offset, 0)
  const limit = naturalParam('limit', params.limit, results.length)
  return { count: results.length, results: results.slice(offset, offset + limit) }
}

/** A package's searchable text: name, title, notes, tags and resources' names. */
function packageText(pkg: PackageRecord): string {
  return foldText([pkg.name, pkg.title, pkg.notes, ...pkg.tags, ...pkg.resources.flatMap((resource) => [resource.name, resource.description])].join(' '))
}

const PACKAGE_FACETS: Readonly<Record<string, (pkg: PackageRecord) => readonly string[]>> = {
  tags: (pkg) => pkg.tags,
  organization: () => ['digidata'],
  res_format: () => ['CSV'],
  license_id: () => ['fr-lo'],
  name: (pkg) => [pkg.name],
}

/** Datasets of a package_search page without `rows`, and at most. */
export const PACKAGE_ROWS = 10
export const PACKAGE_ROWS_MAX = 1000
/** The order of package_search without `sort`. */
export const DEFAULT_PACKAGE_SORT = 'score desc, metadata_modified desc'

/**
 * CKAN's package_search over the catalogue: `q` (every word must appear, accents and case
 * ignored; `field:value` also accepted), `fq` (`field:value` clauses), `rows` (default 10, at
 * most 1000), `start`, `sort`, `facet.field`.
 */
export function searchPackages(packages: readonly PackageRecord[], params: ActionParams<'package_search'>) {
  const clauses: [string, string][] = []
  const words: string[] = []
  for (const part of [params.q, params.fq]) {
    if (part === undefined || part === '' || part === '*:*') continue
    for (const token of textParam(part).match(/(?:[^\s"]+:"[^"]*"|[^\s"]+:[^\s"]+|"[^"]*"|\S+)/g) ?? []) {
      const at = token.indexOf(':')
      if (at > 0 && !token.startsWith('"')) clauses.push([token.slice(0, at).replace(/^\+/, ''), token.slice(at + 1).replace(/^"|"$/g, '')])
      else words.push(...foldText(token.replace(/"/g, '')).split(/\s+/).filter(Boolean))
    }
  }
  let results = packages.filter((pkg) => {
    const text = packageText(pkg)
    if (!words.every((word) => text.includes(word))) return false
    return clauses.every(([key, value]) => {
      if (key === '*' && value === '*') return true
      const facet = PACKAGE_FACETS[key]
      if (facet) return facet(pkg).some((item) => foldText(item) === foldText(value))
      if (key === 'title' || key === 'notes') return foldText(pkg[key]).includes(foldText(value))
      if (key === 'id') return pkg.id === value
      return false
    })
  })
  const sort = typeof params.sort === 'string' && params.sort !== '' ? params.sort : DEFAULT_PACKAGE_SORT
  const [key = 'score', direction = 'asc'] = sort.split(',')[0]?.trim().split(/\s+/) ?? []
  const sortBy: Record<string, (pkg: PackageRecord) => string> = {
    name: (pkg) => pkg.name,
    title_string: (pkg) => pkg.title,
    metadata_modified: (pkg) => pkg.updatedAt.toISOString(),
    metadata_created: (pkg) => pkg.createdAt.toISOString(),
  }
  const value = sortBy[key]
  if (value) results = [...results].sort((a, b) => value(a).localeCompare(value(b), 'fr') * (direction === 'desc' ? -1 : 1))
  const rows = Math.min(naturalParam('rows', params.rows, PACKAGE_ROWS), PACKAGE_ROWS_MAX)
  const start = naturalParam('start', params.start, 0)
  const facetFields = params['facet.field'] === undefined || params['facet.field'] === '' ? [] : jsonParam('facet.field', params['facet.field'])
  if (!Array.isArray(facetFields)) throw invalid('facet.field', 'Not a list')
  const facets: Record<string, Record<string, number>> = {}
  for (const field of facetFields.map(String)) {
    const of = PACKAGE_FACETS[field]
    if (!of) continue
    const counts: Record<string, number> = {}
    for (const pkg of results) for (const item of of(pkg)) counts[item] = (counts[item] ?? 0) + 1
    facets[field] = counts
  }
  return { count: results.length, results: results.slice(start, start + rows), facets, sort }
}
