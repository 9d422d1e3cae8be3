import { STATUS_CODES } from 'node:http'
import { Readable } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { searchPackages, searchResources } from '../../domain/datastore/catalogue-search.js'
import { DatastoreValidationError, NotAuthorizedError, SqlBusyError } from '../../domain/datastore/datastore-errors.js'
import type { PackageRecord, ResourceRecord } from '../../domain/datastore/datastore.repository.js'
import type { InfotravailService } from '../../domain/datastore/infotravail.service.js'
import { booleanParam, encodeCursor, naturalParam, servedValue, textParam, type SearchField } from '../../domain/datastore/search-request.js'
import { NotFoundError, UnavailableError, type AppError } from '../../shared/errors.js'
import { RETRY_AFTER_SECONDS } from '../offres/offres-errors.js'
import { ORGANIZATION, organizationDict, packageDict, resourceDict } from './ckan-dicts.js'
import { MissingScopeError } from '../access/access.hooks.js'

export const INFOTRAVAIL_PREFIX = '/partenaire/infotravail/v1'
const SCOPES = ['api_infotravailv1'] as const
const access = { config: { api: 'infotravailv1', scopes: SCOPES } }
const JSON_TYPE = 'application/json;charset=utf-8'

/** Short documentation of each action, served by help_show (CKAN serves the action's docstring). */
const ACTIONS_HELP: Readonly<Record<string, string>> = {
  package_list: 'Return a list of the names of the site\'s datasets (packages).\n\n:param limit: (optional)\n:param offset: (optional)',
  package_show: 'Return the metadata of a dataset (package) and its resources.\n\n:param id: the id or name of the dataset',
  package_search: 'Searches for packages satisfying a given search criteria.\n\n:param q: words (all must appear)\n:param fq: field:value filters\n:param rows: default 10, max 1000\n:param start: offset\n:param sort: e.g. "name asc"\n:param facet.field: JSON list of fields',
  organization_list: 'Return a list of the names of the site\'s organizations.\n\n:param all_fields: return dicts instead of names',
  organization_show: 'Return the details of an organization.\n\n:param id: the id or name of the organization\n:param include_datasets: include its datasets (default true, as the original)',
  resource_show: 'Return the metadata of a resource.\n\n:param id: the id of the resource',
  resource_search: 'Searches for resources satisfying a given search criteria.\n\n:param query: "field:term" or a list of them\n:param order_by: a resource field\n:param offset:\n:param limit:',
  datastore_search: 'Search a DataStore resource.\n\n:param resource_id: id (or alias `id`) of the resource\n:param filters: JSON object, {"FIELD": value} or {"FIELD": [values]}\n:param q: full text, a string or a JSON object by field\n:param plain: plain text query (default true)\n:param language: text search configuration (default french)\n:param distinct:\n:param fields: list or comma-separated string\n:param sort: "FIELD [asc|desc], …"\n:param limit: default 100, max 32000\n:param offset:\n:param cursor: keyset position from _links.next (pages at constant cost)\n:param include_total: default true\n:param records_format: objects, lists, csv or tsv',
  datastore_search_sql: 'Execute one SELECT on DataStore resources (tables named by their resource id, double-quoted).\n\n:param sql: a single SELECT (WITH … SELECT allowed); read only, 2 s at most, 32000 rows and 16 MiB of row text at most (records_truncated); one statement at a time per client (429 and Retry-After otherwise)',
  datastore_info: 'Return the fields and the number of rows of a DataStore resource.\n\n:param id: the id of the resource',
  help_show: 'Return the help string for a particular API action.\n\n:param name: action name',
  status_show: 'Return a dictionary with information about the site\'s configuration.',
}

type Params = Record<string, unknown>
type Action = (params: Params, context: { base: string; request: FastifyRequest; action: string }) => Promise<unknown>

function baseUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl?.replace(/\/+$/, '') ?? `${request.protocol}://${request.host}`
}

function helpUrl(base: string, action: string): string {
  return `${base}/api/3/action/help_show?name=${encodeURIComponent(action)}`
}

/** A list parameter's rows for `size`: tables know theirs, views are counted. */
async function rowsOf(service: InfotravailService, resources: readonly ResourceRecord[]): Promise<Map<string, number | undefined>> {
  const counts = await Promise.all(resources.map(async (resource) => [resource.id, await service.count(resource)] as const))
  return new Map(counts)
}

