import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { actionHelp, CKAN_ACTION_NAMES, isCkanAction, type ActionParams, type CkanActionName } from '../../domain/datastore/ckan-actions.js'
import { searchPackages, searchResources } from '../../domain/datastore/catalogue-search.js'
import { DatastoreValidationError, NotAuthorizedError, SqlBusyError } from '../../domain/datastore/datastore-errors.js'
import type { PackageRecord, ResourceRecord } from '../../domain/datastore/datastore.repository.js'
import type { InfotravailService } from '../../domain/datastore/infotravail.service.js'
import { booleanParam, encodeCursor, naturalParam, servedValue, textParam, type ResultField } from '../../domain/datastore/search-request.js'
import { NotFoundError, UnavailableError, type AppError } from '../../shared/errors.js'
import { RETRY_AFTER_SECONDS } from '../offres/offres-errors.js'
import { ORGANIZATION, organizationDict, packageDict, resourceDict } from './ckan-dicts.js'
import { MissingScopeError } from '../access/access.hooks.js'
import { actionRouteSchema, CKAN_SCHEMAS } from './ckan-schemas.js'
import { dumpRoutes } from './datastore-dump.js'

export const INFOTRAVAIL_PREFIX = '/partenaire/infotravail/v1'
const SCOPES = ['api_infotravailv1'] as const
const access = { config: { api: 'infotravailv1', scopes: SCOPES } }
const SECURITY = [{ oauth2: [...SCOPES] }]
const JSON_TYPE = 'application/json;charset=utf-8'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The CKAN action a route serves (its errors' `help` names it). */
    ckanAction?: CkanActionName
  }
}

type Params = Record<string, unknown>
/** An action reads only the parameters its definition declares (ckan-actions.ts). */
type Action<N extends CkanActionName> = (params: ActionParams<N>, context: { base: string; request: FastifyRequest }) => Promise<unknown>

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

function fieldDict(field: ResultField & { info?: unknown }) {
  return { id: field.id, type: field.type, ...(field.info ? { info: field.info } : {}) }
}

/**
 * The Infotravail v1 API: CKAN's read actions at /partenaire/infotravail/v1/<action> (and
 * CKAN's own /api/3/action/<action>), GET or POST, in CKAN's envelope; datastore dumps.
 */
export function infotravailRoutes(deps: { service: InfotravailService; publicUrl?: string | undefined }): FastifyPluginAsync {
  const { service } = deps
  const actions: { readonly [N in CkanActionName]: Action<N> } = {
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
      // CKAN 2.11's datastore_info, with CKAN master's include_meta and include_fields_schema.
      const { resource } = await service.resource(params.resource_id ?? params.id, 'resource_id', 'Resource/Alias')
      const includeMeta = booleanParam(params.include_meta, true)
      const includeSchema = booleanParam(params.include_fields_schema, true)
      const [count, relation] = await Promise.all([
        includeMeta ? service.count(resource) : undefined,
        includeMeta || includeSchema ? service.relationInfo(resource) : undefined,
      ])
      const meta = relation && {
        id: resource.id,
        count,
        table_type: resource.kind === 'view' ? 'VIEW' : 'BASE TABLE',
        size: relation.size,
        db_size: relation.databaseSize,
        idx_size: relation.indexesSize,
        aliases: [],
      }
      const schemaOf = (id: string) => {
        const column = relation?.columns.get(id)
        return column && { native_type: column.nativeType, notnull: column.notNull, index_name: column.indexName, is_index: column.indexName !== null, uniquekey: column.unique }
      }
      return {
        ...(includeMeta ? { meta } : {}),
        fields: resource.fields.map((field) => ({ id: field.id, type: field.type, info: field.info, ...(includeSchema ? { schema: schemaOf(field.id) } : {}) })),
      }
    },
    datastore_search: async (params) => {
      const { request, resource, page } = await service.search(params)
      const declared = new Map(resource.fields.map((field) => [field.id, field]))
      const columns = request.fields
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
        ...(page.nextPage ? { next_page: page.nextPage } : {}),
        _links: {
          start: searchLink(given, {}),
          next: searchLink(given, { offset: next, ...(page.after ? { cursor: encodeCursor(request, page.after) } : {}) }),
          // CKAN's _insert_links: prev only when offset - limit > 0 (never a link to offset 0).
          ...(request.offset - request.limit > 0 ? { prev: searchLink(given, { offset: request.offset - request.limit }) } : {}),
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
      if (!isCkanAction(name)) throw new NotFoundError('Action function not found')
      return Promise.resolve(actionHelp(name))
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

    /** Runs an action: the fixed one of an action's route, or the one the catch-all route names. */
    const handle = async (request: FastifyRequest<{ Params: { action?: string } }>, reply: FastifyReply) => {
      const base = baseUrl(request, deps.publicUrl)
      const name = request.routeOptions.config.ckanAction ?? request.params.action ?? ''
      if (!isCkanAction(name)) {
        // CKAN answers an unknown action with a bare JSON string.
        return reply.code(400).type(JSON_TYPE).send(JSON.stringify(`Bad request: Action name not known: ${name}`))
      }
      const body = request.body
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
        // CKAN's _get_request_data: the body must decode to a dictionary.
        return reply.code(400).type(JSON_TYPE).send(JSON.stringify(`Bad request: JSON Error: Request data JSON decoded to ${JSON.stringify(body)} but it needs to be a dictionary.`))
      }
      const params: Params = { ...(request.query as Params), ...(body as Params | undefined) }
      const result = await (actions[name] as Action<CkanActionName>)(params, { base, request })
      return reply.type(JSON_TYPE).header('Cache-Control', 'no-store').send(JSON.stringify({ help: helpUrl(base, name), success: true, result }))
    }
    for (const schema of CKAN_SCHEMAS) app.addSchema(schema)
    // Parameters are read by the actions, with CKAN's messages: the schemas document them, Fastify checks nothing.
    const unchecked = { validatorCompiler: () => () => true }
    for (const prefix of [INFOTRAVAIL_PREFIX, '/api/3/action', '/api/action']) {
      const documented = prefix === INFOTRAVAIL_PREFIX
      // One route per action, documented under the service's own prefix (CKAN's two are the same actions).
      for (const name of CKAN_ACTION_NAMES) {
        const config = { ...access.config, ckanAction: name }
        for (const method of ['GET', 'POST'] as const) {
          app.route({
            method,
            url: `${prefix}/${name}`,
            config,
            schema: documented ? actionRouteSchema(name, method, SECURITY) : { hide: true },
            ...unchecked,
            handler: handle,
          })
        }
      }
      // Any other name: CKAN's answer to an unknown action (and the actions again, by an encoded name).
      app.get(`${prefix}/:action`, { ...access, schema: { hide: true } }, handle)
      app.post(`${prefix}/:action`, { ...access, schema: { hide: true } }, handle)
    }

    dumpRoutes(app, { service, prefix: INFOTRAVAIL_PREFIX, config: access.config, security: SECURITY })
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
    const action = request.routeOptions.config.ckanAction ?? (request.params as { action?: string } | undefined)?.action ?? 'datastore_search'
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
