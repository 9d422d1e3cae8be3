import type { ApiCatalogue, CatalogueApi } from '../../domain/access/catalogue.schema.js'
import { scopeDescription } from '../../domain/access/scopes.js'
import { apiHref, apiTitle } from '../portal/api-summary.js'
import { documentName, documentPath } from './links.js'

/** The parts of an OpenAPI 3 document the reference reads and splits. */
export interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string; description?: string; license?: { name: string } }
  externalDocs?: { description: string; url: string }
  tags?: { name: string; description?: string }[]
  paths: Record<string, Record<string, OpenApiOperation>>
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, SecurityScheme> }
}

export interface OpenApiOperation {
  operationId?: string
  summary?: string
  tags?: string[]
  security?: Record<string, string[]>[]
  [key: string]: unknown
}

type SecurityScheme = { type: string; description?: string; flows?: { clientCredentials?: { tokenUrl: string; scopes: Record<string, string> } } }

/** One document of the reference: an API of the catalogue, or the service's own routes. */
export interface DocumentDefinition {
  /** Its path segment: `/docs/<id>/json`. */
  readonly id: string
  /** Its name in the reference's top bar. */
  readonly name: string
  readonly title: string
  readonly version: string
  /** Markdown. */
  readonly description: string
  /** Its page on the portal, if any. */
  readonly page?: string
  /** The paths it documents. */
  readonly includes: (path: string) => boolean
  /** The OAuth2 scopes its security scheme offers. */
  readonly scopes: readonly string[]
}

/** The token endpoint, as the original's (the realm in the query, as its clients send it). */
export const TOKEN_URL = '/connexion/oauth2/access_token?realm=/partenaire'
const TOKEN_PATH = '/connexion/oauth2/access_token'

/** The service's own routes: OAuth2, health, published figures, administration. */
const SERVICE_PREFIXES = ['/connexion/oauth2/', '/.well-known/', '/health', '/stats', '/catalogue', '/admin/']

/** The id of the service's own document. */
export const SERVICE_DOCUMENT = 'service'

const PORTAL_LINKS = '[Portail des développeurs](/portail) · [Catalogue des API](/portail/apis) · [Statistiques](/stats)'

function tokenHelp(scopes: readonly string[]): string {
  return `**Jeton d’accès** : OAuth2 *client credentials*, \`POST ${TOKEN_URL}\` avec le \`client_id\` et le \`client_secret\` d’une application (dans le corps ou en HTTP Basic) et \`scope=${scopes.join(' ')}\`. Le bouton « Authorize » l’obtient pour essayer les appels. Les identifiants s’obtiennent sur le portail, après acceptation des conditions de l’API.`
}

/** The documents of the reference: one per API of the catalogue, then the service's own. */
export function documentDefinitions(catalogue: ApiCatalogue): DocumentDefinition[] {
  const apis = catalogue.apis.map(
    (api: CatalogueApi): DocumentDefinition => ({
      id: api.id,
      name: documentName(api),
      title: `OpenEmploi — API ${apiTitle(api)}`,
      version: api.version,
      description: `${api.description}\n\nChemin de base : \`${api.cheminBase}\`. ${tokenHelp(api.scopes)}\n\n[Page de l’API](${apiHref(api)}) (conditions, accès, limites, appels) · ${PORTAL_LINKS}`,
      page: apiHref(api),
      includes: (path) => path === TOKEN_PATH || path.startsWith(`${api.cheminBase}/`),
      scopes: api.scopes,
    }),
  )
  const allScopes = [...new Set(catalogue.apis.flatMap((api) => api.scopes))]
  return [
    ...apis,
    {
      id: SERVICE_DOCUMENT,
      name: 'OAuth2 et service',
      title: 'OpenEmploi — API OAuth2 et service',
      version: '1',
      description: `Les jetons d’accès (émission, révocation, examen, métadonnées du serveur), l’état du service, les chiffres publiés (nombre d’appels, catalogue) et, quand l’opérateur l’a ouverte, l’administration des applications (jeton \`ADMIN_TOKEN\`).\n\n${tokenHelp(allScopes)}\n\n${PORTAL_LINKS}`,
      includes: (path) => SERVICE_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix)),
      scopes: allScopes,
    },
  ]
}