/** CKAN's CSV/TSV records: no header, values quoted only when they must be. */
function delimited(rows: readonly (readonly unknown[])[], delimiter: string): string {
  const quote = (value: unknown) => {
    if (value === null || value === undefined) return ''
    const text = textParam(value)
    return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return rows.map((row) => row.map(quote).join(delimiter)).join('\n') + (rows.length > 0 ? '\n' : '')
}

/** Records as lists (`lists`) or as CKAN's CSV/TSV text: each row's values in the order of the columns. */
function listsOf(rows: readonly Record<string, unknown>[], columns: readonly { id: string; type: string }[], format: 'lists' | 'csv' | 'tsv'): unknown[][] | string {
  const values = rows.map((row) => columns.map((field) => servedValue(field.type, row[field.id])))
  return format === 'lists' ? values : delimited(values, format === 'csv' ? ',' : '\t')
}

/** A link to the same search with other paging parameters (`_links`). */
function searchLink(params: Params, changes: Params): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...params, ...changes })) {
    if (value === undefined || key === 'offset' || key === 'cursor') continue
    query.set(key, typeof value === 'string' ? value : JSON.stringify(value))
  }
  for (const key of ['offset', 'cursor']) if (changes[key] !== undefined) query.set(key, textParam(changes[key]))
  return `/api/action/datastore_search?${query.toString()}`
}

function fieldDict(field: SearchField & { info?: unknown }) {
  return { id: field.id, type: field.type, ...(field.info ? { info: field.info } : {}) }
}

/**
 * The Infotravail v1 API: CKAN's read actions at /partenaire/infotravail/v1/<action> (and
 * CKAN's own /api/3/action/<action>), GET or POST, in CKAN's envelope; datastore dumps.
 */