/** The `$ref`s of a value, as component names. */
function referencedSchemas(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) referencedSchemas(item, found)
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith('#/components/schemas/')) found.add(item.slice('#/components/schemas/'.length))
      else referencedSchemas(item, found)
    }
  }
}

/** The tags that name at least one operation, in the document's order (those it does not declare last). */
function usedTags(document: OpenApiDocument): { name: string; description?: string }[] {
  const used = new Set(Object.values(document.paths).flatMap((operations) => Object.values(operations).flatMap((operation) => operation.tags ?? [])))
  const declared = (document.tags ?? []).filter((tag) => used.has(tag.name))
  const names = new Set(declared.map((tag) => tag.name))
  return [...declared, ...[...used].filter((name) => !names.has(name)).map((name) => ({ name }))]
}

/** The security schemes the operations name; the OAuth2 one offering `scopes` only. */
function usedSecuritySchemes(document: OpenApiDocument, scopes: readonly string[]): Record<string, SecurityScheme> {
  const names = new Set(
    Object.values(document.paths).flatMap((operations) => Object.values(operations).flatMap((operation) => (operation.security ?? []).flatMap((item) => Object.keys(item)))),
  )
  // The token endpoint's own document keeps the OAuth2 scheme: "Authorize" is how it is tried.
  if (document.paths[TOKEN_PATH]) names.add('oauth2')
  const schemes: Record<string, SecurityScheme> = {}
  for (const name of names) {
    const scheme = document.components?.securitySchemes?.[name]
    if (!scheme) continue
    const flow = scheme.flows?.clientCredentials
    schemes[name] = flow
      ? { ...scheme, flows: { clientCredentials: { ...flow, scopes: Object.fromEntries(scopes.map((scope) => [scope, scopeDescription(scope)])) } } }
      : scheme
  }
  return schemes
}

/**
 * The whole document without the tags no operation uses (a tag is a section of the reference:
 * none may be empty).
 */
export function withoutEmptyTags(document: OpenApiDocument): OpenApiDocument {
  return { ...document, tags: usedTags(document) }
}

/**
 * One document of the reference cut from the whole one: its paths, the tags they use, the schemas
 * they reference (and those those reference), the security schemes they name.
 */
export function documentOf(whole: OpenApiDocument, definition: DocumentDefinition): OpenApiDocument {
  const paths = Object.fromEntries(Object.entries(whole.paths).filter(([path]) => definition.includes(path)))
  const part: OpenApiDocument = structuredClone({ ...whole, paths })
  const schemas = whole.components?.schemas ?? {}
  const names = new Set<string>()
  referencedSchemas(paths, names)
  for (let grown = true; grown; ) {
    const before = names.size
    for (const name of [...names]) referencedSchemas(schemas[name], names)
    grown = names.size > before
  }
  return {
    openapi: whole.openapi,
    info: { title: definition.title, version: definition.version, description: definition.description, ...(whole.info.license ? { license: whole.info.license } : {}) },
    ...(definition.page ? { externalDocs: { description: 'Page de l’API sur le portail des développeurs', url: definition.page } } : {}),
    tags: usedTags(part),
    paths: part.paths,
    components: {
      schemas: structuredClone(Object.fromEntries(Object.entries(schemas).filter(([name]) => names.has(name)))),
      securitySchemes: usedSecuritySchemes(part, definition.scopes),
    },
  }
}

/** The top bar's list: each document that has operations of its own (more than the token endpoint). */
export function documentUrls(definitions: readonly DocumentDefinition[], paths: Iterable<string>): { name: string; url: string }[] {
  const served = [...paths]
  return definitions
    .filter((definition) => served.some((path) => path !== TOKEN_PATH && definition.includes(path)))
    .map((definition) => ({ name: definition.name, url: documentPath(definition.id) }))
}