export function infotravailRoutes(deps: { service: InfotravailService; publicUrl?: string | undefined }): FastifyPluginAsync {
  const { service } = deps
  const actions: Record<string, Action> = {
    package_list: async (params) => {
      const names = await service.packageNames()
      const offset = naturalParam('offset', params.offset, 0)
      const limit = naturalParam('limit', params.limit, names.length)
      return names.slice(offset, offset + limit)
    },
    package_show: async (params, { base }) => {
      const pkg = await service.package(params.id)
      return packageDict(pkg, base, await rowsOf(service, pkg.resources))
    },
    package_search: async (params, { base }) => {
      const { packages } = await service.catalogue()
      const found = searchPackages(packages, params)
      const rows = await rowsOf(service, found.results.flatMap((pkg) => pkg.resources))
      return {
        count: found.count,
        sort: found.sort,
        results: found.results.map((pkg) => packageDict(pkg, base, rows)),
        facets: found.facets,
        search_facets: Object.fromEntries(
          Object.entries(found.facets).map(([field, counts]) => [
            field,
            { title: field, items: Object.entries(counts).map(([name, count]) => ({ name, display_name: name, count })) },
          ]),
        ),
      }
    },
    organization_list: async (params) => {
      const { packages } = await service.catalogue()
      return booleanParam(params.all_fields, false) ? [organizationDict(firstCreated(packages), packages.length)] : [ORGANIZATION.name]
    },
    organization_show: async (params, { base }) => {
      if (params.id === undefined || params.id === '') throw new DatastoreValidationError({ id: ['Missing value'] })
      if (params.id !== ORGANIZATION.name && params.id !== ORGANIZATION.id) throw new NotFoundError('Organization was not found.')
      const { packages } = await service.catalogue()
      const organization = organizationDict(firstCreated(packages), packages.length)
      // The original's clients read `packages` without asking for them (CKAN 2.2 listed them by default).
      if (!booleanParam(params.include_datasets, true)) return organization
      const rows = await rowsOf(service, packages.flatMap((pkg) => pkg.resources))
      return { ...organization, packages: packages.map((pkg) => packageDict(pkg, base, rows)), users: [], extras: [], groups: [], tags: [] }
    },
    resource_show: async (params, { base }) => {
      const { resource } = await service.resource(params.id)
      return resourceDict(resource, base, await service.count(resource))
    },
    resource_search: async (params, { base }) => {
      const { resources } = await service.catalogue()
      const found = searchResources([...resources.values()].map((item) => item.resource), params)
      const rows = await rowsOf(service, found.results)
      return { count: found.count, results: found.results.map((resource) => resourceDict(resource, base, rows.get(resource.id))) }
    },
    datastore_info: async (params) => {
      const { resource } = await service.resource(params.id ?? params.resource_id)
      return {
        meta: { id: resource.id, count: await service.count(resource), table_type: resource.kind === 'view' ? 'VIEW' : 'BASE TABLE', aliases: [] },
        fields: resource.fields.map((field) => ({ id: field.id, type: field.type, info: field.info, schema: { native_type: field.type, notnull: false, is_index: false } })),
      }
    },
    datastore_search: async (params) => {
      const { request, resource, page } = await service.search(params)
      const declared = new Map(resource.fields.map((field) => [field.id, field]))
      const columns = [...request.fields, ...(page.rank ? [{ id: 'rank', type: 'float' as never }] : [])]
      const records =
        request.recordsFormat === 'objects'
          ? page.rows.map((row) => {
              const record: Record<string, unknown> = {}
              for (const field of columns) record[field.id] = servedValue(field.type, row[field.id])
              return record
            })
          : listsOf(page.rows, columns, request.recordsFormat)
      const given: Params = { ...params, resource_id: resource.id }
      delete given.id
      const next = request.offset + request.limit
      return {
        ...request.echo,
        fields: columns.map((field) => fieldDict({ ...field, ...(declared.get(field.id) ? { info: declared.get(field.id)?.info } : {}) })),
        records,
        ...(page.total !== undefined ? { total: page.total, total_was_estimated: page.totalWasEstimated } : {}),
        _links: {
          start: searchLink(given, {}),
          next: searchLink(given, { offset: next, ...(page.after ? { cursor: encodeCursor(request, page.after) } : {}) }),
          ...(request.offset > 0 ? { prev: searchLink(given, { offset: Math.max(0, request.offset - request.limit) }) } : {}),
        },
      }
    },
    datastore_search_sql: async (params, { request }) => {
      // One statement at a time per application; anonymous callers (INFOTRAVAIL_PUBLIC) per address.
      const result = await service.sql(params.sql, request.grant ? `client:${request.grant.clientId}` : `address:${request.ip}`)
      return {
        sql: params.sql,
        fields: result.fields,
        records: result.rows,
        ...(result.truncated ? { records_truncated: true } : {}),
      }
    },
    help_show: (params) => {
      const name = textParam(params.name)
      if (name === '') throw new DatastoreValidationError({ name: ['Missing value'] })
      const help = Object.hasOwn(ACTIONS_HELP, name) ? ACTIONS_HELP[name] : undefined
      if (!help) throw new NotFoundError('Action function not found')
      return Promise.resolve(help)
    },
    status_show: (_params, { base }) =>
      Promise.resolve({
      site_title: 'OpenEmploi — Infotravail',
      site_description: 'API ouverte de données sur l’emploi et le marché du travail, compatible CKAN.',
      site_url: base,
      ckan_version: '2.3',
      error_emails_to: null,
      locale_default: 'fr',
      extensions: ['datastore'],
      }),
  }

  return (app: FastifyInstance) => {
    errorHandling(app, deps.publicUrl)

    const handle = async (request: FastifyRequest<{ Params: { action: string } }>, reply: FastifyReply) => {
      const base = baseUrl(request, deps.publicUrl)
      const name = request.params.action
      const action = Object.hasOwn(actions, name) ? actions[name] : undefined
      if (!action) {
        // CKAN answers an unknown action with a bare JSON string.
        return reply.code(400).type(JSON_TYPE).send(JSON.stringify(`Bad request: Action name not known: ${name}`))
      }
      const body = request.body
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
        // CKAN's _get_request_data: the body must decode to a dictionary.
        return reply.code(400).type(JSON_TYPE).send(JSON.stringify(`Bad request: JSON Error: Request data JSON decoded to ${JSON.stringify(body)} but it needs to be a dictionary.`))
      }
      const params: Params = { ...(request.query as Params), ...(body as Params | undefined) }
      const result = await action(params, { base, request, action: name })
      return reply.type(JSON_TYPE).header('Cache-Control', 'no-store').send(JSON.stringify({ help: helpUrl(base, name), success: true, result }))
    }
    for (const path of [`${INFOTRAVAIL_PREFIX}/:action`, '/api/3/action/:action', '/api/action/:action']) {
      app.get(path, { ...access, schema: { hide: path !== `${INFOTRAVAIL_PREFIX}/:action`, tags: ['Infotravail v1'], summary: 'Action CKAN (lecture) : package_show, datastore_search, datastore_search_sql…' } }, handle)
      app.post(path, { ...access, schema: { hide: true } }, handle)
    }

    const dump = async (request: FastifyRequest<{ Params: { id: string }; Querystring: { format?: string; bom?: string } }>, reply: FastifyReply) => {
      const { resource } = await service.resource(request.params.id)
      const format = (request.query.format ?? 'csv').toLowerCase()
      if (!['csv', 'tsv', 'json', 'ndjson'].includes(format)) {
        throw new DatastoreValidationError({ format: ['Value must be one of ["csv", "tsv", "json", "ndjson"]'] })
      }
      const fields = [{ id: '_id', type: 'int' as const }, ...resource.fields]
      const served = (row: Record<string, unknown>) => fields.map((field) => servedValue(field.type, row[field.id]))
      const encode: Record<string, { type: string; head: string; rows: (rows: readonly Record<string, unknown>[], first: boolean) => string; tail: string }> = {
        csv: { type: 'text/csv; charset=utf-8', head: delimited([fields.map((field) => field.id)], ','), rows: (rows) => delimited(rows.map(served), ','), tail: '' },
        tsv: { type: 'text/tab-separated-values; charset=utf-8', head: delimited([fields.map((field) => field.id)], '\t'), rows: (rows) => delimited(rows.map(served), '\t'), tail: '' },
        json: {
          type: JSON_TYPE,
          head: `{"fields":${JSON.stringify(fields.map((field) => ({ id: field.id, type: field.type })))},"records":[`,
          rows: (rows, first) => (first ? '' : ',') + rows.map((row) => JSON.stringify(served(row))).join(','),
          tail: ']}\n',
        },
        ndjson: {
          type: 'application/x-ndjson; charset=utf-8',
          head: '',
          rows: (rows) => rows.map((row) => JSON.stringify(Object.fromEntries(fields.map((field) => [field.id, servedValue(field.type, row[field.id])])))).join('\n') + '\n',
          tail: '',
        },
      }
      const encoder = encode[format] as (typeof encode)['csv']
      const stream = new Readable({ read() {} })
      stream.push((booleanParam(request.query.bom, false) && format === 'csv' ? '\uFEFF' : '') + encoder.head)
      let first = true
      service
        .dump(resource, (rows) => {
          stream.push(encoder.rows(rows, first))
          first = false
        })
        .then(() => {
          stream.push(encoder.tail)
          stream.push(null)
        })
        .catch((error: unknown) => {
          request.log.error({ err: error }, 'datastore dump interrupted')
          stream.destroy(error instanceof Error ? error : new Error(String(error)))
        })
      return reply
        .type(encoder.type)
        .header('Content-Disposition', `attachment; filename="${resource.id}.${format}"`)
        .send(stream)
    }
    for (const path of [`${INFOTRAVAIL_PREFIX}/datastore/dump/:id`, '/datastore/dump/:id']) {
      app.get(path, { ...access, schema: { hide: path !== `${INFOTRAVAIL_PREFIX}/datastore/dump/:id`, tags: ['Infotravail v1'], summary: 'Export complet d’une ressource (csv, tsv, json, ndjson), en flux.' } }, dump)
    }
    return Promise.resolve()
  }
}

function firstCreated(packages: readonly PackageRecord[]): Date {
  return packages.map((pkg) => pkg.createdAt).reduce((a, b) => (a < b ? a : b), new Date())
}

/** CKAN's error envelope: `{help, success: false, error: {__type, …}}`. */
function errorHandling(app: FastifyInstance, publicUrl: string | undefined): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const base = baseUrl(request, publicUrl)
    const action = (request.params as { action?: string } | undefined)?.action ?? 'datastore_search'
    const send = (status: number, payload: unknown) =>
      reply.code(status).type(JSON_TYPE).header('Cache-Control', 'no-store').send(JSON.stringify({ help: helpUrl(base, action), success: false, error: payload }))
    if (error instanceof DatastoreValidationError) return send(409, { __type: 'Validation Error', ...error.dict })
    if (error instanceof NotFoundError) return send(404, { __type: 'Not Found Error', message: `Not found: ${error.message}` })
    if (error instanceof NotAuthorizedError) return send(403, { __type: 'Authorization Error', message: `Access denied: ${error.message}` })
    if (error instanceof MissingScopeError) {
      return send(403, { __type: 'Authorization Error', message: `Access denied: the token lacks the scope${error.scopes.length > 1 ? 's' : ''} ${error.scopes.join(' ')}` })
    }
    if (error instanceof SqlBusyError) {
      reply.header('Retry-After', String(error.retryAfterSeconds))
      return send(error.status, { __type: error.status === 429 ? 'Too Many Requests' : 'Service Unavailable', message: error.message })
    }
    if (error instanceof UnavailableError) {
      reply.header('Retry-After', RETRY_AFTER_SECONDS)
      return send(503, { __type: 'Service Unavailable', message: `Service unavailable: ${error.message}` })
    }
    const fastifyError = error as FastifyError
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (fastifyError.statusCode === 400 && error instanceof SyntaxError)) {
      return reply.code(400).type(JSON_TYPE).send(JSON.stringify(`Bad request: JSON Error: ${error.message}`))
    }
    if (fastifyError.statusCode === 400) return reply.code(400).type(JSON_TYPE).send(JSON.stringify(`Bad request: ${error.message}`))
    // Other refusals of the framework (413, 415…) keep their status, in the envelope.
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
      return send(fastifyError.statusCode, { __type: STATUS_CODES[fastifyError.statusCode] ?? 'Error', message: error.message })
    }
    request.log.error({ err: error }, 'Infotravail action failed')
    return send(500, { __type: 'Internal Server Error', message: 'Internal Server Error' })
  })
}
